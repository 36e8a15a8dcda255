// What the page says about the site it came from: its version (build.json,
// which scripts/build-site.sh writes), whether this browser keeps it for
// offline use yet, that it is running offline, and that a new version is
// ready. The service worker (www/service-worker.js) installs a new version
// beside this one and lets it take over only when the person says so: a page
// must never run half old, half new files.

import * as notices from './notices.js';
import { offlineEvents, useNewVersion, whenNewVersion } from './service-worker-setup.js';

/** The site's version: the first digits of its build hash, or null (a site built without one). */
async function siteVersion() {
  try {
    const res = await fetch(new URL('../build.json', import.meta.url));
    return res.ok ? ((await res.json()).build?.slice(0, 8) ?? null) : null;
  } catch {
    return null;
  }
}

export async function showSiteVersion() {
  const line = document.getElementById('site-version');
  const notice = notices.create(document.getElementById('notices'));
  let offlineReady = false;
  offlineEvents.addEventListener('kept', (e) => {
    offlineReady = e.detail?.missing === 0;
    render();
  });
  const version = await siteVersion();
  function render() {
    if (line && version) line.textContent = `Version ${version}${offlineReady ? ' · works offline in this browser' : ''}`;
  }
  function connection() {
    if (navigator.onLine) notice.clear('offline');
    else notice.show('offline', `You are offline. The playground runs from the copy this browser keeps${version ? `, version ${version}` : ''}.`, 'info');
  }
  addEventListener('online', connection);
  addEventListener('offline', connection);
  connection();
  render();
  whenNewVersion(() =>
    notice.show('update', 'A new version of the playground is ready. Reload the page into it when it suits you.', 'info', [{ label: 'Reload now', run: useNewVersion }]),
  );
}
