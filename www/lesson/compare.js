// Compare mode: two to four models side by side, one worker each,
// identical but for the settings under study. The same seed gives the same
// initial weights where the architectures allow it, and `batch_order=seed`
// the same order of batches whatever the architectures; the sides train in lockstep rounds (`step {n, test: false}` to
// every worker, then wait for all), so at every point of a chart the sides
// have seen exactly the same images. Nothing here runs unless a lesson or a
// compare link is opened. `freeComparison` is the card of a `#compare=1` link,
// which makes no claim, with a form for both sides (compare-form.js).

import * as state from '../shared/run-settings.js';
import { WorkerClient } from '../page/worker-client.js';
import { keepOffline } from '../page/service-worker-setup.js';
import { compareForm, defaultSideB } from './compare-form.js';

/**
 * One side's settings: the lesson's (a hash-like string), then the link's
 * overrides for it (`a.lr=0.01` for the first side, `b.…` the second, `c.…`).
 * Bad values fall back as on the main page, each with a problem.
 * @returns {{state: object, problems: string[]}}
 */
export function sideState(base, overrides = []) {
  // Every side shuffles by the seed alone, so models of different shapes
  // (an AE and a VAE) still see the same batches in the same order.
  const pairs = new Map([['batch_order', 'seed']]);
  for (const pair of base.split('&')) {
    const eq = pair.indexOf('=');
    if (eq > 0) pairs.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  for (const [k, v] of overrides) pairs.set(k, v);
  const hash = [...pairs].map(([k, v]) => `${k}=${v}`).join('&');
  const { state: s, problems } = state.parseHash('#' + hash);
  return { state: s, problems };
}

export class Compare {
  /**
   * @param {{key: string, label: string, state: object}[]} sides
   * @param {{onEvent?: (side, msg) => void, onCrash?: (side, message) => void}} handlers
   */
  constructor(sides, { onEvent = () => {}, onCrash = () => {} } = {}) {
    this.sides = sides.map((s) => ({ ...s, client: null, progress: null, test: null, ready: null }));
    this.onEvent = onEvent;
    this.onCrash = onCrash;
    this.step = 0;
  }

  start() {
    for (const s of this.sides) {
      s.client = new WorkerClient(new URL('../worker/worker.js', import.meta.url), {
        onEvent: (m) => this.#event(s, m),
        onCrash: (message) => this.onCrash(s, message),
      }).start();
    }
    return this;
  }

  stop() {
    for (const s of this.sides) s.client?.terminate();
  }

  #event(s, m) {
    if (m.type === 'progress') s.progress = m;
    if (m.type === 'test') s.test = m;
    this.onEvent(s, m);
  }

  /**
   * Builds every side's model (and loads its data); resolves when all are ready. The first
   * side on a data set's files loads them alone, and the others start when it is ready (or has
   * failed): they find the files in the Cache API, so a first visit downloads each once, not
   * once a side at the same time (four times over for a lesson of four sides).
   */
  async init() {
    this.step = 0;
    const loading = new Map(); // a data set's folder (MNIST's serves mnist_binary too) -> its first side's `ready`
    await Promise.all(
      this.sides.map(async (s) => {
        const init = state.toInit(s.state);
        const files = state.datasetOf(init.dataset).dir;
        const ready = s.client.next((m) => m.type === 'ready');
        const first = loading.get(files);
        if (first) await first.catch(() => null);
        else loading.set(files, ready);
        // No test figures for the untrained model: nothing on a lesson's card shows them, and
        // each side would spend a pass over the 10,000 test images before its first round.
        s.client.send({ ...init, test: false });
        s.ready = await ready;
        keepOffline(s.ready.build);
      }),
    );
  }

  /** Trains every side n batches; resolves when all have. */
  async round(n) {
    await Promise.all(this.sides.map((s) => s.client.request({ type: 'step', n, test: false })));
    this.step += n;
    return this.step;
  }

  /** The same request to every side; resolves with their replies in side order. */
  all(msg, transfer = () => []) {
    return Promise.all(this.sides.map((s) => this.ask(s, msg, transfer)));
  }

  /** One side's reply. Typed arrays in `msg` are copied, so one message can go to every side. */
  ask(side, msg, transfer = () => []) {
    const copy = {};
    for (const [k, v] of Object.entries(msg)) copy[k] = ArrayBuffer.isView(v) ? v.slice() : v;
    return side.client.request(copy, transfer(copy));
  }

  /** A probe of the core (worker-probes.js) on one side, or on every side. */
  probe(side, what, args = {}) {
    return this.ask(side, { type: 'probe', what, ...args });
  }

  probeAll(what, args = {}) {
    return Promise.all(this.sides.map((s) => this.probe(s, what, args)));
  }
}

/** `#compare=1&a.…&b.…`: two models of the visitor's choosing, no claim to check. */
export const COMPARE_INFO = { name: 'compare', part: 0, title: 'Compare two models', line: '' };

export function freeComparison(link) {
  link.overrides.b = defaultSideB(link, sideState);
  const summary = (key) => {
    const { state: s } = sideState('', link.overrides[key]);
    const sizes = [784, ...s.hidden, s.latent].join('-');
    return `${key.toUpperCase()}: ${s.model} ${sizes}, ${s.activation}, ${s.optimizer} lr ${s.lr}, seed ${s.seed}`;
  };
  return {
    claim: 'Two models side by side, trained in step on the same batches from the same seed. Set each one below; the link holds both (a.… for the first, b.… for the second).',
    form: () => compareForm(link, sideState),
    look: 'The training losses on one chart, each model’s reconstructions, codes and samples, and at the end both models’ loss on the 10,000 test images.',
    sides: ['a', 'b'].map((key) => ({ key, label: summary(key), hash: '' })),
    batches: 1000,
    chunk: 25,
    views: ['recon', 'latent', 'samples'],
    async measure(ctx) {
      const evals = await ctx.cmp.probeAll('evaluate');
      const loss = evals.map((e) => e.loss);
      return { result: { testLoss: loss }, holds: null, text: `test loss ${loss.map((l, i) => `${ctx.sides[i].key.toUpperCase()} ${l.toFixed(2)}`).join(', ')} nats per image` };
    },
  };
}
