// ESLint's recommended rules (no-dupe-keys, no-unused-vars, no-undef, …) for
// the page, the worker, the browser tests and the scripts. Run by
// scripts/test.sh: `npx eslint .`
import js from '@eslint/js';
import globals from 'globals';

export default [
  // Built output and dependencies.
  { ignores: ['site/**', 'target/**', 'node_modules/**', 'www/pkg/**', 'test-results/**'] },
  js.configs.recommended,
  {
    files: ['www/**/*.js'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.browser } },
  },
  {
    // The site's service worker is a classic script (www/service-worker.js).
    files: ['www/service-worker.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.serviceworker } },
  },
  {
    // www/worker/ runs in a Worker (the model's worker and the thread helpers), not a window; so does the benchmark's TF.js worker.
    files: ['www/worker/**/*.js', 'www/dev/bench-tfjs.js'],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    // Node scripts and tests; page.evaluate callbacks in the tests run in the browser.
    files: ['tests/**/*.mjs', 'scripts/**/*.mjs', 'eslint.config.js'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.node, ...globals.browser } },
  },
  {
    // Generated from the Rust table: the seed's limit is u64::MAX, which a JS number can only round.
    files: ['www/shared/settings-table.js'],
    rules: { 'no-loss-of-precision': 'off' },
  },
  {
    rules: {
      // `_`-prefixed arguments are kept on purpose (a callback's signature).
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
];
