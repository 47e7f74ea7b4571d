// Two projects: "unit" (pure and component tests, no cluster) and "e2e" (the real control plane from e2e/).
const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  // Local clusters' state (etcd's *.snap files would read as obsolete Jest snapshots) and build output.
  modulePathIgnorePatterns: ['<rootDir>/\\.(bench|bench-shards|e2e|demo)/', '<rootDir>/dist/'],
};

export default {
  // Component tests wait on real timers (AAI outages, backoff caps, watch restarts: up to 10 s a scenario); jest's
  // 5 s default failed CI on a loaded machine for a test that takes 4.7 s on an idle one. (Global: jest 30 ignores a
  // project's testTimeout.) e2e tests set their own, longer ones.
  testTimeout: 30_000,
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/{mappers,operator,aai-sim,test}/**/*.test.ts'],
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/e2e/**/*.e2e.test.ts'],
      globalSetup: '<rootDir>/e2e/harness/global-setup.js',
      globalTeardown: '<rootDir>/e2e/harness/global-teardown.js',
      setupFilesAfterEnv: ['<rootDir>/e2e/harness/jest-setup.ts'],
    },
  ],
};
