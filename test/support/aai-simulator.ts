// One simulator per test file, reset and seeded (test-client's inventory) before every test.
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { startAaiSimulator, type AaiSimulator } from '../../aai-sim/server.js';
import { seedInventory, TestAaiClient } from '../../aai-sim/test-client.js';

/** Registers the hooks; `use` receives the simulator and a client once it is listening. */
export function useSeededSimulator(use: (sim: AaiSimulator, aai: TestAaiClient) => void): void {
  let sim: AaiSimulator | undefined;
  let aai: TestAaiClient | undefined;
  beforeAll(async () => {
    sim = await startAaiSimulator();
    aai = new TestAaiClient(sim.url);
    use(sim, aai);
  });
  afterAll(() => sim?.close());
  beforeEach(async () => {
    await aai!.sim('POST', 'reset');
    await seedInventory(aai!);
  });
}
