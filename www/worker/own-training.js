// One's own images in training (the page's own-data panel): what training
// reads, the dataset alone, it with one's own images mixed in, or them alone;
// and a CVAE (or classifier) built with their classes after the digits'.
// The worker owns the model and the data and hands this file ways to read
// them as they are now, and its `post` (the constructor lists them).
//
// main -> worker
//   own {id?, mode: 'off'|'mixed'|'only', images: Uint8Array(784·n), labels: Uint8Array(n), classes: [names]}
//        -> own {id, mode, trainImages, pending, why}   What training reads from the next
//        batch on: the dataset (off), it with one's own images mixed in (mixed), or them
//        alone (only); their classes are labels 10, 11, … (MnistData.with_own), each
//        repeated to come up as often as a digit. The model goes on from where it is
//        (fine-tuning); the test set stays the dataset's. trainImages is null before the
//        first model. Kept across init and import, and checked against each new model
//        (then an `own` event without id says how it stands). A CVAE (or classifier)
//        learns new classes only when built with them: `pending` is true, `why` says to
//        Reset, and the next init builds it with 10 + theirs. A labelled AAE's prior has
//        10 parts, so `own` errors, and training reads the dataset.

import { errorText } from './messages.js';

/** The digits' labels; one's own classes come after them. */
const DIGITS = 10;
const MODES = ['off', 'mixed', 'only'];

export class OwnTraining {
  /**
   * @param {object} worker  what this file uses of the worker; the functions read it as it is now
   * @param {() => object|null} worker.model  the model (a Playground), or null before the first
   * @param {() => object|null} worker.data  the dataset the model trains on (MnistData), or null while none is loaded
   * @param {() => boolean} worker.binary  whether that dataset's pixels are black or white
   * @param {(msg: object) => void} worker.post  a message to the page
   */
  constructor({ model, data, binary, post }) {
    this.model = model;
    this.dataset = data;
    this.binary = binary;
    this.post = post;
    this.want = null; // {mode, images, labels, classes}: what the page asked for, while not off
    this.data = null; // MnistData: the dataset with the images mixed in (or them alone), what training reads
    this.why = null; // why training does not read them (yet)
    this.names = null; // the names of labels 10, 11, … the model was built with, or null
  }

  answer(msg) {
    const mode = msg.mode ?? 'off';
    if (!MODES.includes(mode)) throw new Error(`own takes the mode off, mixed or only, got ${mode}`);
    if (mode !== 'off' && !(msg.images instanceof Uint8Array && msg.labels instanceof Uint8Array && Array.isArray(msg.classes))) {
      throw new Error('own needs images and labels as Uint8Arrays and classes as a list of names');
    }
    this.want = mode === 'off' ? null : { mode, images: msg.images, labels: msg.labels, classes: msg.classes };
    this.mix();
    this.post({ type: 'own', id: msg.id, ...this.now() });
  }

  /** The config `model` as built while training reads one's own images: a CVAE or classifier gets their classes. */
  withClasses(model) {
    const labelled = model.kind === 'cvae' || model.kind === 'classifier';
    return this.want && labelled ? { ...model, classes: DIGITS + this.want.classes.length } : model;
  }

  /** A model of `config` was built: names for its labels past the digits' (one's own, else the last names, else numbers). */
  built(config) {
    const extra = (config.classes ?? DIGITS) - DIGITS;
    this.names = extra > 0 ? Array.from({ length: extra }, (_, i) => this.want?.classes[i] ?? this.names?.[i] ?? `class ${DIGITS + i}`) : null;
  }

  /** After a new model or dataset: training reads one's own images still, if the model can take them; the page hears how it stands. */
  keep() {
    if (!this.want) return;
    try {
      this.mix();
    } catch {
      // this.why says why, to the page:
    }
    this.post({ type: 'own', ...this.now() });
  }

  /** Frees what training reads (the dataset is about to be replaced). */
  drop() {
    this.data?.free();
    this.data = null;
  }

  /**
   * (Re)builds what training reads. A CVAE built before one's own classes
   * leaves it pending (`why` says to Reset); a model that cannot take them
   * at all throws, with training back on the dataset.
   */
  mix() {
    this.drop();
    this.why = null;
    const [pg, data, want] = [this.model(), this.dataset(), this.want];
    if (!want || !pg || !data) return;
    const config = JSON.parse(pg.model_config_json());
    if (this.withClasses(config).classes !== config.classes) {
      const kind = config.kind === 'cvae' ? 'A CVAE' : 'A classifier';
      this.why = `${kind} learns new classes only when it is built with them: press Reset to rebuild it with ${DIGITS + want.classes.length} classes (what it has learnt so far is lost; export it first to keep it). Until then training reads the dataset only.`;
      return;
    }
    let next = null;
    try {
      next = data.with_own(want.images, want.labels, JSON.stringify(want.classes), want.mode === 'only');
      if (this.binary()) next.binarise();
      pg.check_data(next);
    } catch (e) {
      next?.free();
      this.want = null;
      this.why = `Training reads the dataset only: this model knows the 10 digit labels and cannot learn new classes. Choose one that reads no labels (an AE, DAE, CAE, VAE, or an AAE without labels) to train on your images. (Details: ${errorText(e)})`;
      throw new Error(this.why, { cause: e });
    }
    this.data = next;
  }

  /** What training reads now: {mode, trainImages (null before a model), pending (waits for a rebuild), why}. */
  now() {
    const data = this.dataset();
    return { mode: this.want?.mode ?? 'off', trainImages: (this.data ?? data)?.train_len ?? null, pending: Boolean(this.want && !this.data && this.model() && data), why: this.why };
  }
}
