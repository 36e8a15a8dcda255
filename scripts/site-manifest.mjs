// Writes site/build.json and stamps site/service-worker.js (scripts/build-site.sh
// runs it last). build.json lists every file the site ships with its content
// hash; the build's name is a hash of that list and of the service worker's
// own code. The service worker keeps files by these hashes and is named for
// the build (www/service-worker.js): a deploy that changes anything changes
// the worker's bytes, which is how a browser learns of a new version.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const site = process.argv[2] ?? 'site';
const WORKER = 'service-worker.js';
const PLACEHOLDER = "const BUILD = 'unbuilt';";

const hash = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

const files = {};
for (const file of walk(site).sort()) {
  const path = relative(site, file).split(sep).join('/');
  if (path === 'build.json' || path === WORKER || path.endsWith('.tmp')) continue;
  files[path] = hash(readFileSync(file));
}
const worker = readFileSync(join(site, WORKER), 'utf8');
// Stamped already by an earlier run (the copy from www/ is kept when unchanged): back to the placeholder.
const source = worker.replace(/^const BUILD = '[^']*';/m, PLACEHOLDER);
if (!source.includes(PLACEHOLDER)) throw new Error(`${WORKER} has no line "${PLACEHOLDER}" for the build's name`);
const build = hash(JSON.stringify(files) + source);

const write = (path, text) => {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
};
write(join(site, 'build.json'), `${JSON.stringify({ build, files }, null, 1)}\n`);
write(join(site, WORKER), source.replace(PLACEHOLDER, `const BUILD = '${build}';`));
console.log(`build ${build}: ${Object.keys(files).length} files`);
