// A small set of your own images in a link, so a teacher can send a class
// their triangles with the settings: `#…settings…&images=…&train_on=mixed`.
// `images` is the set's own file (own-images.js setFile, the format the core
// reads: src/data/own_set.rs), deflate-compressed and base64url-encoded;
// `train_on` is what training reads (off, mixed, only). The link is read as
// hostile: its length, the unpacked size and every field of the file are
// checked before anything is kept, and each refusal says why in words.
// No DOM here: node tests run it.
import { readSetFile, recordsFile, setFileBytes } from './own-images.js';
import { OWN_LINK_KEYS } from '../shared/run-settings.js';

/** The most images a link carries: 50 digits compress to about 10,000 characters. */
export const MAX_LINK_IMAGES = 50;
/** The longest `images` value read: well above 50 images' worth, far below a browser's limit on addresses. */
export const MAX_LINK_CHARS = 60_000;
/** What training reads: `train_on`'s values. */
export const TRAIN_ON = ['off', 'mixed', 'only'];

const MAX_FILE = setFileBytes(MAX_LINK_IMAGES);

/** The link's part for `images` (records {cls, pixels}) and `trainOn`: '&images=…&train_on=…'. */
export async function linkPart(images, trainOn) {
  if (images.length > MAX_LINK_IMAGES) throw new Error(`A link carries at most ${MAX_LINK_IMAGES} images; this set has ${images.length}. Export the set as a file instead.`);
  const file = recordsFile(images);
  const packed = new Uint8Array(await new Response(new Blob([file]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
  const [imagesKey, trainKey] = OWN_LINK_KEYS;
  return `&${imagesKey}=${base64url(packed)}&${trainKey}=${trainOn}`;
}

/**
 * What a hash carries for the panel: {images: [{cls, pixels}], trainOn} or
 * {error} (a sentence), or null when it carries no images.
 */
export async function readLink(hash) {
  const params = new Map(hash.replace(/^#/, '').split('&').map((p) => [p.slice(0, p.indexOf('=') >>> 0), p.slice(p.indexOf('=') + 1)]));
  const [imagesKey, trainKey] = OWN_LINK_KEYS;
  const value = params.get(imagesKey);
  if (value === undefined) return null;
  const trainOn = TRAIN_ON.includes(params.get(trainKey)) ? params.get(trainKey) : 'off';
  try {
    if (value.length > MAX_LINK_CHARS) throw new Error(`its images are ${value.length.toLocaleString('en')} characters, more than the ${MAX_LINK_CHARS.toLocaleString('en')} read`);
    const packed = fromBase64url(value);
    const file = await unpack(packed, MAX_FILE);
    return { images: readSetFile(file, MAX_LINK_IMAGES, 'a link carries'), trainOn };
  } catch (e) {
    return { error: `The images in this link could not be read, so none were added. (Details: ${e.message})` };
  }
}

/** Deflate-raw `bytes` unpacked, refusing to grow past `limit` bytes (a small link must not unpack to gigabytes). */
async function unpack(bytes, limit) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const parts = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        reader.cancel();
        throw new Error(`it unpacks to more than the ${limit.toLocaleString('en')} bytes of ${MAX_LINK_IMAGES} images`);
      }
      parts.push(value);
    }
  } catch (e) {
    throw new Error(/unpacks to more/.test(e.message) ? e.message : `it is not compressed images (${e.message})`, { cause: e });
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) out.set(p, at), (at += p.length);
  return out;
}

function base64url(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('its images are not base64url text');
  const s = atob(text.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}
