// The lecture's loss comparison, run live: two workers train the same
// autoencoder from the same saturated initialisation, one with a Bernoulli
// decoder (cross-entropy), one with a Gaussian decoder (squared error), and
// the page plots both models' squared error on the same test images.
// Uses worker.js's protocol through worker-client.js: init, step {n}, latent, reconstruct.
import * as chartView from './views/chart.js';
import * as gridView from './views/grid.js';
import { WorkerClient } from './worker-client.js';

const SHOWN = 100; // test images scored (the first 100 of the test set)
const TILES = 10; // of which this many are drawn
const CHUNK = 10; // batches per round
const MAX_BATCHES = 600;
const PIXELS = 784;

const $ = (id) => document.getElementById(id);
const chart = chartView.create($('chart'));
const views = { ce: gridView.create($('recon-ce'), { cols: TILES, gap: 2 }), mse: gridView.create($('recon-mse'), { cols: TILES, gap: 2 }) };
const originals = gridView.create($('originals'), { cols: TILES, gap: 2 });
const COLORS = { ce: '#1f77b4', mse: '#d62728' };
const LABELS = { ce: 'cross-entropy', mse: 'squared error' };

let gen = 0; // bumps on reset: replies to an older run are dropped
let running = false;
let images = null; // Float32Array(SHOWN·784), the test images
const side = {
  ce: { decoder: 'bernoulli', client: null, points: [] },
  mse: { decoder: 'gaussian', client: null, points: [] },
};

function status(text) {
  $('status').textContent = text;
}

/** Sends a command to one side's worker and resolves with the first event that `match` accepts. */
function ask(s, msg, match) {
  const reply = s.client.next(match);
  s.client.send(msg);
  return reply;
}

/** Mean over the shown images of Σ_pixels (x − x̂)². */
function squaredError(recon) {
  let total = 0;
  for (let i = 0; i < recon.length; i++) total += (recon[i] - images[i]) ** 2;
  return total / SHOWN;
}

async function score(key, step) {
  const s = side[key];
  const m = await s.client.request({ type: 'reconstruct', pixels: images.slice() });
  s.points.push([step, squaredError(m.pixels)]);
  views[key].update({ pixels: m.pixels.subarray(0, TILES * PIXELS), n: TILES });
}

function draw() {
  chart.update({ series: Object.entries(side).map(([k, s]) => ({ label: LABELS[k], color: COLORS[k], points: s.points, dots: true })), xLabel: 'batches' });
  const last = (k) => side[k].points.at(-1)?.[1];
  if (last('ce') !== undefined) {
    $('figures').textContent = `Squared error per test image after ${side.ce.points.at(-1)[0]} batches: cross-entropy model ${last('ce').toFixed(1)}, squared-error model ${last('mse').toFixed(1)}.`;
  }
}

async function start() {
  const g = ++gen;
  running = false;
  $('run').disabled = $('reset').disabled = true;
  $('run').textContent = '▶ Run';
  for (const s of Object.values(side)) {
    s.client?.terminate();
    s.client = new WorkerClient(new URL('./worker.js', import.meta.url)).start();
    s.points = [];
  }
  status('Loading MNIST…');
  const std = Number($('std').value), lr = Number($('lr').value);
  const model = (decoder) => ({ kind: 'ae', hidden: [], latent: 16, activation: 'sigmoid', decoder, init: { kind: 'normal', std } });
  const train = { optimizer: 'sgd', lr, batch: 32, seed: 5 };
  try {
    await Promise.all(Object.values(side).map((s) => ask(s, { type: 'init', model: model(s.decoder), train, dataset: 'mnist' }, (d) => d.type === 'ready')));
    if (!images) {
      const m = await side.ce.client.request({ type: 'latent', limit: SHOWN, withImages: true });
      images = Float32Array.from(m.images, (v) => v / 255);
      originals.update({ pixels: images.subarray(0, TILES * PIXELS), n: TILES });
    }
    await Promise.all(['ce', 'mse'].map((k) => score(k, 0)));
  } catch (e) {
    status(`Could not start: ${e.message}`);
    $('reset').disabled = false;
    return;
  }
  if (g !== gen) return;
  draw();
  status('Ready: press Run');
  $('run').disabled = $('reset').disabled = false;
}

async function loop(g) {
  while (running && g === gen) {
    const step = side.ce.points.at(-1)[0] + CHUNK;
    try {
      // Wait for the evaluation *of this step*: an earlier one may still be in flight.
      await Promise.all(Object.values(side).map((s) => ask(s, { type: 'step', n: CHUNK }, (d) => d.type === 'test' && d.step === step)));
      if (g !== gen) return;
      await Promise.all(['ce', 'mse'].map((k) => score(k, step)));
    } catch (e) {
      status(`Stopped: ${e.message}`);
      running = false;
      break;
    }
    if (g !== gen) return;
    draw();
    // Pause may have been pressed while this round ran: say what is true now.
    status(running ? `Training: ${step} batches` : `Paused after ${step} batches`);
    if (step >= MAX_BATCHES) {
      running = false;
      status(`Done: ${step} batches`);
      $('run').disabled = true;
    }
  }
  $('run').textContent = '▶ Run';
}

$('run').addEventListener('click', () => {
  running = !running;
  $('run').textContent = running ? '❚❚ Pause' : '▶ Run';
  if (running) loop(gen);
  else status(`Paused after ${side.ce.points.at(-1)?.[0] ?? 0} batches`);
});
$('reset').addEventListener('click', start);
$('std').addEventListener('change', start);
$('lr').addEventListener('change', start);
start();
