import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
// The benchmark's corpus generator: realistic briefs, many in series, the same every run.
import { generateCorpus } from '../../bench/corpus.mjs';
// One long series, each brief re-listing the previous week's incidents.
import { generateSeries } from '../../bench/series.mjs';
import { runCli, tempDir } from '../helpers.js';

/** The CLI with its heap capped: if the build needed more, it would crash, not slow down. */
const cappedCli = (args: string[], cwd: string, heapMb: number) => runCli(args, { cwd, nodeArgs: [`--max-old-space-size=${heapMb}`] });

interface Manifest {
  ok: boolean;
  briefs: { source: string; ok: boolean; tally?: { total: number; new: number } }[];
  profile: { peakRssBytes: number };
}

describe('builds at scale stay within bounded memory', () => {
  it('builds 1,000 briefs with a 256 MB heap and under 400 MB in all', async () => {
    const dir = tempDir();
    generateCorpus({ dir, count: 1000, seed: 11 });
    const result = await cappedCli(['build', '--html-only', '--json', '--profile'], dir, 256);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    const manifest = JSON.parse(result.stdout) as Manifest;
    expect(manifest.briefs).toHaveLength(1000);
    expect(manifest.briefs.every((b) => b.ok)).toBe(true);
    expect(manifest.profile.peakRssBytes).toBeLessThan(400 * 2 ** 20);
    expect(readdirSync(path.join(dir, 'output')).filter((n) => n.endsWith('.html')).length).toBeGreaterThanOrEqual(1000);
  }, 300_000);

  it('writes a site of 2,000 topics (40 briefs x 50, each its own) in a few MB, with a 256 MB heap', async () => {
    // Every topic page once listed every topic: 2,000 pages of 2,000 links, 312 MB and 720 MB of memory.
    const dir = tempDir();
    mkdirSync(path.join(dir, 'briefs'));
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'site:\n  url: https://briefs.example.org/\n');
    for (let b = 0; b < 40; b++) {
      const topics = Array.from({ length: 50 }, (_, k) => `  - Topic ${b}-${k}`).join('\n');
      writeFileSync(path.join(dir, 'briefs', `b${b}.yaml`), `title: Brief ${b}\ndate: 2024-01-${String(1 + (b % 28)).padStart(2, '0')}\nslug: b${b}\ntopics:\n${topics}\ndevelopments: Quiet.\n`);
    }
    const result = await cappedCli(['build', '--html-only', '--json', '--profile', '-q'], dir, 256);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    const out = path.join(dir, 'output');
    const pages = readdirSync(path.join(out, 'topics'));
    expect(pages).toHaveLength(2000);
    const site = [...pages.map((p) => path.join('topics', p)), 'index.html', 'feed.xml', 'feed.json', 'sitemap.xml'].reduce((n, f) => n + statSync(path.join(out, f)).size, 0);
    expect(site).toBeLessThan(8 * 2 ** 20);
    expect((JSON.parse(result.stdout) as Manifest).profile.peakRssBytes).toBeLessThan(400 * 2 ** 20);
  }, 300_000);

  it('builds a series of 1,000 weekly briefs, each re-listing the last, with a 256 MB heap and under 400 MB in all', async () => {
    // Gathering a series once per brief grew with briefs x series: such a series took a
    // minute and 2 GB. Small briefs and no map keep this test short; what it measures is
    // memory. tmpfs when there is one: the disk's flushes are not what is measured.
    const dir = mkdtempSync(path.join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'flashbrief-series-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const { weeks } = generateSeries({ dir, count: 1000, seed: 7, perWeek: [1, 2], places: false });
    const result = await cappedCli(['build', '--html-only', '--json', '--profile', '-q'], dir, 256);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    const manifest = JSON.parse(result.stdout) as Manifest;
    expect(manifest.briefs).toHaveLength(1000);
    expect(manifest.briefs.every((b) => b.ok)).toBe(true);
    expect(manifest.profile.peakRssBytes).toBeLessThan(400 * 2 ** 20);
    // A window of two weeks counts the brief's own incidents and the previous week's,
    // which it re-lists: new are only its own, however long the series has run.
    const bySource = new Map(manifest.briefs.map((b) => [b.source, b.tally]));
    for (const week of weeks.filter((w) => !w.reachesBack)) {
      expect(bySource.get(week.file), week.file).toMatchObject({ total: week.own + week.relisted, new: week.own });
    }
  }, 300_000);

  it('counts 5,000 incidents of one series with a 256 MB heap', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'briefs'));
    mkdirSync(path.join(dir, 'incidents'));
    const rows = Array.from({ length: 5000 }, (_, i) => {
      const day = String(1 + (i % 28)).padStart(2, '0');
      const month = String(1 + (Math.floor(i / 28) % 12)).padStart(2, '0');
      return `  - {id: x${i}, date: 2023-${month}-${day}, location: Base ${i % 40}, country: Iraq, weapons: [{type: drone, count: ${1 + (i % 3)}}]}`;
    });
    writeFileSync(path.join(dir, 'incidents', 'campaign.yaml'), `series: campaign\nincidents:\n${rows.join('\n')}\n`);
    writeFileSync(
      path.join(dir, 'briefs', 'year.yaml'),
      'title: A year of attacks\ndate: 2023-12-31\nseries: campaign\ntally:\n  since: 2023-01-01\ndevelopments: |\n  {{tally.total}} attacks, {{tally.weapon.drone.munitions}} drones.\n',
    );
    const result = await cappedCli(['build', '--html-only', '--json', '--profile'], dir, 256);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    const manifest = JSON.parse(result.stdout) as Manifest;
    expect(manifest.briefs[0]?.tally?.total).toBe(5000);
    expect(manifest.profile.peakRssBytes).toBeLessThan(400 * 2 ** 20);
  }, 300_000);
});
