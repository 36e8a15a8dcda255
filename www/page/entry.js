// The main page's entry: `#lesson=<name>` opens a lesson (lesson-page.js),
// anything else the playground (main.js). Only the one that runs is loaded,
// so the playground pays nothing for the lessons and the other way round.
// Moving between the two by the hash reloads the page: each owns its workers.
// First the site's service worker (service-worker-setup.js): on a host that
// sends no isolation headers it may reload the page through the worker,
// which adds them (threads need them); it also keeps the site for offline use.

import { startServiceWorker } from './service-worker-setup.js';
import { showSiteVersion } from './site-version.js';
import { attachTerms } from './glossary.js';

const isLesson = (hash) => /(^#|&)(lesson=|compare=1)/.test(hash);
const lessonMode = isLesson(location.hash);

window.addEventListener('hashchange', () => {
  if (isLesson(location.hash) !== lessonMode || lessonMode) location.reload();
});

await startServiceWorker();
showSiteVersion();
if (lessonMode) {
  import('../lesson/lesson-page.js').then((m) => m.startLesson());
} else {
  attachTerms();
  import('./main.js');
}
