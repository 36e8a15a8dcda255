// Test images made in the test from real MNIST digits: each digit drawn as
// a photograph of dark ink on light paper would come (a light, unevenly lit
// page, a slightly soft stroke, the digit anywhere and at any size), and a
// PNG encoder for them. Used by the preprocessing test and the own-data test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import { ROOT } from './site.mjs';

/** The first `n` MNIST test images (784 bytes each) and their labels. */
export function mnistTest(n) {
  const images = readFileSync(join(ROOT, 'data/mnist/t10k-images-idx3-ubyte'));
  const labels = readFileSync(join(ROOT, 'data/mnist/t10k-labels-idx1-ubyte'));
  return Array.from({ length: n }, (_, i) => ({ pixels: images.subarray(16 + i * 784, 16 + (i + 1) * 784), label: labels[8 + i] }));
}

/**
 * An RGBA photo `w`×`h` of `digit` (784 bytes, 0 = background), its 28×28
 * field scaled by `scale` pixels per MNIST pixel with its top-left at (x, y):
 * paper about 225 grey with light falling off to one side, ink about 35.
 */
export function photo(digit, { w, h, scale, x, y }) {
  const rgba = new Uint8ClampedArray(w * h * 4);
  const at = (u, v) => (u < 0 || v < 0 || u > 27 || v > 27 ? 0 : digit[v * 28 + u] / 255);
  for (let py = 0; py < h; py++) {
    for (let px = 0; px < w; px++) {
      // Bilinear in the digit's field: a photo's soft edges.
      const u = (px - x) / scale - 0.5, v = (py - y) / scale - 0.5;
      const u0 = Math.floor(u), v0 = Math.floor(v), fu = u - u0, fv = v - v0;
      const ink = (1 - fu) * (1 - fv) * at(u0, v0) + fu * (1 - fv) * at(u0 + 1, v0) + (1 - fu) * fv * at(u0, v0 + 1) + fu * fv * at(u0 + 1, v0 + 1);
      const paper = 235 - 20 * (px / w);
      const g = paper + (35 - paper) * ink;
      rgba.set([g, g - 3, g - 8, 255], 4 * (py * w + px));
    }
  }
  return rgba;
}

/**
 * An RGBA photo `w`×`w` of a triangle drawn in dark lines on light paper: no
 * digit. `turn` rotates it (radians), `size` is its radius as a share of
 * the side, (`x`, `y`) its centre as shares of the side.
 */
export function triangle(w, { turn = 0, size = 0.4, x = 0.5, y = 0.55, stroke = 0.03 } = {}) {
  const rgba = new Uint8ClampedArray(w * w * 4);
  const corner = (k) => [w * (x + size * Math.sin(turn + (2 * Math.PI * k) / 3)), w * (y - size * Math.cos(turn + (2 * Math.PI * k) / 3))];
  const near = (px, py, [ax, ay], [bx, by]) => {
    const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
    return Math.hypot(px - ax - t * (bx - ax), py - ay - t * (by - ay));
  };
  const [a, b, c] = [0, 1, 2].map(corner);
  for (let py = 0; py < w; py++) for (let px = 0; px < w; px++) {
    const g = Math.min(near(px, py, a, b), near(px, py, b, c), near(px, py, c, a)) < stroke * w ? 40 : 228;
    rgba.set([g, g, g, 255], 4 * (py * w + px));
  }
  return rgba;
}

/** A PNG file (8-bit RGBA, no filter) of `rgba`, `w`×`h`. */
export function png(rgba, w, h) {
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'ascii');
    data.copy(out, 8);
    out.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'ascii'), data])), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc(h * (1 + 4 * w));
  for (let y = 0; y < h; y++) Buffer.from(rgba.buffer, rgba.byteOffset + y * 4 * w, 4 * w).copy(raw, y * (1 + 4 * w) + 1);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A PNG whose header claims `w`×`h` pixels and whose data is a few bytes: a decompression bomb's header. */
export function bombHeader(w, h) {
  const real = png(new Uint8ClampedArray(4), 1, 1);
  real.writeUInt32BE(w, 16);
  real.writeUInt32BE(h, 20);
  return real;
}
