// The own-data panel (issue 21): photographs of dark ink on light paper,
// made here from real MNIST test digits as PNG files of varied size and
// position, go in through the file input and come out as MNIST-like inputs;
// they survive a reload; hostile files are refused one by one with nothing
// lost; a drawing joins as its own class; rename, delete, clear; and the
// exported set is the file the CLI trains on. Then: files dropped on the
// panel join too, the set shows on the latent plot as labelled diamonds, and
// training on it (fine-tuning, in the page) lowers its reconstruction error
// where training on the digits alone, for as many batches, did not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAST_AE, FAST_VAE, batches, byTestId, cargoNative, open, readCanvas, setup, train, waitForStatus } from './harness.mjs';
import { bombHeader, mnistTest, photo, png, triangle } from './photos.mjs';

/** A photographed square of solid ink: after preprocessing a 20×20 block, nothing like a digit's stroke. */
function block(w = 160) {
  const rgba = new Uint8ClampedArray(w * w * 4);
  for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) {
    const g = x > 0.25 * w && x < 0.75 * w && y > 0.25 * w && y < 0.75 * w ? 40 : 228;
    rgba.set([g, g, g, 255], 4 * (y * w + x));
  }
  return png(rgba, w, w);
}

/** Pearson's correlation of two images' pixels. */
function corr(a, b) {
  const m = (v) => v.reduce((s, x) => s + x, 0) / v.length;
  const [ma, mb] = [m(a), m(b)];
  let ab = 0, aa = 0, bb = 0;
  for (let k = 0; k < a.length; k++) (ab += (a[k] - ma) * (b[k] - mb)), (aa += (a[k] - ma) ** 2), (bb += (b[k] - mb) ** 2);
  return ab / Math.sqrt(aa * bb);
}

let env;
before(async () => (env = await setup()));
after(() => env?.close());

const summary = (page) => page.locator(byTestId('own-summary'));
const message = (page) => page.locator(byTestId('own-message'));

/** Six photographed test digits, 84 to 500 pixels wide, the digit anywhere on the page. */
function photos() {
  return mnistTest(6).map(({ pixels, label }, i) => {
    const scale = 2 + i * 2;
    const [w, h] = [Math.round(28 * scale * (1.2 + 0.1 * i)), Math.round(28 * scale * 1.4)];
    return { digit: pixels, label, file: { name: `photo-${i}.png`, mimeType: 'image/png', buffer: png(photo(pixels, { w, h, scale, x: (i % 3) * 0.08 * w, y: (i % 2) * 0.2 * h }), w, h) } };
  });
}

test('your own images: photos in, seen as MNIST sees them, kept across a reload, hostile files refused, how unusual each is, exported for the CLI', async (t) => {
  const page = await open(env, '', { viewport: { width: 1280, height: 1000 } });
  const panel = page.locator(byTestId('own-data'));
  await panel.scrollIntoViewIfNeeded();
  assert.match(await summary(page).textContent(), /^No images of your own yet\. Nothing you add leaves this browser\.$/);

  const shots = photos();
  await page.locator(byTestId('own-class')).fill('photos');
  await page.locator(byTestId('own-files')).setInputFiles(shots.map((s) => s.file));
  await page.waitForFunction(() => /^6 images in 1 class\./.test(document.querySelector('[data-testid="own-summary"]').textContent));
  assert.match(await message(page).textContent(), /^Added 6 images to “photos”\.$/);
  // Each thumbnail is the model's input: the photo's digit, inverted, cropped, scaled and centred.
  const thumbs = await page.locator('.own-thumb').evaluateAll((cs) => cs.map((c) => Array.from(c.getContext('2d').getImageData(0, 0, 28, 28).data.filter((_, i) => i % 4 === 0))));
  assert.equal(thumbs.length, 6);
  // Against the raw digit: MNIST centred by whole pixels, the page exactly (mnist-preprocess.test.mjs), hence 0.5.
  thumbs.forEach((t, i) => assert.ok(corr(t, Array.from(shots[i].digit)) > 0.5, `photo ${i}: its thumbnail is its digit (r = ${corr(t, Array.from(shots[i].digit)).toFixed(3)})`));

  // Kept in this browser: a reload finds them.
  await page.reload();
  await waitForStatus(page, /^Ready$/, 90_000);
  await page.waitForFunction(() => /^6 images in 1 class\./.test(document.querySelector('[data-testid="own-summary"]')?.textContent ?? ''));

  // Hostile files, refused one by one, naming the file and the reason; nothing already kept is lost.
  await page.locator(byTestId('own-class')).fill('photos');
  await page.locator(byTestId('own-files')).setInputFiles([
    { name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) },
    { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('these are my notes, not a picture') },
    { name: 'bomb.png', mimeType: 'image/png', buffer: bombHeader(100_000, 100_000) },
    { name: 'broken.png', mimeType: 'image/png', buffer: bombHeader(50, 50) },
    shots[0].file,
  ]);
  await page.waitForFunction(() => /^7 images in 1 class\./.test(document.querySelector('[data-testid="own-summary"]').textContent));
  const said = await message(page).textContent();
  assert.match(said, /Added 1 image to “photos”\./);
  assert.match(said, /empty\.png: refused, the file is empty\./);
  assert.match(said, /notes\.png: refused, it is not a PNG, JPEG or WebP image\./);
  assert.match(said, /bomb\.png: refused, its header says it is 100,000×100,000 pixels, more than the 40 million this page decodes\./);
  assert.match(said, /broken\.png: refused, the browser could not decode it as PNG\./);
  const many = Array.from({ length: 51 }, (_, i) => ({ ...shots[i % 6].file, name: `many-${i}.png` }));
  await page.locator(byTestId('own-files')).setInputFiles(many);
  await page.waitForFunction(() => /at most 50 at once/.test(document.querySelector('[data-testid="own-message"]').textContent));
  assert.match(await message(page).textContent(), /^51 files chosen: at most 50 at once\. Nothing was added\.$/);
  assert.match(await summary(page).textContent(), /^7 images in 1 class\./);

  // A drawing (here test image 1, picked with the keyboard) joins as a class of its own; rename it; delete it.
  await page.locator(byTestId('test-pick')).focus();
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(() => !('empty' in document.querySelector('[data-testid="input28"]').dataset));
  await page.locator(byTestId('own-class')).fill('typed');
  await page.locator(byTestId('own-add-drawing')).click();
  await page.waitForFunction(() => /^8 images in 2 classes\./.test(document.querySelector('[data-testid="own-summary"]').textContent));
  const typed = page.locator('li[data-class="typed"]');
  await typed.locator('input').fill('picked');
  await typed.getByRole('button', { name: 'Rename' }).click();
  await page.locator('li[data-class="picked"]').waitFor();
  assert.match(await message(page).textContent(), /^Renamed “typed” to “picked”\.$/);
  await page.getByRole('button', { name: 'Delete image 1 of picked' }).click();
  await page.waitForFunction(() => /^7 images in 1 class\./.test(document.querySelector('[data-testid="own-summary"]').textContent));

  // Novelty, with the starter model (trained on digits only): a solid block it cannot rebuild is more unusual
  // than nearly every test digit and than every photographed digit; a triangle is measured like the rest.
  await page.locator(byTestId('own-class')).fill('shapes');
  await page.locator(byTestId('own-files')).setInputFiles([
    { name: 'triangle.png', mimeType: 'image/png', buffer: png(triangle(200), 200, 200) },
    { name: 'block.png', mimeType: 'image/png', buffer: block() },
  ]);
  await page.waitForFunction(() => /^9 images in 2 classes\./.test(document.querySelector('[data-testid="own-summary"]').textContent));
  await page.locator(byTestId('own-novelty')).click();
  await page.waitForFunction(() => /The most unusual of yours/.test(document.querySelector('[data-testid="own-message"]').textContent));
  assert.match(await message(page).textContent(), /^With the model as it is now: each image’s reconstruction error \(mean squared\), against that of 2,000 test images\./);
  const shares = async (cls) => page.locator(`li[data-class="${cls}"] .own-item`).evaluateAll((items) => items.map((i) => Number(i.dataset.novelty)));
  const [triangleShare, blockShare] = await shares('shapes');
  const digits = await shares('photos');
  t.diagnostic(`more unusual than this share of test digits: triangle ${triangleShare}, block ${blockShare}, photographed digits ${digits}`);
  assert.equal(digits.length, 7);
  assert.ok(triangleShare >= 0 && triangleShare <= 1);
  assert.ok(blockShare > 0.99, `the block is more unusual than ${blockShare} of the test digits`);
  assert.ok(digits.every((d) => d < blockShare), `every photographed digit is less unusual than the block: ${digits} against ${blockShare}`);
  assert.match(await page.locator('li[data-class="shapes"] .own-novelty').first().textContent(), /^more unusual than [\d.]+%$/);
  await page.locator(byTestId('own-sort')).click();
  const sorted = await shares('photos');
  assert.deepEqual(sorted, [...digits].sort((x, y) => y - x), 'most unusual first');
  for (const n of [1, 1]) await page.getByRole('button', { name: `Delete image ${n} of shapes` }).click();
  await page.waitForFunction(() => /^7 images in 1 class\./.test(document.querySelector('[data-testid="own-summary"]').textContent));

  // Exported, the set is the file the CLI trains on.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(byTestId('own-export')).click()]);
  assert.equal(download.suggestedFilename(), 'your-images.safetensors');
  const dir = mkdtempSync(join(tmpdir(), 'ae-own-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'your-images.safetensors');
  await download.saveAs(file);
  // A safetensors file: the length of its JSON header, the header, then the data.
  const bytes = readFileSync(file);
  const header = Number(bytes.readBigUInt64LE(0));
  assert.ok(8 + header < bytes.length && bytes[8] === 0x7b, `not a safetensors file: ${bytes.length} bytes, a header of ${header}`);
  const out = cargoNative('run', ['--bin', 'ae-playground', '--', 'train', '--data-file', file, '--model', 'ae', '--hidden', '32', '--latent', '4', '--batch', '7', '--epochs', '3', '--out', join(dir, 'model.safetensors')], { stdio: ['ignore', 'pipe', 'pipe'] });
  assert.match(out.toString(), /^test_loss=[\d.]+ recon=[\d.]+ seconds=/m);

  // Clear all asks first; Cancel keeps everything, OK clears.
  page.once('dialog', (d) => d.dismiss());
  await page.locator(byTestId('own-clear')).click();
  assert.match(await summary(page).textContent(), /^7 images in 1 class\./);
  page.once('dialog', (d) => d.accept());
  await page.locator(byTestId('own-clear')).click();
  await page.waitForFunction(() => /^No images of your own yet/.test(document.querySelector('[data-testid="own-summary"]').textContent));

  // Import: a file that is not a set is refused in words; the exported set comes back whole, and a second time adds nothing.
  await page.locator(byTestId('own-import')).setInputFiles({ name: 'notes.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from('these are my notes, not a set of images') });
  await page.waitForFunction(() => /was not imported/.test(document.querySelector('[data-testid="own-message"]').textContent));
  assert.match(await message(page).textContent(), /^notes\.safetensors was not imported, and nothing was lost: it is not a set of images saved by AE Playground \(its header is longer than the file\)\.$/);
  await page.locator(byTestId('own-import')).setInputFiles(file);
  await page.waitForFunction(() => /^7 images in 1 class\./.test(document.querySelector('[data-testid="own-summary"]').textContent));
  assert.match(await message(page).textContent(), /^Imported 7 images in 1 class from your-images\.safetensors\.$/);
  await page.locator(byTestId('own-import')).setInputFiles(file);
  await page.waitForFunction(() => /were here already/.test(document.querySelector('[data-testid="own-message"]').textContent));
  assert.match(await message(page).textContent(), /^Imported 7 images in 1 class from your-images\.safetensors \(7 were here already\)\.$/);
  assert.match(await summary(page).textContent(), /^7 images in 1 class\./);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

/** Near-black pixels on the latent plot: only one's own diamonds (and a drawing's cross, absent here) are that dark. */
async function darkPixels(page) {
  return page.locator(byTestId('latent-plot')).evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 40 && d[i + 1] < 40 && d[i + 2] < 40 && d[i + 3] > 200) n++;
    return n;
  });
}

/** The mean reconstruction errors the panel reports after "How unusual is each image?". */
async function meanErrors(page) {
  await page.locator(byTestId('own-message')).evaluate((m) => (m.textContent = ''));
  await page.locator(byTestId('own-novelty')).click();
  await page.waitForFunction(() => /Mean error: yours/.test(document.querySelector('[data-testid="own-message"]').textContent));
  const [, yours, test] = (await message(page).textContent()).match(/Mean error: yours ([\d.e+-]+), the test images’ ([\d.e+-]+)\./);
  return { yours: Number(yours), test: Number(test) };
}

test('your own images: dropped on the panel, on the latent plot as labelled diamonds, and trained on in the page', async (t) => {
  const page = await open(env, FAST_AE, { viewport: { width: 1280, height: 1000 } });
  await page.waitForFunction(() => /test codes/.test(document.querySelector('[data-testid="latent-plot"]').getAttribute('aria-label') ?? ''));
  assert.equal(await darkPixels(page), 0, 'no diamonds before there are images of one’s own');
  assert.equal(await page.locator(byTestId('legend-own')).isVisible(), false);

  // Twelve photographed triangles, turned and placed differently, dropped on the panel as files.
  const files = Array.from({ length: 12 }, (_, i) => {
    const w = 120 + 20 * i;
    return { name: `triangle-${i}.png`, bytes: [...png(triangle(w, { turn: (i * Math.PI) / 18, size: 0.3 + 0.01 * i, x: 0.45 + 0.01 * i }), w, w)] };
  });
  await page.locator(byTestId('own-class')).fill('triangles');
  const drop = await page.evaluateHandle((files) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: 'image/png' }));
    return dt;
  }, files);
  await page.locator(byTestId('own-data')).dispatchEvent('dragover', { dataTransfer: drop });
  assert.match(await page.locator(byTestId('own-data')).getAttribute('class'), /\bdropping\b/, 'the panel shows it takes the drop');
  await page.locator(byTestId('own-data')).dispatchEvent('drop', { dataTransfer: drop });
  await page.waitForFunction(() => /^12 images in 1 class\./.test(document.querySelector('[data-testid="own-summary"]').textContent));
  assert.match(await message(page).textContent(), /^Added 12 images to “triangles”\.$/);
  const ink = await page.locator('.own-thumb').evaluateAll((cs) => cs.map((c) => c.getContext('2d').getImageData(0, 0, 28, 28).data.filter((_, i) => i % 4 === 0).reduce((a, v) => a + v / 255, 0) / 784));
  t.diagnostic(`ink per triangle: ${ink.map((v) => v.toFixed(3))}`);
  assert.ok(ink.every((v) => v > 0.05), 'every triangle has ink');

  // On the latent plot: diamonds, a legend entry and words for screen readers that name the class.
  await page.waitForFunction(() => /White diamonds: 12 of your own images, named by class \(triangles\)\./.test(document.querySelector('[data-testid="latent-plot"]').getAttribute('aria-label')));
  assert.equal(await page.locator(byTestId('legend-own')).textContent(), 'your images: triangles');
  assert.ok((await darkPixels(page)) > 12 * 4, 'each diamond is drawn');

  // A model that never saw a triangle: train it on the digits only first.
  await train(page, 300);
  // The test figure says which weights it describes.
  assert.equal(await page.locator(byTestId('test-at')).textContent(), `at batch ${(await batches(page)).toLocaleString('en')}`);
  const digitsOnly = await meanErrors(page);
  // Then, from where it is, on the dataset and the triangles: each class of one's own repeated to come up as often as one digit.
  await page.locator('input[name="own-train"][value="mixed"]').check();
  await page.waitForFunction(() => /reads the dataset and your images: 66,000 images/.test(document.querySelector('[data-testid="own-train-note"]').textContent));
  // ...and on the triangles alone.
  await page.locator('input[name="own-train"][value="only"]').check();
  await page.waitForFunction(() => /reads your images only: 6,000 images/.test(document.querySelector('[data-testid="own-train-note"]').textContent));
  const before = await batches(page);
  await train(page, before + 300);
  const afterOwn = await meanErrors(page);
  t.diagnostic(`mean squared error of the 12 triangles: after 300 batches of digits ${digitsOnly.yours} (test digits ${digitsOnly.test}); after 300 more on the triangles ${afterOwn.yours} (test digits ${afterOwn.test})`);
  assert.ok(digitsOnly.yours > digitsOnly.test, 'the triangles are new to a model trained on digits');
  assert.ok(afterOwn.yours < 0.5 * digitsOnly.yours, `training on the triangles halves their error: ${digitsOnly.yours} -> ${afterOwn.yours}`);
  // The test figures stay the digits': the plot still shows 2,000 test codes.
  assert.match(await page.locator(byTestId('latent-plot')).getAttribute('aria-label'), /^Scatter plot of 2,000 test codes/);

  // A link with the settings and the triangles: opened elsewhere, it shows them and trains on them.
  await page.locator(byTestId('own-link')).click();
  await page.waitForFunction(() => /with the settings and your 12 images/.test(document.querySelector('[data-testid="own-message"]').textContent));
  const link = await page.locator(byTestId('own-link-text')).inputValue();
  t.diagnostic(`a link with 12 triangles: ${link.length} characters`);
  assert.match(link, /#dataset=mnist&model=ae&.*&images=[\w-]+&train_on=only$/);
  const other = await open(env, link.split('#')[1], { viewport: { width: 1280, height: 1000 } });
  await other.waitForFunction(() => /^12 images in 1 class\./.test(document.querySelector('[data-testid="own-summary"]').textContent));
  assert.match(await message(other).textContent(), /^This link brought 12 images of someone’s own\.$/);
  assert.equal(await other.locator('input[name="own-train"][value="only"]').isChecked(), true);
  await other.waitForFunction(() => /reads your images only: 6,000 images/.test(document.querySelector('[data-testid="own-train-note"]').textContent));
  const pixelsOf = (p) => p.locator('.own-thumb').evaluateAll((cs) => cs.map((c) => Array.from(c.getContext('2d').getImageData(0, 0, 28, 28).data.filter((_, i) => i % 4 === 0))));
  assert.deepEqual(await pixelsOf(other), await pixelsOf(page), 'the same images, byte for byte');
  await other.waitForFunction(() => /White diamonds: 12 of your own images/.test(document.querySelector('[data-testid="latent-plot"]').getAttribute('aria-label')));
  assert.deepEqual(other.errors, []);
  await other.context().close();
  // A damaged link adds nothing and says so.
  const broken = await open(env, `${FAST_AE}&images=AAAA-not-a-set&train_on=only`);
  await broken.waitForFunction(() => /could not be read/.test(document.querySelector('[data-testid="own-message"]').textContent));
  assert.match(await message(broken).textContent(), /^The images in this link could not be read, so none were added\. \(Details: /);
  assert.match(await summary(broken).textContent(), /^No images of your own yet\./);
  assert.equal(await broken.locator(byTestId('notice-hash')).count(), 0, 'the images are no unknown setting');
  await broken.context().close();

  // Back to the dataset only, and deleting every image takes the diamonds away.
  await page.locator('input[name="own-train"][value="off"]').check();
  await page.waitForFunction(() => /^Training reads the dataset only\.$/.test(document.querySelector('[data-testid="own-train-note"]').textContent));
  page.once('dialog', (d) => d.accept());
  await page.locator(byTestId('own-clear')).click();
  await page.waitForFunction(() => !/White diamonds/.test(document.querySelector('[data-testid="latent-plot"]').getAttribute('aria-label')));
  assert.equal(await darkPixels(page), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

/** Tile `k` of a grid canvas of 28×28 tiles, `gap` pixels apart, `cols` a row, as 784 grey values. */
async function tile(page, testid, k, cols, gap = 2) {
  const { width, data } = await readCanvas(page, testid);
  const [r, c] = [Math.floor(k / cols), k % cols];
  return Array.from({ length: 784 }, (_, i) => data[4 * ((r * (28 + gap) + Math.floor(i / 28)) * width + c * (28 + gap) + (i % 28))] / 255);
}

test('a CVAE learns your classes once rebuilt with them: Reset builds it with 10 + yours, and your class is one it can draw', async (t) => {
  const page = await open(env, FAST_VAE.replace('model=vae', 'model=cvae'), { viewport: { width: 1280, height: 1000 } });
  await page.locator(byTestId('own-class')).fill('triangles');
  await page.locator(byTestId('own-files')).setInputFiles(
    Array.from({ length: 12 }, (_, i) => ({ name: `t${i}.png`, mimeType: 'image/png', buffer: png(triangle(150, { turn: (i * Math.PI) / 18, size: 0.32 + 0.01 * i }), 150, 150) })),
  );
  await page.waitForFunction(() => /^12 images in 1 class\./.test(document.querySelector('[data-testid="own-summary"]').textContent));
  const shapes = await page.locator('.own-thumb').evaluateAll((cs) => cs.map((c) => Array.from(c.getContext('2d').getImageData(0, 0, 28, 28).data.filter((_, i) => i % 4 === 0), (v) => v / 255)));
  const meanTriangle = shapes[0].map((_, i) => shapes.reduce((s, im) => s + im[i], 0) / shapes.length);

  // The CVAE was built for the 10 digits: it waits for a rebuild, and says so.
  await page.locator('input[name="own-train"][value="mixed"]').check();
  await page.waitForFunction(() => /^A CVAE learns new classes only when it is built with them: press Reset to rebuild it with 11 classes/.test(document.querySelector('[data-testid="own-train-note"]').textContent));
  assert.equal(await page.locator('input[name="own-train"][value="mixed"]').isChecked(), true);
  assert.equal(await page.locator('#draw-label option').count(), 10);
  await page.locator(byTestId('reset')).click();
  await page.waitForFunction(() => /reads the dataset and your images: 66,000 images/.test(document.querySelector('[data-testid="own-train-note"]').textContent));
  await page.waitForFunction(() => document.querySelectorAll('#draw-label option').length === 11);
  assert.equal(await page.locator('#draw-label option').last().textContent(), 'triangles');

  await train(page, 600);
  // A test digit as the drawing, decoded with each of the 11 labels.
  await page.locator(byTestId('test-pick')).focus();
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(() => /each of the 11 classes/.test(document.querySelector('[data-testid="classes"]').getAttribute('aria-label') ?? ''));
  const likeTriangle = [];
  for (let k = 0; k < 11; k++) likeTriangle.push(corr(await tile(page, 'classes', k, 10), meanTriangle));
  t.diagnostic(`correlation with the mean triangle of the drawing decoded as each class: ${likeTriangle.map((c) => c.toFixed(3))}`);
  assert.ok(likeTriangle[10] > Math.max(...likeTriangle.slice(0, 10)), 'decoded as “triangles”, the drawing looks more like a triangle than as any digit');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
