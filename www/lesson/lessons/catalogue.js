// The lessons in the lecture's order ("Everything about autoencoders"):
// 1 DNNs revisited, 2 manifold learning, 3 AE / DAE / CAE, 4 VAE, CVAE,
// AAE, 5 applications. Each lesson's experiment is in ./<name>.js; this list
// is all the index page and the lesson page's navigation need, so neither
// loads an experiment it does not run.

export const PARTS = ['DNNs revisited', 'Manifold learning', 'Autoencoders', 'Generative autoencoders', 'Applications'];

export const LESSONS = [
  { name: 'gradient-descent', part: 1, title: 'Gradient descent is a first-order Taylor step', line: 'Three step sizes on one network: the loss drop the gradient predicts beside the drop that happens.' },
  { name: 'backprop', part: 1, title: 'Why deep sigmoid networks learned slowly', line: 'The same deep autoencoder with sigmoid and with ReLU units: each layer’s gradient, from the first steps.' },
  { name: 'cross-entropy', part: 1, title: 'Cross-entropy vs squared error: the gradient', line: 'From one saturated start, the Bernoulli decoder learns at once and the Gaussian one crawls; the σ′ factor is why.' },
  { name: 'initialisation', part: 1, title: 'Cross-entropy is less sensitive to the initial weights', line: 'Two decoders times two initialisations: how far each loss’s result moves when only the start changes.' },
  { name: 'likelihood', part: 1, title: 'A decoder outputs a distribution', line: 'On black-and-white digits: a Bernoulli, a σ = 1 Gaussian and a learned-σ Gaussian decoder, each giving test images a probability, and whether each one’s chances come true.' },
  { name: 'manifold', part: 2, title: 'Digits live on a manifold', line: 'Walk between two digits in pixel space and in a code space, judged by a classifier; and the test set in 2-D by PCA and by an autoencoder.' },
  { name: 'denoising', part: 3, title: 'Denoising autoencoder', line: 'AE vs denoising AE from one seed: reconstruction error at several noise levels.' },
  { name: 'contractive', part: 3, title: 'Contractive autoencoder', line: 'AE vs contractive AE: the encoder Jacobian’s norm, and how far a code moves when its input is nudged.' },
  { name: 'ae-vs-vae', part: 4, title: 'Why the VAE generates and the AE does not', line: 'Latent plots side by side, and how many samples of each a classifier reads with confidence.' },
  { name: 'beta', part: 4, title: 'The weight of the KL term (β)', line: 'VAEs with β = 1 and β = 10: collapsed dimensions, and reconstruction traded for KL.' },
  { name: 'cvae', part: 4, title: 'Conditional VAE: style and content', line: 'One drawing as all ten classes, and codes that keep style, not class.' },
  { name: 'aae', part: 4, title: 'Adversarial autoencoder: choose the prior', line: 'The same data under a Gaussian, a mixture of ten and a swiss-roll prior, beside a plain AE: MMD² to each prior and codes in their own label’s part.' },
  { name: 'generation', part: 5, title: 'Generation: VAE-GAN against the blur', line: 'The same VAE with and without a discriminator on images: how grey their samples are, and what a classifier reads in them.' },
  { name: 'retrieval', part: 5, title: 'Retrieval by code', line: 'Precision of the 8 nearest test images by pixels, by an AE’s codes and by a VAE’s means.' },
  { name: 'hashing', part: 5, title: 'Semantic hashing: 4 bytes for 3 KB', line: 'Noise before the code turns it into 32 bits; images found by the bits that differ, beside the same code without noise and beside pixels.' },
];

export function lessonNamed(name) {
  return LESSONS.find((l) => l.name === name) ?? null;
}
