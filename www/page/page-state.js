// Every field of the playground page's state, declared in one place. The
// worker owns the model; this is what the page knows about it and about the
// person's input. main.js is the only writer.

/** @param {object} config  the settings in force (shared/run-settings.js's shape) */
export function createPageState(config) {
  return {
    config,
    /** Autoplay: a link that carries a configuration starts training by itself. */
    autoplay: false,
    /** Training was started by the link, not by a press (the status says so). */
    autoplayed: false,
    /** The worker's last `ready` (or `imported`): {simd, model, train, dataset, params}. */
    info: null,
    /** The threads GEMMs use, from the worker's `ready` or `threads`: {n, max, why}. */
    threads: null,
    /** True between a (re)build request and the worker's `ready`. */
    awaitingReady: true,
    /** Start training as soon as the rebuilt model is ready. */
    resumeAfterReady: false,
    /** Training as the page shows it: set by Train/Pause at once, and by the worker's `state`. */
    running: false,
    /** Training as the worker last said (`state`): it lags a click on Pause by a slice. */
    workerRunning: false,
    /** Play or Step was pressed for this model. */
    started: false,
    /** The worker's last `progress` message. */
    progress: null,
    /** Dataset download {phase, loaded, total, file}, null when loaded. */
    load: null,
    /** What stops the page: {kind: 'data'|'init'|'diverged'|'crash'|'train', message}. */
    problem: null,
    /** The test-set evaluation under way {done, total}, or null. */
    evaluating: null,
    /** Loss curves: [step, value] pairs. */
    history: emptyHistory(),
    lastTest: null,
    lastTrain: null,
    /** The drawing as 784 pixels in [0, 1], or null when the pad is blank. */
    input: null,
    /** The drawing kept as A for interpolation, and its thumbnail's pixels. */
    inputA: null,
    interpolating: false,
    /** The last `latent` reply: the plot's points. */
    latent: null,
    /** The plotted test images as bytes, per dataset: {dataset, pixels, size}. */
    testImages: null,
    /** The drawing's reconstruction error, and the test images' median and 90th percentile (pictures.js showFit). */
    inputError: null,
    typicalError: null,
    /** Who chose the CVAE's label for the drawing: false (nobody yet), 'person' or 'classifier'. */
    labelChosen: false,
    /** The point clicked in the latent plot {x, y, label}, or null. */
    picked: null,
    /** Seed of the prior samples shown; New samples draws another from the core. */
    sampleSeed: 1,
    /** When each kind of picture last followed the weights (ms). */
    last: { recon: 0, latent: 0, generate: 0 },
    /** Times of recent worker crashes, to stop restarting a worker that keeps crashing. */
    crashes: [],
    /** Name of the model file being opened. */
    importName: null,
    /** The current model's exported bytes, taken before opening a file and kept until the opened
     *  model's first test figures: a trap in between restarts the worker from them. */
    lastGood: null,
    /** A file is being opened: sent, no `imported` or error yet. */
    awaitingImport: false,
    /** An opened model waits for its first test figures (then `lastGood` is dropped). */
    importPending: false,
    /** Bytes to import once the restarted worker is ready (after a trap while opening a file). */
    restoreAfterReady: null,
    /** True while that restoring import is under way: its `imported` is not a file the person opened. */
    restoring: false,
    /** A saved run is being restored (found on load, not yet opened by the worker). */
    restoringSaved: false,
    /** A first visit's starter model is on its way to the worker (starter.js). */
    openingStarter: false,
    /** The newest snapshot written to IndexedDB {step, savedAt} (saved-run.js), or null. */
    saved: null,
    /** Measured training speed of this machine: floating-point operations per second. */
    flopsPerSec: 0,
  };
}

export function emptyHistory() {
  // terms: the test figures beside the loss by name (the model kind's `terms`, settings table).
  return { train: [], test: [], terms: {} };
}
