// Your own images, without the DOM (node tests run it): what a file is and
// how large before it is decoded, a photo's pixels turned into ink as MNIST
// has it, and the set written and read as the one file the core reads
// (src/data/own_set.rs: images U8 [N, 28, 28], labels U8 [N], class names
// in the metadata).
import { SIDE, toMnist } from './mnist-preprocess.js';

/** The most images a set holds here, and the most files taken at once. */
export const MAX_IMAGES = 500;
export const MAX_FILES_AT_ONCE = 50;
/** The largest image decoded: its header is read first, so a bomb is refused unopened. */
export const MAX_PIXELS = 40e6;
export const MAX_FILE_BYTES = 20 << 20;
/** The same as the core's (own_set.rs FORMAT, MAX_NAME_CHARS, MAX_CLASSES). */
export const FORMAT = 'ae-playground images 1';
export const MAX_NAME_CHARS = 40;
export const MAX_CLASSES = 64;
/** The longest header a set file's reader takes (the core's: own_set.rs MAX_FILE_BYTES). */
const HEADER_LIMIT = 64 << 10;

/**
 * The type and size an image file's header states, read from its first bytes
 * (PNG's IHDR, JPEG's start-of-frame, WebP's VP8/VP8L/VP8X), or a reason it is
 * not one: {type, width, height} | {error}.
 */
export function sniff(bytes) {
  const b = bytes;
  const u16be = (i) => (b[i] << 8) | b[i + 1];
  const u32be = (i) => ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
  if (b.length === 0) return { error: 'the file is empty' };
  if (b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return { type: 'png', width: u32be(16), height: u32be(20) };
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    for (let i = 2; i + 9 < b.length; ) {
      if (b[i] !== 0xff) return { error: 'its JPEG header is damaged' };
      const marker = b[i + 1];
      // Start of frame (baseline, progressive, …; not DHT, JPG or DAC): height, then width.
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) return { type: 'jpeg', width: u16be(i + 7), height: u16be(i + 5) };
      i += 2 + u16be(i + 2);
    }
    return { error: 'its JPEG header gives no size' };
  }
  const ascii = (i, n) => String.fromCharCode(...b.slice(i, i + n));
  if (b.length >= 30 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') {
    const chunk = ascii(12, 4);
    if (chunk === 'VP8 ') return { type: 'webp', width: (b[26] | (b[27] << 8)) & 0x3fff, height: (b[28] | (b[29] << 8)) & 0x3fff };
    if (chunk === 'VP8L') return { type: 'webp', width: 1 + (b[21] | ((b[22] & 0x3f) << 8)), height: 1 + ((b[22] >> 6) | (b[23] << 2) | ((b[24] & 0x0f) << 10)) };
    if (chunk === 'VP8X') return { type: 'webp', width: 1 + (b[24] | (b[25] << 8) | (b[26] << 16)), height: 1 + (b[27] | (b[28] << 8) | (b[29] << 16)) };
    return { error: 'its WebP header is not one this page reads' };
  }
  return { error: 'it is not a PNG, JPEG or WebP image' };
}

/** Why an image of this stated size is refused before decoding, or null. */
export function tooLarge({ width, height }) {
  if (!(width > 0 && height > 0)) return `its header says it is ${width}×${height} pixels`;
  if (width * height > MAX_PIXELS) return `its header says it is ${width.toLocaleString('en')}×${height.toLocaleString('en')} pixels, more than the ${MAX_PIXELS / 1e6} million this page decodes`;
  return null;
}

/**
 * A photo or scan's RGBA pixels -> 28×28 ink in [0,1] as MNIST has it, or
 * null when nothing stands out. Dark ink on light paper is inverted (the
 * border says which is background); the paper's own level is taken away and
 * the strongest ink scaled to 1, so a grey photo of a page reads as black
 * on white would; then MNIST's crop, 20×20 fit and centring (toMnist).
 */
export function photoToMnist(rgba, width, height) {
  const n = width * height;
  const light = new Float32Array(n);
  for (let i = 0; i < n; i++) light[i] = (0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]) / 255;
  const border = [];
  for (let x = 0; x < width; x++) border.push(light[x], light[(height - 1) * width + x]);
  for (let y = 0; y < height; y++) border.push(light[y * width], light[y * width + width - 1]);
  border.sort((a, b) => a - b);
  const paper = border[border.length >> 1];
  const inverted = paper > 0.5;
  const ink = new Float32Array(n);
  for (let i = 0; i < n; i++) ink[i] = Math.max(0, inverted ? paper - light[i] : light[i] - paper);
  const sorted = Float32Array.from(ink).sort();
  const strong = sorted[Math.floor(0.995 * (n - 1))];
  if (!(strong > 0.1)) return null;
  // Paper texture and shadows below a fifth of the ink's strength are not ink.
  for (let i = 0; i < n; i++) {
    const v = ink[i] / strong;
    ink[i] = v < 0.2 ? 0 : Math.min(1, v);
  }
  return toMnist(ink, width, height);
}

/** Records {cls, pixels} as a set: the class names in first-seen order, and each record's index into them. */
export function classesAndLabels(records) {
  const classes = [...new Set(records.map((it) => it.cls))];
  return { classes, labels: Uint8Array.from(records, (it) => classes.indexOf(it.cls)) };
}

/** Records {cls, pixels} as the set's file (setFile). */
export function recordsFile(records) {
  const { classes, labels } = classesAndLabels(records);
  return setFile(records.map((it) => it.pixels), labels, classes);
}

/** The set as the core's file: 8-byte header length, the header (JSON, space-padded to 8), images, labels. */
export function setFile(images, labels, classes) {
  const n = images.length;
  const size = n * SIDE * SIDE;
  const header = {
    __metadata__: { format: FORMAT, classes: JSON.stringify(classes) },
    images: { dtype: 'U8', shape: [n, SIDE, SIDE], data_offsets: [0, size] },
    labels: { dtype: 'U8', shape: [n], data_offsets: [size, size + n] },
  };
  const head = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(head.length / 8) * 8;
  const out = new Uint8Array(8 + padded + size + n);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.fill(0x20, 8, 8 + padded);
  out.set(head, 8);
  images.forEach((im, i) => out.set(im, 8 + padded + i * SIDE * SIDE));
  out.set(labels, 8 + padded + size);
  return out;
}

/** The largest set file of `n` images: the images, labels and a header of at most HEADER_LIMIT. */
export const setFileBytes = (n) => 8 + HEADER_LIMIT + n * (SIDE * SIDE + 1);

/**
 * A set file (setFile's format, or the core's) -> [{cls, pixels}], or throws
 * the reason in words. Read as hostile: every offset and field is checked.
 * `maxImages`: the most taken; `holder`: who says so ('a link carries').
 */
export function readSetFile(bytes, maxImages, holder) {
  const notASet = (why) => new Error(`it is not a set of images saved by AE Playground (${why})`);
  if (bytes.length < 8) throw notASet('it is too short');
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (headerLength > HEADER_LIMIT || 8 + headerLength > bytes.length) throw notASet('its header is longer than the file');
  let header;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    throw notASet('its header is not JSON');
  }
  if (header?.__metadata__?.format !== FORMAT) throw notASet(`its format is not “${FORMAT}”`);
  let classes;
  try {
    classes = JSON.parse(header.__metadata__.classes);
  } catch {
    throw new Error('its class names are not a list');
  }
  if (!Array.isArray(classes) || classes.length === 0 || classes.length > MAX_CLASSES) throw new Error(`its class names are not a list of 1 to ${MAX_CLASSES}`);
  if (!classes.every((c, i) => typeof c === 'string' && c.trim() && c.length <= MAX_NAME_CHARS && classes.indexOf(c) === i)) throw new Error(`a class name is empty, repeated or longer than ${MAX_NAME_CHARS} characters`);
  const { images, labels } = header;
  const n = labels?.shape?.[0];
  if (!(Number.isInteger(n) && n >= 1 && n <= maxImages)) throw new Error(`it holds ${n} images; ${holder} 1 to ${maxImages}`);
  const body = bytes.length - 8 - headerLength;
  const fits = (t, shape, from, to) => t?.dtype === 'U8' && JSON.stringify(t.shape) === JSON.stringify(shape) && JSON.stringify(t.data_offsets) === JSON.stringify([from, to]);
  if (!fits(images, [n, SIDE, SIDE], 0, n * SIDE * SIDE) || !fits(labels, [n], n * SIDE * SIDE, n * SIDE * SIDE + n) || body !== n * SIDE * SIDE + n) {
    throw new Error('its images and labels are not U8 [N, 28, 28] and U8 [N] filling the file');
  }
  const start = 8 + headerLength;
  return Array.from({ length: n }, (_, i) => {
    const label = bytes[start + n * SIDE * SIDE + i];
    if (label >= classes.length) throw new Error(`image ${i + 1} has label ${label}, but only ${classes.length} classes are named`);
    return { cls: classes[label], pixels: bytes.slice(start + i * SIDE * SIDE, start + (i + 1) * SIDE * SIDE) };
  });
}
