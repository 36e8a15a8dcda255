// The status line and the figures under the training buttons: text derived
// from the page's state, nothing else.
import { datasetOf } from '../shared/run-settings.js';

// Not toLocaleString: its first call loads locale data, a long task on a phone.
export const fmtInt = (x) => String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** @returns {[string, 'bad'|'loading'|'training'|'idle']} */
export function statusText(app) {
  const ds = datasetOf(app.config.dataset).title;
  const p = app.problem;
  if (p?.kind === 'data') return [`Could not load ${ds}: ${p.message}`, 'bad'];
  if (p?.kind === 'crash') return [p.message, 'bad'];
  if (p?.kind === 'init') return [`Model not built: ${p.message}`, 'bad'];
  if (p?.kind === 'diverged') return [`Diverged: ${p.message}`, 'bad'];
  if (p?.kind === 'train') return [`Training stopped: ${p.message}`, 'bad'];
  if (app.load) {
    if (app.load.file === 'all') return [`Preparing ${ds}…`, 'loading'];
    const pct = loadFraction(app.load);
    return [pct === null ? `Loading ${ds}…` : `Loading ${ds}… ${Math.floor(100 * pct)}%`, 'loading'];
  }
  if (app.restoringSaved) return ['Restoring your saved training…', 'loading'];
  if (app.openingStarter) return ['Opening a model trained a little for your first visit…', 'loading'];
  if (app.awaitingReady || !app.info) return [`Building the model…`, 'loading'];
  if (app.running) return [app.autoplayed === 'first' ? 'Training (started by itself)' : app.autoplayed ? 'Training (started by the link)' : 'Training', 'training'];
  return [(app.progress?.step ?? 0) > 0 || app.started ? 'Paused' : 'Ready', 'idle'];
}

// The four files come one after another, each with its own byte count; their
// rough shares of the whole (by compressed size) make one honest percentage.
const FILE_SHARE = [
  ['train-images', 0.85, 0],
  ['train-labels', 0.003, 0.85],
  ['t10k-images', 0.145, 0.853],
  ['t10k-labels', 0.002, 0.998],
];
export function loadFraction(l) {
  if (!(l.total > 0)) return null;
  const f = Math.min(1, l.loaded / l.total);
  const share = FILE_SHARE.find(([name]) => String(l.file ?? '').startsWith(name));
  if (!share) return l.phase === 'download' ? f : null;
  // Downloading is most of the wait; unpacking is counted as the last tenth of each file.
  const part = l.phase === 'decode' ? 0.9 + 0.1 * f : 0.9 * f;
  return share[2] + share[1] * part;
}

/** Floating-point operations of one training sample: forward 2, backward 4 per weight. */
export const TRAIN_FLOPS_PER_PARAM = 6;
/** A cautious guess of this machine's speed until training has measured it. */
export const GUESS_FLOPS_PER_SEC = 4e9;
/** Models whose batch is estimated to take longer than this get a warning first. */
export const SLOW_BATCH_SECONDS = 1;

/**
 * Seconds per training batch and per test evaluation (10,000 images, forward
 * only) for a model of `params` parameters, at `flops` per second.
 */
export function estimateSeconds(params, batch, flops) {
  const rate = flops > 0 ? flops : GUESS_FLOPS_PER_SEC;
  return { batch: (TRAIN_FLOPS_PER_PARAM * params * batch) / rate, evaluation: (2 * params * 10_000) / rate };
}
