// The screenshots in docs/images: a first visit to the built site (scripts/build-site.sh),
// at 1280×900 and on a 390×844 phone, once the starter model has trained on to batch
// 2,500 and a 7 has been drawn on the pad. Run by hand after a change to the page:
//   node scripts/screenshots.mjs
import { join } from 'node:path';
import { serve } from '../tests/web/static-server.mjs';
import { launchChromium, ROOT } from '../tests/web/site.mjs';

const SEVEN = [[0.25, 0.2], [0.72, 0.2], [0.45, 0.85]];
const server = await serve(join(ROOT, 'site'));
const browser = await launchChromium({ own: true });
for (const [width, height, file] of [[1280, 900, 'first-screen-1280x900.png'], [390, 844, 'phone-390x844.png']]) {
  const phone = width < 500;
  const context = await browser.newContext({ viewport: { width, height }, hasTouch: phone, isMobile: phone });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => /^Training/.test(document.querySelector('[data-testid="status"]').textContent), null, { timeout: 90_000 });
  await page.waitForFunction(() => Number(document.getElementById('stat-step').textContent.replace(/,/g, '')) >= 2500, null, { timeout: 120_000 });
  const pad = page.locator('[data-testid="draw-pad"]');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  const at = ([x, y]) => [box.x + x * box.width, box.y + y * box.height];
  await page.mouse.move(...at(SEVEN[0]));
  await page.mouse.down();
  for (const p of SEVEN.slice(1)) await page.mouse.move(...at(p), { steps: 8 });
  await page.mouse.up();
  // The reconstruction of the whole 7 is on screen once the pad has told its last stroke and the reply came.
  await page.waitForFunction(() => globalThis.aeDrawn?.() && !document.querySelector('[data-testid="reconstruction"]').hasAttribute('data-empty'));
  await page.screenshot({ path: join(ROOT, 'docs/images', file) });
  console.log(`wrote docs/images/${file}`);
  await context.close();
}
await browser.close();
await server.close();
