// The page's side of worker.js's protocol, shared by the playground, the loss
// lab and the browser tests' harness. It gives every request an id and routes
// the reply carrying that id back to whoever asked; everything else (progress,
// test, load, state…) goes to `onEvent`.
//
// Two rules keep views honest:
// - A generation: `invalidate()` (on reset, rebuild, import, clear) makes
//   every reply to an earlier request stale, so a late reply can never
//   overwrite a view that has moved on.
// - One slot per kind: `slot(kind, …)` keeps at most one request of a kind in
//   flight; a newer one waits, replacing any older waiting one, so a busy
//   worker is never flooded with drawings it will answer too late.

export class WorkerClient {
  /**
   * @param {URL|string} url  the worker module
   * @param {{onEvent?: (msg: object) => void, onCrash?: (message: string) => void}} handlers
   *   onCrash: the worker died (an uncaught error) or its core trapped (`crashed`).
   */
  constructor(url, { onEvent = () => {}, onCrash = null } = {}) {
    this.url = url;
    this.onEvent = onEvent;
    this.onCrash = onCrash;
    this.worker = null;
    this.gen = 0;
    this.nextId = 1;
    /** id -> {gen, kind, resolve, reject} */
    this.pending = new Map();
    /** kind -> id of the request in flight */
    this.busy = new Map();
    /** kind -> the newest request waiting for its kind's slot */
    this.waiting = new Map();
    /** Waiters for the next event matching a predicate. */
    this.watchers = [];
    /** Ids of requests sent and not yet answered, stale ones included: the worker still works on them. */
    this.unanswered = new Set();
    /** Ids of `tell` commands (play, pause, step) not yet answered. */
    this.told = new Set();
    /** Modules besides `onEvent` that want the events (own-data.js: every `ready`). */
    this.listeners = new Set();
  }

  /** Calls `fn` with every event `onEvent` gets, after it. */
  listen(fn) {
    this.listeners.add(fn);
  }

  /** Nothing asked of the worker is still unanswered or waiting for its slot. */
  quiet() {
    return this.unanswered.size === 0 && this.told.size === 0 && this.waiting.size === 0;
  }

  start() {
    // A page opened with ?beside=0 (scripts/bench-page.mjs) passes it on: its worker evaluates in turns with training.
    const url = new URL(this.url, globalThis.location?.href);
    const beside = new URLSearchParams(globalThis.location?.search ?? '').get('beside');
    if (beside !== null) url.searchParams.set('beside', beside);
    const w = new Worker(url, { type: 'module' });
    // Events of a worker already replaced (a crash reported twice) are ignored.
    w.addEventListener('message', (e) => w === this.worker && this.#receive(e.data));
    w.addEventListener('error', (e) => {
      e.preventDefault?.();
      if (w !== this.worker) return;
      const message = e.message || 'the worker stopped';
      this.#failAll(new Error(message));
      if (this.onCrash) this.onCrash(message);
    });
    w.addEventListener('messageerror', () => this.onEvent({ type: 'error', where: 'request', message: 'A message from the worker could not be read.' }));
    this.worker = w;
    return this;
  }

  terminate() {
    this.worker?.terminate();
    this.worker = null;
    this.#failAll(new Error('the worker was stopped'));
  }

  /** Makes every reply to an earlier request stale and frees every slot. */
  invalidate() {
    this.gen++;
    for (const p of this.pending.values()) p.resolve(null);
    this.pending.clear();
    this.busy.clear();
    this.waiting.clear();
    this.told.clear(); // a new model: the worker drops the old one's steps unanswered
  }

  /** A command whose replies are events for `onEvent` (init, import…). */
  send(msg, transfer = []) {
    this.worker.postMessage(msg, transfer);
  }

  /**
   * A command whose reply (carrying the id given here) goes to `onEvent`, and
   * which counts as unanswered until then: play and pause (`state`), step
   * (`test` or `stepped`).
   */
  tell(msg) {
    const id = this.nextId++;
    this.told.add(id);
    this.worker.postMessage({ ...msg, id });
  }

  /**
   * Sends `msg` with a fresh id. Resolves with the reply carrying that id, or
   * with null if the client was invalidated first; rejects with the worker's
   * error for it.
   */
  request(msg, transfer = [], kind = msg.type) {
    const id = this.nextId++;
    const promise = new Promise((resolve, reject) => this.pending.set(id, { gen: this.gen, kind, resolve, reject }));
    this.unanswered.add(id);
    this.worker.postMessage({ ...msg, id }, transfer);
    return promise;
  }

  /**
   * Like `request`, one in flight per `kind`: `done(reply)` runs only if the
   * reply is still current; `fail(error)` on the worker's error for it.
   * `make()` builds the message when the slot frees, so a waiting request
   * carries the newest input, not the input of when it was queued.
   */
  slot(kind, make, done, fail = () => {}) {
    if (this.busy.has(kind)) {
      this.waiting.set(kind, { make, done, fail });
      return;
    }
    const built = make();
    if (!built) return;
    const [msg, transfer = []] = Array.isArray(built) ? built : [built];
    const gen = this.gen;
    const promise = this.request(msg, transfer, kind);
    const id = this.nextId - 1;
    this.busy.set(kind, id);
    const release = () => {
      // A forgotten or invalidated request no longer holds its kind's slot.
      if (gen !== this.gen || this.busy.get(kind) !== id) return;
      this.busy.delete(kind);
      const next = this.waiting.get(kind);
      this.waiting.delete(kind);
      if (next) this.slot(kind, next.make, next.done, next.fail);
    };
    promise.then(
      (reply) => {
        if (reply && gen === this.gen) done(reply);
        release();
      },
      (e) => {
        if (gen === this.gen) fail(e);
        release();
      },
    );
  }

  /** Drops what waits for `kind`'s slot and makes its request in flight stale. */
  forget(kind) {
    this.waiting.delete(kind);
    const id = this.busy.get(kind);
    if (id === undefined) return;
    this.busy.delete(kind);
    this.pending.get(id)?.resolve(null);
    this.pending.delete(id);
  }

  /** Resolves with the next event (a message without a pending id) that `match` accepts. */
  next(match, timeoutMs = 0) {
    return new Promise((resolve, reject) => {
      const w = { match, resolve, reject };
      this.watchers.push(w);
      if (timeoutMs > 0) {
        setTimeout(() => {
          const i = this.watchers.indexOf(w);
          if (i >= 0) this.watchers.splice(i, 1), reject(new Error(`no reply from the worker within ${timeoutMs} ms`));
        }, timeoutMs);
      }
    });
  }

  #receive(m) {
    if (m?.id !== undefined) this.unanswered.delete(m.id), this.told.delete(m.id);
    if (m?.type === 'crashed') {
      this.#failAll(new Error(m.message));
      if (this.onCrash) this.onCrash(m.message);
      else this.onEvent(m);
      return;
    }
    if (m && m.id !== undefined && this.pending.has(m.id)) {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (p.gen !== this.gen) return p.resolve(null);
      if (m.type === 'error') p.reject(Object.assign(new Error(m.message), { where: m.where, request: m.request }));
      else p.resolve(m);
      return;
    }
    // An error for a request we no longer track, or for no request at all.
    if (m?.type === 'error' && (m.where === 'request' || m.where === undefined) && m.id === undefined) {
      // Without an id we cannot tell which request failed: free every slot.
      for (const p of this.pending.values()) p.reject(new Error(m.message));
      this.pending.clear();
      this.busy.clear();
      this.unanswered.clear();
      this.told.clear();
    }
    for (const w of [...this.watchers]) {
      if (m?.type === 'error' && w.match !== undefined && !w.match(m)) {
        this.watchers.splice(this.watchers.indexOf(w), 1);
        w.reject(new Error(m.message));
      } else if (w.match(m)) {
        this.watchers.splice(this.watchers.indexOf(w), 1);
        w.resolve(m);
      }
    }
    this.onEvent(m);
    for (const fn of this.listeners) fn(m);
  }

  #failAll(error) {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    this.unanswered.clear();
    this.told.clear();
    this.busy.clear();
    this.waiting.clear();
    for (const w of this.watchers.splice(0)) w.reject(error);
  }
}
