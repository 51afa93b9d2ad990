import { spawn } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, projectWith, runCli, tempDir } from '../helpers.js';

/*
 * The build cache is a hint, and its cost is bounded: a record full of entries of briefs
 * long gone neither slows a build nor swells its memory out of proportion, a file past
 * what this project's record could be is not read at all, and Ctrl-C stops a build
 * while it loads. Times and memory are compared with a build without a cache, as ratios,
 * so a slow or busy machine does not fail them.
 */

const good = readFileSync(path.join(FIXTURES, 'cases', 'until-placeholder-crash', 'briefs', 'good.yaml'), 'utf8');
const SLUG = /^slug: (\S+)/m.exec(good)?.[1] as string;
const cacheOf = (dir: string) => path.join(dir, 'output', '.flashbrief-cache.json');

interface Run {
  code: number | null;
  stderr: string;
  ms: number;
  /** Peak memory as --profile reports it, in MB. */
  peakMb: number;
  /** Time from the signal to the exit, in ms, when one was sent. */
  afterSignalMs?: number;
}

/** `brief build --html-only --profile` in `dir`, timed; with `signalAfterMs`, SIGINT that long after the start. */
function timedBuild(dir: string, signalAfterMs?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let signalled: number | undefined;
    const child = spawn(process.execPath, [BIN, 'build', '--html-only', '--profile'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    if (signalAfterMs !== undefined) {
      setTimeout(() => {
        signalled = performance.now();
        child.kill('SIGINT');
      }, signalAfterMs);
    }
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ended = performance.now();
      resolve({
        // Killed by the signal itself when it comes before the CLI listens for it (while Node starts).
        code: code ?? (signal === 'SIGINT' ? 130 : null),
        stderr,
        ms: ended - started,
        peakMb: Number(/peak memory \(RSS\) (\d+) MB/.exec(stderr)?.[1] ?? NaN),
        afterSignalMs: signalled === undefined ? undefined : ended - signalled,
      });
    });
  });
}

/** Stale entries for `n` briefs long gone; with `listings`, a site listing for each too (about 1 KB each). */
function staleCache(real: { briefs: object; listings: Record<string, object> }, n: number, listings: boolean): string {
  const listing = Object.values(real.listings)[0] as object;
  const briefs: Record<string, unknown> = { ...real.briefs };
  const listed: Record<string, unknown> = { ...real.listings };
  for (let i = 0; i < n; i++) {
    briefs[`gone-${i}`] = { key: '0123456789abcdef0123456789abcdef', files: { [`gone-${i}.html`]: { size: 45688, mtimeMs: 1796176558469.9326 } } };
    if (listings) listed[`briefs/gone-${i}.yaml`] = { ...listing, slug: `gone-${i}`, summary: 'A summary of a brief that is gone. '.repeat(20) };
  }
  return JSON.stringify({ ...real, briefs, listings: listed });
}

describe.runIf(process.platform === 'linux')('a build cache full of stale entries', () => {
  let dir: string;
  let real: { briefs: object; listings: Record<string, object> };
  let fresh: Run;
  let unchanged: Run;

  beforeAll(async () => {
    dir = projectWith({ 'good.yaml': good, 'other.yaml': good.replace(`slug: ${SLUG}`, 'slug: other-brief') });
    fresh = await timedBuild(dir);
    expect(fresh.code).toBe(0);
    real = JSON.parse(readFileSync(cacheOf(dir), 'utf8')) as typeof real;
    unchanged = await timedBuild(dir);
    expect(unchanged.stderr).toContain('2 unchanged');
  }, 120_000);

  it('100,000 stale entries (under the size limit): read, the briefs stay unchanged, the entries are dropped, at the cost of a build without them', async () => {
    const text = staleCache(real, 100_000, false);
    expect(text.length).toBeGreaterThan(10 * 2 ** 20);
    writeFileSync(cacheOf(dir), text);
    const run = await timedBuild(dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('2 unchanged');
    expect(run.stderr).not.toContain('.flashbrief-cache.json');
    // Before, this took five times as long as a build without a cache and 3.5 times its memory.
    expect(run.ms / fresh.ms).toBeLessThan(2);
    expect(run.peakMb / unchanged.peakMb).toBeLessThan(2.5);
    // Pruned: the record is as small as the project's again.
    expect(readFileSync(cacheOf(dir), 'utf8').length).toBeLessThan(10_000);
  }, 120_000);

  it('a cache file larger than a record of this project could be is not read: one line says so, every brief is rebuilt', async () => {
    const text = staleCache(real, 30_000, true);
    expect(text.length).toBeGreaterThan(16 * 2 ** 20);
    writeFileSync(cacheOf(dir), text);
    const run = await timedBuild(dir);
    expect(run.code).toBe(0);
    const said = run.stderr.split('\n').filter((l) => l.includes('.flashbrief-cache.json'));
    expect(said).toEqual([expect.stringMatching(/^output\/\.flashbrief-cache\.json is [\d.]+ MB, more than a record of this project's briefs can be \(16\.0 MB at most\), so it is not read: every brief is rebuilt/)]);
    expect(run.stderr).toContain('2 built');
    expect(run.ms / fresh.ms).toBeLessThan(2);
    expect(run.peakMb / fresh.peakMb).toBeLessThan(1.5);
    expect(readFileSync(cacheOf(dir), 'utf8').length).toBeLessThan(10_000);
  }, 120_000);

  it('Ctrl-C while a large cache is there stops the build within a few seconds, at any moment', async () => {
    for (const [text, at] of [
      [staleCache(real, 100_000, false), 300],
      [staleCache(real, 100_000, false), 1200],
      [staleCache(real, 30_000, true), 300],
      [staleCache(real, 30_000, true), 1200],
    ] as const) {
      writeFileSync(cacheOf(dir), text);
      const run = await timedBuild(dir, at);
      // Stopped (130), or done before the signal came.
      expect([0, 130]).toContain(run.code);
      expect(run.afterSignalMs ?? 0).toBeLessThan(3000);
      expect(run.stderr).not.toContain('still not stopped');
    }
  }, 120_000);
});

describe('a cache file that is not a file of its own', () => {
  it('a symbolic link is not read, even to a good record: every brief is rebuilt, and the link replaced; what it pointed at is unchanged', async () => {
    const dir = projectWith({ 'good.yaml': good });
    expect((await runCli(['build', '--html-only'], { cwd: dir })).code).toBe(0);
    const elsewhere = path.join(tempDir(), 'record.json');
    const record = readFileSync(cacheOf(dir), 'utf8');
    writeFileSync(elsewhere, record);
    rmSync(cacheOf(dir));
    symlinkSync(elsewhere, cacheOf(dir));
    const result = await runCli(['build', '--html-only'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('output/.flashbrief-cache.json is a symbolic link, which is not followed: every brief is rebuilt');
    expect(result.stderr).toContain('1 built');
    expect(readFileSync(elsewhere, 'utf8')).toBe(record);
    expect(lstatSync(cacheOf(dir)).isFile()).toBe(true);
  }, 60_000);

  it('a folder: said once, every brief rebuilt, and nothing else said about it', async () => {
    const dir = projectWith({ 'good.yaml': good });
    mkdirSync(cacheOf(dir), { recursive: true });
    const result = await runCli(['build', '--html-only'], { cwd: dir });
    expect(result.code).toBe(0);
    const said = result.stderr.split('\n').filter((l) => l.includes('.flashbrief-cache.json'));
    expect(said).toEqual(["output/.flashbrief-cache.json is a folder, not the build's record: every brief is rebuilt, and no record is kept until the folder is moved away"]);
    expect(lstatSync(cacheOf(dir)).isDirectory()).toBe(true);
  }, 60_000);
});
