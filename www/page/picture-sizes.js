// How many images each of the page's pictures asks the worker for: pictures.js
// makes the requests, render.js words the captions that name these sizes.

/** Test images in the latent scatter plot. */
export const LATENT_LIMIT = 2000;
/** Prior samples drawn in grey under an AAE's codes. */
export const PRIOR_CLOUD = 1500;
export const SAMPLES = 16;
export const INTERP_STEPS = 10;
export const NEIGHBOURS = 8;
/** The manifold grid is MANIFOLD_N × MANIFOLD_N decodes. */
export const MANIFOLD_N = 15;
