// Memory of running processes, read from /proc while they run (Linux only; elsewhere
// every reading is simply absent). Polling rather than asking the process itself keeps
// the measured program unchanged.
import { readdirSync, readFileSync } from 'node:fs';

const HAS_PROC = process.platform === 'linux';

/** A field of /proc/<pid>/status in MB (VmHWM, VmRSS), or undefined when the process is gone. */
export function statusMb(pid, field) {
  try {
    const match = new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Every descendant of a process, found through each thread's children list. */
export function descendants(pid) {
  const found = [];
  const visit = (p) => {
    let tasks;
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const tid of tasks) {
      let text;
      try {
        text = readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const child of text.split(' ').filter(Boolean).map(Number)) {
        found.push(child);
        visit(child);
      }
    }
  };
  visit(pid);
  return found;
}

/** Proportional set size in MB: each shared page divided among the processes sharing it. */
export function pssMb(pid) {
  try {
    const match = /^Pss:\s*(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Samples one process tree: the root's high-water mark (VmHWM, which the kernel keeps,
 * so a short peak between two polls is not missed) often, and the summed RSS of the
 * tree below it (Chromium's processes) less often, since walking the tree costs more.
 * RSS summed over Chromium's processes counts the pages they share (most of the
 * binary, fonts) once per process, several times the real footprint, so the tree's PSS
 * is taken too, but rarely: reading it walks every mapping and costs tens of
 * milliseconds, which a two-core machine would feel every 250 ms.
 */
export class Sampler {
  constructor(rootPid, { treeIncludesRoot = false, every = 50, treeEvery = 250, pssEvery = 2000 } = {}) {
    this.root = rootPid;
    this.peakRootMb = 0;
    this.peakTreeMb = 0;
    this.peakTreePssMb = 0;
    this.tree = [];
    this.started = performance.now();
    if (!HAS_PROC || !rootPid) return;
    let tick = 0;
    const ratio = Math.max(1, Math.round(treeEvery / every));
    const pssRatio = Math.max(1, Math.round(pssEvery / every));
    const poll = () => {
      const hwm = statusMb(rootPid, 'VmHWM');
      if (hwm !== undefined) this.peakRootMb = Math.max(this.peakRootMb, hwm);
      const count = tick++;
      if (count % ratio !== 0) return;
      const pids = [...(treeIncludesRoot ? [rootPid] : []), ...descendants(rootPid)];
      if (pids.length === 0) return;
      const mb = pids.reduce((sum, p) => sum + (statusMb(p, 'VmRSS') ?? 0), 0);
      this.peakTreeMb = Math.max(this.peakTreeMb, mb);
      this.tree.push({ at: (performance.now() - this.started) / 1000, mb });
      if (count % pssRatio === 0) this.peakTreePssMb = Math.max(this.peakTreePssMb, pids.reduce((sum, p) => sum + (pssMb(p) ?? 0), 0));
    };
    poll();
    this.timer = setInterval(poll, every);
    this.timer.unref();
    this.poll = poll;
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
