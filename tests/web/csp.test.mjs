// The site under its Content-Security-Policy, served by scripts/serve.py as
// a visitor would run it: the headers are sent, the pages carry the same
// policy, directories are not listed, and the page trains with no violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, SITE, ensureSite, launch, byTestId, batches, step, waitForStatus } from './harness.mjs';

let server, url, browser;
before(async () => {
  ensureSite();
  server = spawn('python3', [path.join(ROOT, 'scripts/serve.py'), '0', SITE], { stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise((ok, fail) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/localhost:(\d+)\//.exec(out);
      if (m) ok(`http://127.0.0.1:${m[1]}/`);
    });
    server.once('exit', (code) => fail(new Error(`serve.py exited with ${code}: ${out}`)));
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.kill();
});

const PAGES = ['index.html', 'lessons.html', 'losses.html', 'dev/bench.html', 'dev/test-core.html', 'dev/test-views.html'];

/** The policy a page's meta tag carries. */
function metaPolicy(file) {
  const html = readFileSync(path.join(ROOT, 'www', file), 'utf8');
  return /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
}

test('serve.py sends the policy, nosniff and the isolation headers, the pages carry the same policy, and directories are not listed', async () => {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy');
  assert.ok(csp, 'a Content-Security-Policy header');
  for (const d of ["default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "worker-src 'self'", "object-src 'none'", "base-uri 'none'", 'frame-ancestors']) {
    assert.ok(csp.includes(d), `the policy has ${d}: ${csp}`);
  }
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  // Cross-origin isolation, which the threaded build needs (www/worker/wasm-build.js).
  assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin');
  assert.equal(res.headers.get('cross-origin-embedder-policy'), 'require-corp');
  // frame-ancestors is ignored in a meta tag (browsers warn), so the pages carry the rest.
  const withoutFrames = csp.split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; ');
  for (const page of PAGES) assert.equal(metaPolicy(page), withoutFrames, `${page}'s meta policy is the header's`);
  for (const page of PAGES) {
    const html = readFileSync(path.join(ROOT, 'www', page), 'utf8');
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=/i, `${page} has no inline script, style or handler`);
  }
  const listing = await fetch(url + 'pkg/');
  assert.equal(listing.status, 404, 'a directory without an index is not listed');
  assert.doesNotMatch(await listing.text(), /ae_playground/);
});

test('the page loads, trains and draws under the policy with no violation', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${url}#model=ae&hidden=32&latent=4&autoplay=0`);
  // The worker compiles the wasm under the header's policy: Ready means 'wasm-unsafe-eval' and worker-src did their job.
  await waitForStatus(page, /^Ready$/, 90_000);
  // Isolated by serve.py's headers: the threaded build, its helper workers started under worker-src.
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), true);
  await page.locator(byTestId('threads')).selectOption('2');
  await step(page, 2);
  assert.equal(await batches(page), 2);
  await page.locator(byTestId('model-export')).waitFor();
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
  assert.deepEqual(problems, []);
  await context.close();
});
