import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, pdfInfo, processesTagged, runNode, tempDir } from '../helpers.js';

/*
 * Faults injected from outside, as they happen in real life: the browser is killed
 * mid-build, a page takes far longer than the limit, the disk fills up, the output
 * folder is read-only. Each test checks the build finishes what it can, reports the rest
 * clearly, leaves no half-written file and no Chromium behind.
 */

const light = (i: number) =>
  `title: Brief ${i}\ndate: 2024-03-11\nslug: brief-${i}\ndevelopments: |\n${'  A paragraph of text for the page.\n\n'.repeat(40)}`;

/** Thousands of incidents: a page whose annex takes Chromium tens of seconds to lay out. */
function heavy(): string {
  const rows = Array.from({ length: 4000 }, (_, i) => `  - {date: 2024-02-${String(1 + (i % 28)).padStart(2, '0')}, location: Base ${i}, country: Iraq}\n`);
  return `title: Heavy\ndate: 2024-03-11\nslug: heavy\ndevelopments: |\n  Many incidents.\nincidents:\n${rows.join('')}`;
}

function project(briefs: Record<string, string>): string {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'briefs'));
  for (const [name, text] of Object.entries(briefs)) writeFileSync(path.join(dir, 'briefs', name), text);
  return dir;
}

/** The CLI with a tag in its environment, so the test can find it and its Chromium. */
const start = (args: string[], cwd: string, tag: string, onStderr?: (all: string) => void) =>
  runNode(BIN, args, { cwd, env: { FLASHBRIEF_TEST_TAG: tag }, onStderr });

/** The browser's own process (not its renderers and helpers, not the CLI). */
function mainBrowser(tag: string): number | undefined {
  return processesTagged(tag).find((pid) => {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
      return /chrom/i.test(argv[0] ?? '') && !argv.some((a) => a.startsWith('--type='));
    } catch {
      return false;
    }
  });
}

async function noneLeft(tag: string): Promise<number[]> {
  for (let i = 0; i < 50 && processesTagged(tag).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
  return processesTagged(tag);
}

const md5 = (file: string) => createHash('md5').update(readFileSync(file)).digest('hex');
const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).filter((n) => n !== 'assets' && !n.startsWith('.')).map((n) => [n, md5(path.join(dir, n))]));

/** Mounting a small file system needs root on Linux; CI machines of this project are. */
function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const dir = tempDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.runIf(process.platform === 'linux')('faults during a build', () => {
  it('restarts a browser killed mid-build and still prints every brief', async () => {
    const briefs = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`b${String(i).padStart(2, '0')}.yaml`, light(i)]));
    const dir = project(briefs);
    const tag = `kill-${process.pid}-${Date.now()}`;
    let killed: number | undefined;
    const done = start(['build', '--concurrency', '2'], dir, tag, (stderr) => {
      // Once the first PDF is out, the browser dies with briefs still queued and in print.
      if (killed === undefined && /built .*\.pdf/.test(stderr)) {
        killed = mainBrowser(tag);
        if (killed) process.kill(killed, 'SIGKILL');
      }
    });
    const result = await done;
    expect(killed).toBeGreaterThan(0);
    expect(result.stderr).toContain('the browser stopped unexpectedly; starting it again');
    expect(result.stderr).toContain('16 built, 0 failed');
    expect(result.code).toBe(0);
    for (let i = 0; i < 16; i++) expect(pdfInfo(path.join(dir, 'output', `brief-${i}.pdf`)).Pages).toMatch(/^\d+$/);
    expect(await noneLeft(tag)).toEqual([]);
  });

  // The heavy brief reaches the printer in about a second; its annex then keeps Chromium busy past the limit.
  it('stops a page that runs past the time limit, reports it, and prints the others', async () => {
    const dir = project({ 'a.yaml': light(1), 'heavy.yaml': heavy(), 'z.yaml': light(2) });
    const tag = `stall-${process.pid}-${Date.now()}`;
    const result = await start(['build', '--timeout', '5', '--concurrency', '1'], dir, tag);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('briefs/heavy.yaml:1:1: PDF printing took longer than 5 s and was stopped (a longer limit: --timeout)');
    expect(result.stderr).toMatch(/2 built, 1 failed in [\d.]+ s: briefs\/heavy.yaml/);
    const written = readdirSync(path.join(dir, 'output'));
    expect(written).toEqual(expect.arrayContaining(['brief-1.pdf', 'brief-2.pdf']));
    // A brief is written whole or not at all: the heavy one has neither its page nor its PDF.
    expect(written.filter((n) => n.startsWith('heavy'))).toEqual([]);
    expect(await noneLeft(tag)).toEqual([]);
  }, 120_000);
});

describe.runIf(canMount())('an output folder that cannot be written', () => {
  const mounts: string[] = [];
  afterEach(() => {
    for (const m of mounts.splice(0)) execFileSync('umount', ['-l', m]);
  });

  /** A project whose output/ is a small file system of its own (room for the shipped fonts, about 13 MB), built once successfully. */
  async function builtOnSmallDisk(size: string) {
    const dir = project({ 'a.yaml': light(1), 'b.yaml': light(2) });
    const out = path.join(dir, 'output');
    mkdirSync(out);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', out]);
    mounts.push(out);
    const first = await start(['build'], dir, `disk-${process.pid}`);
    expect(first.code).toBe(0);
    // The next build has something new to write.
    writeFileSync(path.join(dir, 'briefs', 'a.yaml'), light(1).replace('Brief 1', 'Brief 1, revised'));
    return { dir, out, before: snapshot(out) };
  }

  it('says the disk is full, leaves no partial file and keeps the previous outputs', async () => {
    const { dir, out, before } = await builtOnSmallDisk('32m');
    // Fill what is left of the disk.
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${path.join(out, 'filler')}`, 'bs=64k'], { stdio: 'ignore' });
    } catch {
      // dd stops with an error when the disk is full, which is the point
    }
    const tag = `full-${process.pid}-${Date.now()}`;
    const result = await start(['build'], dir, tag);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/could not write output\/[\w./-]+: the disk is full \(ENOSPC\); the previous file, if any, is unchanged/);
    expect(result.stderr).not.toContain('    at ');
    const after = snapshot(out);
    delete after.filler;
    expect(after).toEqual(before);
    expect(await noneLeft(tag)).toEqual([]);
  });

  it('says the folder is read-only and changes nothing', async () => {
    const { dir, out, before } = await builtOnSmallDisk('32m');
    execFileSync('mount', ['-o', 'remount,ro', out]);
    const tag = `ro-${process.pid}-${Date.now()}`;
    const result = await start(['build'], dir, tag);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('could not write output/brief-1.html: the output folder is on a read-only file system (EROFS); the previous file, if any, is unchanged');
    // The index lists the revised title, so it too is refused, and said so after the briefs.
    expect(result.stderr).toContain('brief: could not write output/index.html: the output folder is on a read-only file system (EROFS)');
    // b.yaml did not change, so the cache leaves it as it is.
    expect(result.stderr, result.stderr).toMatch(/0 built, 1 failed, 1 unchanged in [\d.]+ s: briefs\/a.yaml/);
    expect(result.stderr).not.toContain('    at ');
    expect(snapshot(out)).toEqual(before);
    expect(await noneLeft(tag)).toEqual([]);
  });
});
