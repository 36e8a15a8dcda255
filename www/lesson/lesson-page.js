// A lesson: one claim of the lecture, run live in compare mode (compare.js)
// on real data. Opened as `#lesson=<name>` on the main page (entry.js loads
// this instead of main.js), `&embed=1` for an <iframe>. The link may carry
// overrides for each side (`a.lr=0.01`, `b.latent=8`), the number of batches
// (`batches=200`) and `autoplay=0`.
//
// A lesson module (./lessons/<name>.js) exports:
//   claim, look        two or three sentences, and what to look at
//   chunk              the batches per lockstep round (its sides, length and rules are the
//                      core's: ./lessons/claims.js, generated from src/claims)
//   views?             per side: any of 'recon', 'latent', 'samples' (default ['recon'])
//   setup?(ctx)        builds its own views in ctx.panel
//   observe?(ctx)      after every round (e.g. gradient norms for the chart)
//   series?(ctx)       the shared chart's curves, if not each side's training loss
//   show?(ctx, figures, verdict)  after the core has judged the sides' figures
// The free comparison (compare.js) has no rules: it exports sides, batches and
//   measure(ctx)       -> {result: {...figures}, holds: null, text}
// The card carries data-result (JSON) and data-claim-holds once measured.

import * as chartView from '../views/chart.js';
import * as gridView from '../views/grid.js';
import * as latentView from '../views/latent-plot.js';
import * as drawpadView from '../views/drawpad.js';
import { ALPHA, toMnist } from '../page/mnist-preprocess.js';
import { fewItems } from '../page/notices.js';
import { COMPARE_INFO, Compare, freeComparison, sideState } from './compare.js';
import { LESSONS, PARTS, lessonNamed } from './lessons/catalogue.js';
import { CLAIMS } from './lessons/claims.js';
import { el } from './elements.js';
import { parseLessonHash } from './lesson-link.js';
import { ruleItem } from './verdict.js';

const PIXELS = 784;
/** Test images every lesson can use: the first of the test set. */
const PROBE_IMAGES = 100;
const STRIP = 8; // reconstructions per side
const SIDE_KEYS = ['a', 'b', 'c', 'd'];
const LATENT_EVERY = 6; // rounds between refreshes of the slower views (latent plots, samples, a lesson's own)

export async function startLesson(hash = location.hash) {
  const link = parseLessonHash(hash);
  document.body.classList.add('lesson-mode');
  if (link.embed) document.body.classList.add('embed');
  const root = document.getElementById('lesson-root');
  if (link.compare && !link.name) return new LessonRun(root, COMPARE_INFO, freeComparison(link), link).start();
  const info = lessonNamed(link.name);
  if (!info) return showIndexInstead(root, link.name);
  const lesson = await import(`./lessons/${info.name}.js`);
  document.title = `${info.title}: AE Playground lesson`;
  return new LessonRun(root, info, lesson, link).start();
}

function showIndexInstead(root, name) {
  root.replaceChildren(
    el(
      'section',
      { class: 'card lesson-card', role: 'alert' },
      el('h2', { text: 'No such lesson' }),
      el('p', { text: `There is no lesson called “${String(name ?? '').slice(0, 40)}”. These are the lessons:` }),
      lessonList(),
    ),
  );
}

export function lessonList() {
  return el(
    'ol',
    { class: 'lesson-list' },
    LESSONS.map((l) => el('li', {}, el('a', { href: `./#lesson=${l.name}`, text: l.title }), ' ', el('span', { class: 'subtle', text: `(${PARTS[l.part - 1]}) ${l.line}` }))),
  );
}

class LessonRun {
  constructor(root, info, lesson, link) {
    this.root = root;
    this.info = info;
    this.lesson = lesson;
    this.link = link;
    // A measured lesson's sides, length and rules come from the core's table (src/claims).
    this.spec = CLAIMS[info.name] ?? null;
    this.batches = link.batches ?? this.spec?.batches ?? lesson.batches;
    this.chunk = Math.max(1, Math.min(lesson.chunk ?? 10, this.batches));
    this.running = false;
    this.gen = 0;
    this.curves = new Map(); // side key -> [[step, loss]]
  }

  async start() {
    this.build();
    const problems = [...this.link.problems];
    const sides = (this.spec?.sides ?? this.lesson.sides).map((s, i) => {
      const { state, problems: p } = sideState(s.link ?? s.hash, this.link.overrides[SIDE_KEYS[i]]);
      problems.push(...p.map((x) => `${s.label}: ${x}`));
      return { key: s.key, label: s.label, state };
    });
    if (problems.length) this.note(fewItems(problems).join(' '));
    this.sides = sides;
    await this.reset();
    if (this.link.autoplay && this.ok) this.play();
  }

  note(text) {
    this.$note.textContent = text;
    this.$note.hidden = false;
  }

  status(text) {
    this.$status.textContent = text;
  }

  // ------------------------------------------------------------ the DOM
  build() {
    const { info, lesson } = this;
    const i = LESSONS.indexOf(info);
    const prev = LESSONS[i - 1];
    const next = LESSONS[i + 1];
    const full = location.href.replace(/[&]embed=1/, '');
    this.$run = el('button', { type: 'button', class: 'primary', 'data-testid': 'lesson-run', disabled: true, text: '▶ Run' });
    this.$reset = el('button', { type: 'button', disabled: true, text: 'Start again' });
    this.$bar = el('progress', { max: String(this.batches), value: '0', 'aria-label': 'Batches trained' });
    this.$status = el('p', { class: 'subtle', role: 'status', 'aria-live': 'polite', 'data-testid': 'status', text: 'Starting…' });
    this.$figure = el('p', { class: 'lesson-figure', 'data-testid': 'lesson-figure', 'aria-live': 'polite', text: `The measured figure appears after ${this.batches.toLocaleString('en')} batches.` });
    this.$note = el('p', { class: 'notice warn', hidden: true });
    this.card = el(
      'section',
      { class: 'card lesson-card', 'data-testid': 'lesson', 'data-lesson': info.name, 'aria-labelledby': 'lesson-title' },
      el('p', { class: 'subtle', text: i >= 0 ? `Lesson ${i + 1} of ${LESSONS.length} · ${PARTS[info.part - 1]}` : 'Compare mode' }),
      el('h2', { id: 'lesson-title', text: info.title }),
      el('p', { class: 'claim', text: lesson.claim }),
      el('p', { class: 'look' }, el('strong', { text: 'What to look at: ' }), lesson.look),
      lesson.form?.() ?? null,
      el('div', { class: 'buttons' }, this.$run, this.$reset),
      this.$bar,
      this.$status,
      this.$figure,
      this.$note,
      el('p', { class: 'embed-only' }, el('a', { href: full, target: '_blank', rel: 'noopener', text: 'Open this lesson in AE Playground ↗' })),
    );
    this.$chart = el('canvas', { class: 'chart', 'data-testid': 'loss-chart', role: 'img', 'aria-label': lesson.chartLabel ?? 'Training loss of each model against batches' });
    this.panel = el('div', { class: 'lesson-panel' });
    const nav = el(
      'nav',
      { class: 'lesson-nav', 'aria-label': 'Lessons' },
      el('a', { href: './', text: '← Playground' }),
      el('a', { href: './lessons.html', text: 'All lessons' }),
      prev ? el('a', { href: `./#lesson=${prev.name}`, text: `‹ ${prev.title}` }) : null,
      next ? el('a', { href: `./#lesson=${next.name}`, text: `${next.title} ›` }) : null,
    );
    this.sidesEl = el('div', { class: `lesson-sides n${(this.spec?.sides ?? lesson.sides).length}` });
    this.root.replaceChildren(
      nav,
      this.card,
      el('section', { class: 'card', 'aria-label': 'Curves' }, el('h3', { text: lesson.chartTitle ?? 'Training loss' }), this.$chart, lesson.chartCaption ? el('p', { class: 'caption', text: lesson.chartCaption }) : null),
      el('section', { class: 'card', 'aria-label': 'The experiment’s own views' }, this.panel),
      this.sidesEl,
      this.inputCard(),
    );
    this.root.hidden = false;
    this.chart = chartView.create(this.$chart);
    this.$run.addEventListener('click', () => (this.running ? this.pause() : this.play()));
    this.$reset.addEventListener('click', () => this.reset());
  }

  /** One drawing (or test image) for every side. */
  inputCard() {
    const pad = el('canvas', { class: 'pad', 'data-testid': 'draw-pad', role: 'img', 'aria-label': 'Drawing pad: draw a digit; every model reconstructs it' });
    const pick = el('input', { type: 'number', min: '1', max: String(PROBE_IMAGES), value: '1', 'data-testid': 'test-pick', 'aria-label': 'Test image number' });
    const clear = el('button', { type: 'button', text: 'Clear' });
    this.$input = el('canvas', { class: 'img28', width: '28', height: '28', role: 'img', 'aria-label': 'The input every model sees' });
    const card = el(
      'section',
      { class: 'card lesson-input', 'aria-label': 'Input' },
      el('h3', { text: 'One input for every model' }),
      el('div', { class: 'drawrow' }, el('div', { class: 'padbox' }, pad), el('figure', {}, this.$input, el('figcaption', { text: 'input x' }))),
      el('div', { class: 'buttons' }, clear, el('label', { class: 'inline' }, 'or test image ', pick)),
    );
    queueMicrotask(() => {
      this.pad = drawpadView.create(pad, {
        onChange: () => {
          if (this.pad.isBlank()) return this.useTestImage(Number(pick.value) - 1);
          const { data, width, height } = this.pad.ink();
          this.setInput(toMnist(data.data, width, height, ALPHA));
        },
      });
    });
    clear.addEventListener('click', () => this.pad.clear());
    pick.addEventListener('change', () => this.useTestImage(Number(pick.value) - 1));
    this.inputView = gridView.create(this.$input, { placeholder: 'input' });
    return card;
  }

  useTestImage(i) {
    if (!this.images || !(i >= 0 && i < PROBE_IMAGES)) return;
    this.setInput(this.images.slice(i * PIXELS, (i + 1) * PIXELS), this.labels[i]);
  }

  /** The input every side sees; `label` is a test image's class (null for a drawing). */
  setInput(pixels, label = null) {
    this.input = pixels;
    this.inputLabel = label;
    this.inputView.update({ pixels, n: 1 });
    this.refreshRecon();
  }

  buildSides() {
    const views = this.lesson.views ?? ['recon'];
    this.sidesEl.replaceChildren();
    for (const s of this.cmp.sides) {
      const v = {};
      const parts = [el('h3', { text: s.label })];
      if (views.includes('recon')) {
        const c = el('canvas', { class: 'strip', width: '28', height: '28', 'data-testid': `recon-${s.key}`, role: 'img', 'aria-label': `${s.label}: reconstructions of the input and of test images` });
        parts.push(c, el('p', { class: 'caption', text: 'Reconstructions: your input first, then test images.' }));
        v.recon = gridView.create(c, { cols: STRIP + 1, gap: 2, placeholder: 'reconstructions' });
      }
      if (views.includes('latent')) {
        const c = el('canvas', { class: 'plot', 'data-testid': `latent-${s.key}`, tabindex: '0', role: 'img', 'aria-label': `${s.label}: test codes coloured by class` });
        const legend = el('ol', { class: 'legend', 'aria-label': 'Classes' });
        parts.push(el('div', { class: 'plotwrap' }, c), legend);
        v.latent = latentView.create(c, { legend });
      }
      if (views.includes('samples')) {
        const c = el('canvas', { class: 'strip', width: '28', height: '28', 'data-testid': `samples-${s.key}`, role: 'img', 'aria-label': `${s.label}: samples` });
        parts.push(el('h4', { text: 'Samples' }), c);
        v.samples = gridView.create(c, { cols: 8, rows: 2, gap: 2, placeholder: 'samples' });
      }
      s.views = v;
      this.sidesEl.append(el('section', { class: 'card lesson-side', 'data-side': s.key, 'aria-label': s.label }, ...parts));
    }
  }

  // ------------------------------------------------------------ running
  async reset() {
    const g = ++this.gen;
    this.running = false;
    this.ok = false;
    this.$run.disabled = this.$reset.disabled = true;
    this.$run.textContent = '▶ Run';
    this.card.removeAttribute('data-result');
    this.card.removeAttribute('data-claim-holds');
    this.$figure.textContent = `The measured figure appears after ${this.batches.toLocaleString('en')} batches.`;
    this.cmp?.stop();
    this.curves = new Map(this.sides.map((s) => [s.key, []]));
    this.cmp = new Compare(this.sides, {
      onEvent: (s, m) => this.event(s, m),
      onCrash: (s, message) => this.fail(`${s.label}: the worker crashed (${message}). Press “Start again”.`),
    }).start();
    this.buildSides();
    this.ctx = this.context();
    this.panel.replaceChildren();
    this.$bar.value = 0;
    this.status('Loading the data and building the models…');
    try {
      await this.cmp.init();
      if (g !== this.gen) return;
      if (!this.images) {
        const m = await this.cmp.ask(this.cmp.sides[0], { type: 'latent', limit: PROBE_IMAGES, withImages: true });
        this.images = Float32Array.from(m.images, (v) => v / 255);
        this.labels = m.labels;
      }
      this.ctx.images = this.images;
      this.ctx.labels = this.labels;
      await this.lesson.setup?.(this.ctx);
      if (g !== this.gen) return;
      if (!this.input) this.useTestImage(0);
      await this.refresh(true);
    } catch (e) {
      if (g === this.gen) this.fail(`Could not start: ${e.message}`);
      return;
    }
    if (g !== this.gen) return;
    this.ok = true;
    this.$run.disabled = this.$reset.disabled = false;
    this.status(`Ready: ${this.batches.toLocaleString('en')} batches to train. Press Run.`);
  }

  fail(text) {
    this.running = false;
    this.ok = false;
    this.$run.textContent = '▶ Run';
    this.$run.disabled = true;
    this.$reset.disabled = false;
    this.status(text);
  }

  event(s, m) {
    if (m.type === 'progress' && m.train && Number.isFinite(m.train.loss)) {
      this.curves.get(s.key)?.push([m.step, m.train.loss]);
    } else if (m.type === 'diverged') {
      this.note(`${s.label}: ${m.message}`);
    } else if (m.type === 'load' && m.phase === 'download') {
      this.status(`Loading the data: ${Math.round((100 * m.loaded) / Math.max(1, m.total))}%`);
    }
  }

  play() {
    if (!this.ok) return;
    if (this.cmp.step >= this.batches) return;
    this.running = true;
    this.$run.textContent = '❚❚ Pause';
    this.loop(this.gen);
  }

  pause() {
    this.running = false;
    this.$run.textContent = '▶ Run';
    this.status(`Pausing after this round (${this.cmp.step.toLocaleString('en')} batches so far)…`);
  }

  async loop(g) {
    let round = 0;
    while (this.running && g === this.gen && this.cmp.step < this.batches) {
      try {
        const n = Math.min(this.chunk, this.batches - this.cmp.step);
        await this.cmp.round(n);
        if (g !== this.gen) return;
        round++;
        await this.lesson.observe?.(this.ctx);
        await this.refresh(round % LATENT_EVERY === 0);
      } catch (e) {
        if (g === this.gen) this.fail(`Stopped: ${e.message}`);
        return;
      }
      if (g !== this.gen) return;
      this.$bar.value = this.cmp.step;
      // Pause may have been pressed while the round ran: say what is true now.
      const done = `${this.cmp.step.toLocaleString('en')} of ${this.batches.toLocaleString('en')} batches`;
      this.status(this.running ? `Training: ${done}` : `Paused after ${done}.`);
    }
    if (g !== this.gen || this.cmp.step < this.batches) return;
    this.running = false;
    this.$run.textContent = '▶ Run';
    this.$run.disabled = true;
    this.status(`Trained ${this.cmp.step.toLocaleString('en')} batches. Measuring…`);
    try {
      await this.refresh(true);
      if (this.spec) await this.judge(g);
      else await this.measured(g);
      this.status(`Done: ${this.cmp.step.toLocaleString('en')} batches.`);
    } catch (e) {
      if (g === this.gen) this.fail(`Could not measure: ${e.message}`);
    }
  }

  /** A measured lesson: every side's figures, judged by the core's rules, one sentence at a time. */
  async judge(g) {
    const name = this.info.name;
    const figures = (await Promise.all(this.cmp.sides.map((s, i) => this.cmp.probe(s, 'lesson_figures', { lesson: name, side: i, judged: this.spec.needs_judge })))).map((r) => r.figures);
    const { verdict } = await this.cmp.probe(this.cmp.sides[0], 'lesson_verdict', { lesson: name, figures });
    if (g !== this.gen) return;
    const values = Object.fromEntries(verdict.rules.map((r) => [r.id, r.value]));
    this.card.dataset.result = JSON.stringify({ figures: Object.fromEntries(this.cmp.sides.map((s, i) => [s.key, figures[i]])), values, batches: this.cmp.step });
    this.card.dataset.claimHolds = String(verdict.holds);
    const held = verdict.rules.filter((r) => r.holds).length;
    const after = `Measured after ${this.cmp.step.toLocaleString('en')} batches`;
    // The rules and their ranges were measured at the lesson's own length.
    const length = this.batches === this.spec.batches ? '' : ` (the lesson’s own length is ${this.spec.batches.toLocaleString('en')} batches, where the ranges below were measured)`;
    const head = verdict.holds
      ? `${after}${length}, and every sentence of the claim holds:`
      : `${after}${length}: ${held} of ${verdict.rules.length} sentences of the claim hold, so the claim does not hold in this run.`;
    this.$figure.replaceChildren(el('strong', { text: head }), el('ul', { class: 'verdict' }, verdict.rules.map((r) => ruleItem(r))));
    await this.lesson.show?.(this.ctx, figures, verdict);
  }

  /** The free comparison: it shows its figures and claims nothing. */
  async measured(g) {
    const m = await this.lesson.measure(this.ctx);
    if (g !== this.gen) return;
    this.card.dataset.result = JSON.stringify({ ...m.result, batches: this.cmp.step });
    this.$figure.replaceChildren(el('strong', { text: 'Measured: ' }), `${m.text} (after ${this.cmp.step.toLocaleString('en')} batches).`);
  }

  // ------------------------------------------------------------ views
  async refresh(all) {
    this.drawChart();
    await this.refreshRecon();
    const views = this.lesson.views ?? ['recon'];
    if (all && views.includes('latent')) await Promise.all(this.cmp.sides.map((s) => this.refreshLatent(s)));
    if (all && views.includes('samples')) await Promise.all(this.cmp.sides.map((s) => this.refreshSamples(s)));
    await this.lesson.refresh?.(this.ctx, all);
  }

  drawChart() {
    const series = this.lesson.series
      ? this.lesson.series(this.ctx)
      : this.cmp.sides.map((s, i) => ({ label: s.label, color: latentView.COLORS[[0, 3, 2][i]], points: this.curves.get(s.key) }));
    this.chart.update({ series, xLabel: 'batches' });
  }

  async refreshRecon() {
    if (!this.cmp || !this.images || !(this.lesson.views ?? ['recon']).includes('recon')) return;
    const n = STRIP + 1;
    const pixels = new Float32Array(n * PIXELS);
    pixels.set(this.input ?? this.images.subarray(0, PIXELS));
    pixels.set(this.images.subarray(PIXELS, n * PIXELS), PIXELS);
    const replies = await this.cmp.all({ type: 'reconstruct', pixels });
    this.cmp.sides.forEach((s, i) => replies[i] && s.views.recon?.update({ pixels: replies[i].pixels, n }));
  }

  async refreshLatent(s) {
    const m = await this.cmp.ask(s, { type: 'latent', limit: 1000 });
    if (!m) return;
    const axes = m.projection === 'pca' ? ['PC 1', 'PC 2'] : ['z₁', 'z₂'];
    s.views.latent.update({ xy: m.xy, labels: m.labels, names: [...'0123456789'], axes, mark: null, picked: null });
  }

  async refreshSamples(s) {
    const m = await this.cmp.ask(s, { type: 'sample', n: 16, seed: 7 });
    if (m) s.views.samples.update({ pixels: m.pixels, n: 16 });
  }

  /** What a lesson module gets. */
  context() {
    const run = this;
    return {
      cmp: this.cmp,
      sides: this.cmp.sides,
      panel: this.panel,
      el,
      get step() {
        return run.cmp.step;
      },
      get input() {
        return run.input;
      },
      /** The input's class if it is a test image; null for a drawing. */
      get inputLabel() {
        return run.inputLabel ?? null;
      },
      images: null,
      labels: null,
      curves: this.curves,
      /** n test images from the first PROBE_IMAGES, as one Float32Array. */
      testImages(n) {
        return run.images.slice(0, Math.min(n, PROBE_IMAGES) * PIXELS);
      },
    };
  }
}
