// See global-setup.js.
const compiled = new URL('../../dist/e2e/harness/teardown.js', import.meta.url);

export default async function globalTeardown() {
  const { default: teardown } = await import(compiled.href);
  await teardown();
}
