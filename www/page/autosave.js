// The saved run, in IndexedDB: two slots, A and B, written in turn, so the
// snapshot being written never replaces the last good one. A slot is written
// in two transactions: first its record (the model file as a Blob, the
// settings, the loss history), then its marker {seq, step, size, hash,
// savedAt}. A slot is complete when its marker and its record carry the same
// `seq` and the record's Blob holds `size` bytes: a tab killed, a browser closed or power lost
// during or between the two writes leaves the other slot, at most one
// autosave older. Both commit with durability 'strict' (flushed to disk
// before they report success), so a marker is never on disk before its record.
// The bytes are a Blob: Chromium refuses other values over ~127 MiB, and the
// page's largest model with Adam's moments makes a 345 MB file.
//
// Only the playground writes here (saved-run.js); lessons and compare mode do not.

const DB_NAME = 'ae-playground';
const STORE = 'autosave';
export const SLOTS = ['A', 'B'];
const recordKey = (slot) => `record-${slot}`;
const markerKey = (slot) => `marker-${slot}`;

/** Opens (creating if need be) the store. Rejects where the browser keeps no data (some private modes). */
export function openStore(name = DB_NAME) {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('this browser has no IndexedDB'));
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(new SavedRuns(req.result));
    req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
}

class SavedRuns {
  constructor(db) {
    this.db = db;
  }

  /** Runs `f(store)` in one transaction; resolves with what `f` returned (a request's result) once it has committed. */
  #tx(mode, f) {
    return new Promise((resolve, reject) => {
      const t = this.db.transaction(STORE, mode, { durability: 'strict' });
      const out = f(t.objectStore(STORE));
      t.oncomplete = () => resolve(out instanceof IDBRequest ? out.result : out);
      t.onerror = () => reject(t.error ?? new Error('IndexedDB refused the write'));
      t.onabort = () => reject(t.error ?? new Error('IndexedDB aborted the write (storage full?)'));
    });
  }

  /** Both markers: {A: marker|undefined, B: marker|undefined}. Small: the records hold the bytes. */
  async markers() {
    const got = await this.#tx('readonly', (s) => SLOTS.map((slot) => s.get(markerKey(slot))));
    return Object.fromEntries(SLOTS.map((slot, i) => [slot, got[i].result]));
  }

  /** A slot's record, or undefined. */
  record(slot) {
    return this.#tx('readonly', (s) => s.get(recordKey(slot)));
  }

  /** The first write of a slot: its record. Exported so a test can leave a slot as a crash would. */
  putRecord(slot, record) {
    return this.#tx('readwrite', (s) => s.put(record, recordKey(slot)));
  }

  /** The second write: the marker that makes the slot complete. */
  putMarker(slot, marker) {
    return this.#tx('readwrite', (s) => s.put(marker, markerKey(slot)));
  }

  /**
   * Saves `snapshot` ({blob: Blob, hash, step, …}) in the slot that
   * does not hold the newest marker: the newest complete snapshot stays until
   * this one is complete. Returns the slot and its sequence number.
   */
  async save(snapshot) {
    const markers = await this.markers();
    const seqOf = (slot) => markers[slot]?.seq ?? 0;
    const newest = seqOf('A') >= seqOf('B') && markers.A ? 'A' : markers.B ? 'B' : null;
    const slot = newest === 'A' ? 'B' : 'A';
    const seq = Math.max(seqOf('A'), seqOf('B')) + 1;
    const savedAt = snapshot.savedAt ?? Date.now();
    await this.putRecord(slot, { ...snapshot, seq, savedAt });
    await this.putMarker(slot, { seq, savedAt, step: snapshot.step, hash: snapshot.hash, size: snapshot.blob.size });
    return { slot, seq };
  }

  /**
   * The saved runs to restore, newest first: markers only ({slot, seq, step,
   * hash, savedAt, size}); `complete(c)` reads the record and returns it when
   * it is the one its marker describes, or null.
   */
  async candidates() {
    const markers = await this.markers();
    return SLOTS.filter((slot) => markers[slot])
      .map((slot) => ({ slot, ...markers[slot] }))
      .sort((a, b) => b.seq - a.seq);
  }

  async complete(candidate) {
    const r = await this.record(candidate.slot);
    const ok = r && r.seq === candidate.seq && r.blob instanceof Blob && r.blob.size === candidate.size;
    return ok ? r : null;
  }

  /** Forgets every saved run. */
  clear() {
    return this.#tx('readwrite', (s) => s.clear());
  }
}
