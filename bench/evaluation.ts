// The cost of evaluating one instance as its namespace fills with unrelated pods (make bench-eval): the mean time of
// one evaluation against the operator's cache, for 10 to 10,000 pods. Flat is the goal: the rules read the
// instance's own objects through the cache's indexes (mappers/status/indexes.ts), never the whole namespace.
import { evaluateInstance } from '../mappers/status/instance.js';
import { ObjectCache } from '../operator/watch/object-cache.js';
import { crowdedNamespace } from '../test/support/crowded-namespace.js';
import { base } from '../test/support/status-builders.js';

const SIZES = [10, 100, 1000, 10_000];
const ROUNDS = 2000;

const rows: Array<{ podsInNamespace: number; microsPerEvaluation: number }> = [];
for (const others of SIZES) {
  const { instance, objects } = crowdedNamespace(others);
  const cache = new ObjectCache();
  for (const o of objects) cache.upsert('bench', structuredClone(o));
  const ctx = base();
  for (let i = 0; i < 200; i++) evaluateInstance(instance, cache, ctx); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) evaluateInstance(instance, cache, ctx);
  const micros = Number(process.hrtime.bigint() - start) / 1000 / ROUNDS;
  rows.push({ podsInNamespace: others + 3, microsPerEvaluation: Math.round(micros * 10) / 10 });
}
console.log('| pods in the namespace | µs per evaluation |\n| ---: | ---: |');
for (const r of rows) console.log(`| ${r.podsInNamespace} | ${r.microsPerEvaluation} |`);
console.log(JSON.stringify({ evaluation: rows }));
