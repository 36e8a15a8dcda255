// How long the URL-hash parser takes on the inputs that once made it slow
// (backtracking number patterns): 2,000 near-numbers of 100 characters, and
// a link of six 100,000-digit values. Prints figures; asserts nothing (the
// tests check that these inputs are refused, not how fast).
//   node scripts/bench-hash.mjs [--rounds 5]
import { PROPS, parseHash, parseValue } from '../www/shared/run-settings.js';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 5;
const lr = PROPS.find((q) => q.name === 'lr');
const digits = '1'.repeat(100_000);
const link = '#' + ['lr', 'batch', 'seed', 'latent', 'noise_level', 'contractive'].map((k) => `${k}=${digits}`).join('&');
const cases = {
  '2,000 near-numbers (99 digits and an x)': () => {
    for (let i = 0; i < 2000; i++) parseValue(lr, '1'.repeat(99) + 'x');
  },
  'a link of six 100,000-digit values': () => parseHash(link),
};
for (const [name, run] of Object.entries(cases)) {
  const ms = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    run();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`${name}: min ${ms[0].toFixed(2)} ms, median ${ms[Math.floor(ms.length / 2)].toFixed(2)} ms over ${rounds} rounds`);
}
