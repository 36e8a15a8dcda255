// "Start here": three steps through the lecture's main contrast, on the main
// page. Each sets what it names through the same path as the form (so a
// trained model is not discarded without the rebuild question), starts
// training, and links the lesson that measures the same claim.
import { lessonNamed } from '../lesson/lessons/catalogue.js';

/** The steps, in order: what to look at, the settings they set, and their lesson. */
export const STEPS = [
  {
    says: 'Train a plain autoencoder (AE) and watch the latent space: each digit gets its own patch, with gaps and stretches between them.',
    button: 'Train an AE',
    set: { model: 'ae' },
    lesson: 'ae-vs-vae',
  },
  {
    says: 'Switch to a VAE: its KL term pulls the codes towards N(0, I), and the gaps fill in, so every point of the plot decodes to a digit.',
    button: 'Train a VAE',
    set: { model: 'vae', beta: 1 },
    lesson: 'ae-vs-vae',
  },
  {
    says: 'Set β = 10: the KL term weighs ten times more, the codes crowd together and the reconstructions blur.',
    button: 'Train with β = 10',
    set: { model: 'vae', beta: 10 },
    lesson: 'beta',
  },
];

/**
 * Fills `list` (an <ol>) with the steps.
 * @param {object} page  what the steps use of the page
 * @param {HTMLOListElement} page.list  where the steps go
 * @param {object} page.app  the page's state (page-state.js)
 * @param {(next: object, o: {changed: string[], train: boolean}) => void} page.applyConfig  settings-changes.js
 * @param {() => void} page.play  starts training the current model (main.js)
 */
export function wireStartHere({ list, app, applyConfig, play }) {
  for (const step of STEPS) {
    const li = document.createElement('li');
    const says = document.createElement('p');
    says.textContent = step.says;
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = step.button;
    button.addEventListener('click', () => {
      const next = { ...app.config, ...step.set };
      const changed = Object.keys(step.set).filter((k) => next[k] !== app.config[k]);
      if (changed.length) applyConfig(next, { changed, train: true });
      else if (!app.running) play();
    });
    const lesson = document.createElement('a');
    lesson.href = `./#lesson=${step.lesson}`;
    lesson.textContent = `Lesson: ${lessonNamed(step.lesson).title}`;
    const row = document.createElement('div');
    row.className = 'buttons';
    row.append(button, lesson);
    li.append(says, row);
    list.append(li);
  }
}
