// jest globalSetup runs outside the TypeScript transform, so it loads the compiled harness (npm run build).
import { existsSync } from 'node:fs';

const compiled = new URL('../../dist/e2e/harness/setup.js', import.meta.url);

export default async function globalSetup() {
  if (!existsSync(compiled))
    throw new Error('dist/ is missing: run "npm run build" before the e2e suites (make test-e2e does)');
  const { default: setup } = await import(compiled.href);
  await setup();
}
