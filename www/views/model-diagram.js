// A picture of the model the settings describe: the encoder's layers narrowing
// to the code z and the decoder's widening back, each layer a bar whose height
// grows with the log of its width, and around them what the model kind adds:
// the noise a DAE trains through, a CAE's penalty on ∂z/∂x, a VAE's μ, σ and
// its prior, a CVAE's label, an AAE's prior and discriminator, VAE-GAN's
// discriminator on images. It is redrawn
// from the settings, so it changes as they do. SVG: sharp at any size, and the
// words are text a screen reader can also have as one sentence (aria-label).

const NS = 'http://www.w3.org/2000/svg';
const W = 260;
const H = 140;
const MID = 70; // the bars' centre line
const TALL = 60; // the tallest bar (784 wide)

/**
 * @param {SVGSVGElement} svg
 * @returns {{update: (c: object, facts: {variational: boolean, conditional: boolean, adversarial: boolean, prior: boolean}, decoderName: string) => void}}
 */
export function create(svg) {
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('role', 'img');
  // The page calls update on every render (a download's progress, each
  // batch's figures): the picture is rebuilt only when what it shows changed.
  let shown = '';
  return {
    update(c, facts, decoderName) {
      const key = JSON.stringify([c, facts, decoderName]);
      if (key === shown) return;
      shown = key;
      svg.replaceChildren(...draw(c, facts, decoderName));
      svg.setAttribute('aria-label', describe(c, facts, decoderName));
    },
  };
}

/** The picture in one sentence. */
export function describe(c, facts, decoderName) {
  const enc = [784, ...c.hidden].join(' → ');
  const dec = [...c.hidden].reverse().concat(784).join(' → ');
  const parts = [`Model: the encoder maps ${enc} pixels and units to a code z of ${c.latent}`];
  if (facts.variational) parts.push('as a mean μ and spread σ, sampling z = μ + σ·ε');
  parts.push(`and the decoder maps it back, ${c.latent} → ${dec}, to ${decoderName} pixels`);
  const extra = [];
  if (c.model === 'dae') extra.push('the input is corrupted first');
  if (c.model === 'cae') extra.push('a penalty keeps ∂z/∂x small');
  if (facts.conditional) extra.push('both halves also read the label y');
  if (facts.variational) extra.push('a KL term pulls q(z|x) towards the prior N(0, I)');
  if (facts.adversarial) extra.push(`a discriminator tells codes from samples of the ${c.prior} prior${c.aae_labels ? ', given the label' : ''}`);
  if (c.model === 'vaegan') extra.push(`a discriminator (${discriminator(c)}) tells real images from decoded ones, and the reconstruction is measured in its features`);
  return `${parts.join(', ')}${extra.length ? `; ${extra.join('; ')}` : ''}.`;
}

/** VAE-GAN's discriminator in words: its convolutions' channels, then its dense widths. */
function discriminator(c) {
  const conv = c.disc_conv?.length ? [`convolutions of ${c.disc_conv.join(', ')} channels`] : [];
  const dense = c.disc_hidden?.length ? [`dense ${c.disc_hidden.join(' → ')}`] : [];
  return [...conv, ...dense].join(', then ');
}

function el(name, attrs, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const height = (n) => Math.max(8, (TALL * Math.log(1 + n)) / Math.log(785));
const label = (x, y, text, cls = 'md-label') => el('text', { x, y, class: cls, 'text-anchor': 'middle' }, text);

function draw(c, facts, decoderName) {
  const widths = [784, ...c.hidden, c.latent, ...[...c.hidden].reverse(), 784];
  const zAt = c.hidden.length + 1;
  const left = 14, right = W - 14;
  const step = (right - left) / (widths.length - 1);
  const xs = widths.map((_, i) => left + i * step);
  const out = [];
  // Links between consecutive layers: a trapezoid from one bar to the next.
  for (let i = 0; i + 1 < widths.length; i++) {
    const [a, b] = [height(widths[i]) / 2, height(widths[i + 1]) / 2];
    out.push(el('polygon', { class: i < zAt ? 'md-enc' : 'md-dec', points: `${xs[i]},${MID - a} ${xs[i + 1]},${MID - b} ${xs[i + 1]},${MID + b} ${xs[i]},${MID + a}` }));
  }
  widths.forEach((n, i) => {
    const h = height(n);
    out.push(el('rect', { class: i === zAt ? 'md-code' : 'md-layer', x: xs[i] - 4, y: MID - h / 2, width: 8, height: h, rx: 2 }));
    out.push(label(xs[i], MID + h / 2 + 11, String(n), 'md-size'));
  });
  const z = xs[zAt];
  out.push(el('text', { x: xs[0] - 4, y: 12, class: 'md-label', 'text-anchor': 'start' }, c.model === 'dae' ? 'x̃ = noisy x' : 'x'));
  out.push(el('text', { x: xs.at(-1) + 4, y: 12, class: 'md-label', 'text-anchor': 'end' }, `x̂ ~ ${decoderName}`));
  out.push(label((xs[0] + z) / 2, H - 4, 'encoder', 'md-note'));
  out.push(label((z + xs.at(-1)) / 2, H - 4, 'decoder', 'md-note'));
  out.push(label(z, 12, facts.variational ? 'z = μ + σ·ε' : 'z'));
  if (c.model === 'cae') out.push(label((xs[0] + z) / 2, 27, 'penalty λ‖∂z/∂x‖²', 'md-extra'));
  if (facts.conditional) {
    out.push(label((xs[0] + z) / 2, 27, 'label y →', 'md-extra'));
    out.push(label((z + xs.at(-1)) / 2, 27, '→ label y', 'md-extra'));
  }
  if (facts.variational) out.push(label(z, H - 20, 'KL → prior N(0, I)', 'md-extra'));
  if (c.model === 'vaegan') out.push(label((z + xs.at(-1)) / 2, 27, `D on x̂: ${c.disc_conv?.length ? 'conv' : 'dense'}`, 'md-extra'));
  if (facts.adversarial) {
    out.push(label(z, H - 20, `D: code or ${c.prior} prior?`, 'md-extra'));
    out.push(el('line', { class: 'md-arrow', x1: z, y1: MID + height(c.latent) / 2 + 14, x2: z, y2: H - 31 }));
  }
  return out;
}
