// A small set of your own images in a link (www/page/own-link.js): real MNIST
// test digits go in and come back byte for byte, 50 of them fit well inside
// the limit, and a hostile link (not base64url, not compressed, a deflate
// bomb, a file that lies about its sizes or labels, too many images) is
// refused with a sentence and nothing kept; 3,000 mutations of a set file
// are each read whole or refused in words (the reader the panel's Import
// uses too). No browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { linkPart, readLink, MAX_LINK_CHARS, MAX_LINK_IMAGES } from '../../www/page/own-link.js';
import { readSetFile, setFile } from '../../www/page/own-images.js';
import { parseHash } from '../../www/shared/run-settings.js';
import { mnistTest } from './photos.mjs';

const digits = (n) => mnistTest(n).map(({ pixels, label }) => ({ cls: label % 2 ? 'odd' : 'even', pixels: Uint8Array.from(pixels) }));
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

test('50 real digits in two classes round-trip through a link, and the settings parser leaves the link’s part alone', async (t) => {
  const set = digits(MAX_LINK_IMAGES);
  const part = await linkPart(set, 'mixed');
  t.diagnostic(`50 digits: ${part.length} characters`);
  assert.ok(part.length < MAX_LINK_CHARS / 2, `${part.length} characters`);
  const hash = `#model=vae&lr=0.002${part}`;
  const read = await readLink(hash);
  assert.equal(read.trainOn, 'mixed');
  assert.deepEqual(read.images.map((it) => it.cls), set.map((it) => it.cls));
  read.images.forEach((it, i) => assert.deepEqual(it.pixels, set[i].pixels));
  const parsed = parseHash(hash);
  assert.deepEqual(parsed.problems, [], 'the images are not an unknown setting, and do not count against the settings’ length');
  assert.equal(parsed.settings, 2);
  assert.equal(await readLink('#model=vae'), null, 'a link without images carries none');
});

test('a link carries at most 50 images', async () => {
  await assert.rejects(linkPart(digits(MAX_LINK_IMAGES + 1), 'only'), /^Error: A link carries at most 50 images; this set has 51\. Export the set as a file instead\.$/);
});

test('hostile links are refused with a sentence, never kept', async () => {
  const file = setFile([digits(1)[0].pixels], Uint8Array.of(0), ['x']);
  const packed = (bytes) => b64url(deflateRawSync(bytes));
  const lying = Uint8Array.from(file);
  lying[lying.length - 1] = 3; // label 3 of 1 class
  const cases = [
    ['images=not*base64', /not base64url text/],
    ['images=' + b64url(Buffer.from('plain text, not deflated')), /not compressed images/],
    ['images=' + packed(new Uint8Array(20 << 20)), /unpacks to more than the/],
    ['images=' + packed(Buffer.from('{"a":1}')), /too short|header is longer/],
    ['images=' + packed(lying), /image 1 has label 3, but only 1 classes are named/],
    ['images=' + packed(file.subarray(0, file.length - 10)), /not U8 \[N, 28, 28\] and U8 \[N\] filling the file/],
    ['images=' + 'A'.repeat(MAX_LINK_CHARS + 1), /more than the 60,000 read/],
  ];
  for (const [hash, why] of cases) {
    const r = await readLink('#' + hash);
    assert.match(r.error, /^The images in this link could not be read, so none were added\. \(Details: /, hash.slice(0, 40));
    assert.match(r.error, why, hash.slice(0, 40));
  }
  assert.throws(() => readSetFile(setFile(Array.from({ length: 51 }, () => new Uint8Array(784)), new Uint8Array(51), ['x']), 50, 'a link carries'), /it holds 51 images; a link carries 1 to 50/);
});

test('3,000 mutations of a set file: each is read whole or refused with a sentence, never thrown past', () => {
  const set = digits(5);
  const good = setFile(set.map((it) => it.pixels), Uint8Array.from(set, (it) => (it.cls === 'odd' ? 1 : 0)), ['even', 'odd']);
  let seed = 7;
  const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  let read = 0, refused = 0;
  for (let k = 0; k < 3000; k++) {
    let bytes = Uint8Array.from(good);
    const how = rand(4);
    if (how === 0) for (let j = 0; j <= rand(8); j++) bytes[rand(bytes.length)] = rand(256); // flipped bytes anywhere
    else if (how === 1) bytes = bytes.subarray(0, rand(bytes.length)); // cut short
    else if (how === 2) bytes[8 + rand(200)] = rand(256); // the header's JSON
    else bytes = Uint8Array.from([...bytes, ...Array.from({ length: 1 + rand(50) }, () => rand(256))]); // trailing bytes
    try {
      const list = readSetFile(bytes, MAX_LINK_IMAGES, 'a link carries');
      assert.ok(list.length >= 1 && list.every((it) => it.pixels.length === 784 && typeof it.cls === 'string'));
      read++;
    } catch (e) {
      assert.equal(e.constructor, Error, `mutation ${k} threw a ${e.constructor.name}: ${e.message}`);
      assert.match(e.message, /^(it|its|a class name|image \d+) /, `mutation ${k}: ${e.message}`);
      refused++;
    }
  }
  assert.ok(read > 0 && refused > 0, `read ${read}, refused ${refused}`);
});
