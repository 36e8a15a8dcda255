// The lecture's terms, each explained in one line for a learner, with the
// lesson that shows it. The page marks where a term is used with
// <span data-term="id"></span>; `attachTerms` puts a "?" there that opens the
// line in place (a button and a span: both may sit inside a heading).

/** id -> {term, says, lesson?}; `lesson` names a lesson of lesson/lessons/catalogue.js. */
export const TERMS = {
  nats: { term: 'nats', says: 'A unit of surprise: −log p(x) with the natural log, as bits use log₂. A loss of 100 nats per image means the model gave the image a probability of e⁻¹⁰⁰. Lower is better.', lesson: 'likelihood' },
  kl: { term: 'KL', says: 'The Kullback–Leibler divergence: how far one distribution is from another, in nats. A VAE pays it for each code’s q(z|x) straying from the prior N(0, I).', lesson: 'beta' },
  elbo: { term: 'negative ELBO', says: 'The VAE’s loss, reconstruction plus KL: the evidence lower bound, negated, is an upper bound on −log p(x), so lowering it makes the images more probable.', lesson: 'ae-vs-vae' },
  q: { term: 'q(z|x)', says: 'The encoder’s guess at the code of an image x: in a VAE, a Gaussian with a mean μ and a spread σ for each dimension of z.', lesson: 'ae-vs-vae' },
  pca: { term: 'PCA', says: 'Principal component analysis: the best flat (linear) map to a few dimensions, the one that keeps the most of the pixels’ variance.', lesson: 'manifold' },
  icdf: { term: 'inverse Gaussian CDF', says: 'Turns evenly spaced numbers between 0 and 1 into values of N(0, 1), packed near 0 and sparse in the tails, so a grid covers the prior as its samples do.', lesson: 'ae-vs-vae' },
  gflops: { term: 'GFLOP/s', says: 'Billions of arithmetic operations per second: how fast this machine is training the model (6 per weight per image).' },
  simd: { term: 'relaxed SIMD', says: 'WebAssembly instructions that work on several numbers at once. “Relaxed” lets the browser use the machine’s fastest form, so figures can differ in their last digits from another machine’s.' },
  xhat: { term: 'x̂', says: '“x-hat”: the decoder’s output, its rebuilt version of the input x.', lesson: 'likelihood' },
  xtilde: { term: 'x̃', says: '“x-tilde”: the input after it was spoilt on purpose, which a denoising autoencoder learns to undo.', lesson: 'denoising' },
};

/** Puts a "?" at every `[data-term]` in `root`, opening its term's line and lesson link. */
export function attachTerms(root = document) {
  for (const mark of root.querySelectorAll('[data-term]')) {
    const t = TERMS[mark.dataset.term];
    if (!t || mark.querySelector('button')) continue;
    const doc = mark.ownerDocument;
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'term-button';
    button.textContent = '?';
    button.setAttribute('aria-label', `What is ${t.term}?`);
    button.setAttribute('aria-expanded', 'false');
    const line = doc.createElement('span');
    line.className = 'term-says';
    line.id = `term-${mark.dataset.term}-${Math.random().toString(36).slice(2, 8)}`;
    line.hidden = true;
    line.append(`${t.term}: ${t.says}`);
    if (t.lesson) {
      const a = doc.createElement('a');
      a.href = `./#lesson=${t.lesson}`;
      a.textContent = 'See it in a lesson';
      line.append(' ', a, '.');
    }
    button.setAttribute('aria-controls', line.id);
    button.addEventListener('click', () => {
      line.hidden = !line.hidden;
      button.setAttribute('aria-expanded', String(!line.hidden));
    });
    mark.append(button, line);
  }
}
