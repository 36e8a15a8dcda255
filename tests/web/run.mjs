// Runs the browser tests (the files given, else every tests/web/*.test.mjs)
// one file at a time, as `node --test` does, against one shared Chromium:
// starting Chromium costs about a second, and there are some thirty files.
// Each file still opens its own contexts (cookies, storage, service workers
// apart). Exits with node --test's status.
//
//   node tests/web/run.mjs [files...]
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, ROOT } from './site.mjs';

const dir = join(ROOT, 'tests/web');
const files = process.argv.length > 2 ? process.argv.slice(2) : readdirSync(dir).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => join(dir, f));
const server = await chromium.launchServer({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const child = spawn(process.execPath, ['--test', `--test-concurrency=${process.env.AE_TEST_FILES_AT_ONCE ?? 2}`, ...files], { stdio: 'inherit', env: { ...process.env, AE_TEST_BROWSER: server.wsEndpoint() } });
const status = await new Promise((resolve) => {
  child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  child.on('error', (e) => (console.error(`Could not start node --test: ${e.message}`), resolve(1)));
});
await server.close();
process.exit(status);
