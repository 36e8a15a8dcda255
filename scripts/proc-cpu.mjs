// What this script's Chromium costs the machine, read from Linux's /proc:
// its processes (this process's descendants, not another browser's) and
// the CPU time each of their threads has used. For benchmarks, which print.
import { readdirSync, readFileSync } from 'node:fs';

/** This process's descendants, each with its Chromium type (`renderer`, `gpu-process`, …; `browser` without one). */
export function descendants() {
  const parent = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended between listing and reading: it no longer counts.
    }
  }
  const mine = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) if (!mine.has(pid) && mine.has(ppid)) (mine.add(pid), (grew = true));
  }
  mine.delete(process.pid);
  return [...mine].flatMap((pid) => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return [{ pid, type: /--type=([\w-]+)/.exec(cmdline)?.[1] ?? 'browser' }];
    } catch {
      return [];
    }
  });
}

/** CPU-seconds (user + system) of every thread of this Chromium, by `${process type} ${thread name} ${tid}`. */
export function cpuByThread() {
  const TICKS = 100; // USER_HZ, 100 on Linux
  const out = new Map();
  for (const { pid, type } of descendants()) {
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out.set(`${type} ${comm} ${tid}`, (Number(f[11]) + Number(f[12])) / TICKS);
      }
    } catch {
      // The process ended between listing and reading: it no longer counts.
    }
  }
  return out;
}

/** The threads that used CPU between two `cpuByThread()` readings, most first: [name, seconds]. */
export function cpuSpent(before, after) {
  return [...after].map(([k, v]) => [k, v - (before.get(k) ?? 0)]).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
}
