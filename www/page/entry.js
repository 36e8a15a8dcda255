// The main page's entry: `#lesson=<name>` opens a lesson (lesson-page.js),
// anything else the playground (main.js). Only the one that runs is loaded,
// so the playground pays nothing for the lessons and the other way round.
// Moving between the two by the hash reloads the page: each owns its workers.
// First, on a host that sends no isolation headers, isolation.js may reload
// the page through a service worker that adds them (threads need them).

import { ensureIsolation } from './isolation.js';
import { attachTerms } from './glossary.js';

const isLesson = (hash) => /(^#|&)(lesson=|compare=1)/.test(hash);
const lessonMode = isLesson(location.hash);

window.addEventListener('hashchange', () => {
  if (isLesson(location.hash) !== lessonMode || lessonMode) location.reload();
});

await ensureIsolation();
if (lessonMode) {
  import('../lesson/lesson-page.js').then((m) => m.startLesson());
} else {
  attachTerms();
  import('./main.js');
}
