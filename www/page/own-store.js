// Your own images, kept in this browser (IndexedDB), never sent anywhere:
// one record per image, {id, cls: its class's name, pixels: Uint8Array(784)}.
// Every change is written before the panel shows it, so a reload loses nothing.
const DB = 'ae-playground-own-images';
const STORE = 'images';

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Runs `work(store)` in one transaction; resolves with its last request's result once committed. */
async function run(mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      let last;
      const req = work(tx.objectStore(STORE));
      if (req) req.onsuccess = () => (last = req.result);
      tx.oncomplete = () => resolve(last);
      tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('the browser refused to store the images'));
    });
  } finally {
    db.close();
  }
}

/** Every image, oldest first. */
export const all = () => run('readonly', (s) => s.getAll());
/** Adds images [{cls, pixels}] in one transaction. */
export const add = (items) => run('readwrite', (s) => items.forEach((it) => s.add(it)));
export const remove = (id) => run('readwrite', (s) => s.delete(id));
export const clear = () => run('readwrite', (s) => s.clear());
/** Renames a class: every image of `from` becomes `to`. */
export async function rename(from, to) {
  const items = (await all()).filter((it) => it.cls === from);
  return run('readwrite', (s) => items.forEach((it) => s.put({ ...it, cls: to })));
}
