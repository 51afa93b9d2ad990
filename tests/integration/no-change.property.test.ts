import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { build, type Manifest } from '../../src/index.js';
import { runRecordFile } from '../../src/project/run-record.js';
import { ROOT, runCliProcess, tempDir } from '../helpers.js';

/*
 * The no-change rebuild (src/project/run-record.ts) reports a recorded run without reading
 * a file. Whatever was edited in between, a rebuild must leave the output folder exactly
 * as a cold build of the same files does, and say what a full run says: the property
 * below edits a project at random (briefs, incidents, places, configuration, templates,
 * images, folders; with or without a change of bytes), rebuilds, and compares.
 */

const brief = (slug: string, date: string, extra = '') =>
  [
    `title: Brief ${slug}`,
    `date: 2024-03-${date}`,
    `slug: ${slug}`,
    'series: s',
    'tally:',
    '  since: 2024-02-20',
    'developments: |',
    `  {{tally.total}} attacks so far.${extra}`,
    '',
    '  ![map](pic.svg)',
    'incidents:',
    `  - {date: 2024-03-${date}, location: Base One, country: Iraq, injured: 1}`,
  ].join('\n') + '\n';

const SVG = (fill: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="${fill}"/></svg>\n`;

/** A small project: two briefs of a series, an incident file, places, a configuration, a template override and an image. */
function project(): string {
  const dir = tempDir('flashbrief-nochange-');
  mkdirSync(path.join(dir, 'briefs'));
  mkdirSync(path.join(dir, 'incidents'));
  mkdirSync(path.join(dir, 'templates', 'flash-brief', 'partials'), { recursive: true });
  writeFileSync(path.join(dir, 'briefs', 'a.yaml'), brief('a', '01'));
  writeFileSync(path.join(dir, 'briefs', 'b.yaml'), brief('b', '05'));
  writeFileSync(path.join(dir, 'briefs', 'pic.svg'), SVG('red'));
  writeFileSync(path.join(dir, 'incidents', 'extra.yaml'), 'series: s\nincidents:\n  - {date: 2024-02-25, location: Base Two, country: Syria}\n');
  writeFileSync(path.join(dir, 'places.yaml'), '- {name: Base One, country: Iraq, lat: 33.8, lon: 42.4}\n');
  writeFileSync(path.join(dir, 'brief.config.yaml'), 'site:\n  title: Desk\n  url: https://example.org/briefs/\n');
  cpSync(path.join(ROOT, 'templates', 'flash-brief', 'partials', 'masthead.hbs'), path.join(dir, 'templates', 'flash-brief', 'partials', 'masthead.hbs'));
  return dir;
}

/** Every file of a folder but the build's own records, by relative path, with its bytes. */
function filesOf(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('.flashbrief-')) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, file), createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16));
  }
  return files;
}

/** What a run says of its briefs, without what only says how it got there (unchanged, removed). */
const said = (m: Manifest) => ({
  ok: m.ok,
  briefs: m.briefs.map(({ unchanged: _u, removed: _r, ...entry }) => entry),
  files: m.files,
  site: m.site,
  config: m.config,
});

type Edit = (dir: string) => void;
/** An edit of a file that is there (an earlier edit may have removed it). */
const ifThere = (rel: string, edit: (file: string) => void): Edit => (dir) => {
  const file = path.join(dir, rel);
  if (statSync(file, { throwIfNoEntry: false })) edit(file);
};
const append = (rel: string, text: string): Edit => ifThere(rel, (file) => writeFileSync(file, readFileSync(file, 'utf8') + text));
const replace = (rel: string, from: string, to: string): Edit => ifThere(rel, (file) => writeFileSync(file, readFileSync(file, 'utf8').replace(from, to)));
// The same bytes written again, and a file's time moved back: neither may change a page, and neither may be taken for nothing.
const rewrite = (rel: string): Edit => ifThere(rel, (file) => writeFileSync(file, readFileSync(file)));
const backdate = (rel: string): Edit => ifThere(rel, (file) => utimesSync(file, new Date(2020, 0, 1), new Date(2020, 0, 1)));

const EDITS: Record<string, Edit> = {
  'an incident count': replace('briefs/a.yaml', 'injured: 1', 'injured: 7'),
  'a comment only': append('briefs/b.yaml', '# a note\n'),
  'the same bytes': rewrite('briefs/a.yaml'),
  'a brief backdated': backdate('briefs/b.yaml'),
  'a new brief': (dir) => writeFileSync(path.join(dir, 'briefs', 'c.yaml'), brief('c', '09')),
  'a brief removed': (dir) => rmSync(path.join(dir, 'briefs', 'a.yaml'), { force: true }),
  'a brief renamed': (dir) => {
    const from = path.join(dir, 'briefs', 'b.yaml');
    if (statSync(from, { throwIfNoEntry: false })) renameSync(from, path.join(dir, 'briefs', 'bb.yaml'));
  },
  'a typo': replace('briefs/b.yaml', 'country: Iraq', 'countr: Iraq'),
  'an incident file': replace('incidents/extra.yaml', 'Syria', 'Iraq'),
  'places.yaml': replace('places.yaml', 'lat: 33.8', 'lat: 30.1'),
  'places.yaml removed': (dir) => rmSync(path.join(dir, 'places.yaml'), { force: true }),
  'the configuration': replace('brief.config.yaml', 'Desk', 'Newsroom'),
  'a template partial': append('templates/flash-brief/partials/masthead.hbs', '<p class="x">edition</p>\n'),
  'a new partial': (dir) => writeFileSync(path.join(dir, 'templates', 'flash-brief', 'partials', 'extra.hbs'), '<p>unused</p>\n'),
  'an image': (dir) => writeFileSync(path.join(dir, 'briefs', 'pic.svg'), SVG('blue')),
  'an image replaced by a link': (dir) => {
    rmSync(path.join(dir, 'briefs', 'other.svg'), { force: true });
    writeFileSync(path.join(dir, 'briefs', 'other.svg'), SVG('green'));
    rmSync(path.join(dir, 'briefs', 'pic.svg'), { force: true });
    symlinkSync('other.svg', path.join(dir, 'briefs', 'pic.svg'));
  },
  'an output deleted': (dir) => rmSync(path.join(dir, 'output', 'a.html'), { force: true }),
  'an output edited': ifThere('output/index.html', (file) => writeFileSync(file, 'edited by hand\n')),
  nothing: () => undefined,
};

const options = (dir: string) => ({ cwd: dir, formats: ['html'] as const, templates: 'templates', now: new Date('2024-04-01T00:00:00Z') });

describe('a rebuild after random edits', () => {
  it('leaves the output folder byte for byte as a cold build does, and reports what a full run reports', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.subarray(Object.keys(EDITS), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }), async (rounds) => {
        const dir = project();
        // The twin gets the same edits, and its record is removed before every build: it always reads everything.
        const twin = tempDir('flashbrief-twin-');
        const slowBuild = (at: string) => (rmSync(runRecordFile(path.join(at, 'output'), undefined), { force: true }), build(options(at)));
        try {
          cpSync(dir, twin, { recursive: true, verbatimSymlinks: true });
          await build(options(dir));
          await slowBuild(twin);
          for (const names of rounds) {
            for (const name of names) for (const at of [dir, twin]) (EDITS[name] as Edit)(at);
            const again = await build(options(dir));
            // Twice: the second is the no-change rebuild, which reads nothing.
            const still = await build(options(dir));
            const slow = await slowBuild(twin);
            const slowStill = await slowBuild(twin);
            expect(filesOf(path.join(dir, 'output'))).toEqual(filesOf(path.join(twin, 'output')));
            expect(said(again)).toEqual(said(slow));
            expect(said(still)).toEqual(said(slowStill));
            expect(still.briefs.map((b) => b.unchanged ?? false)).toEqual(slowStill.briefs.map((b) => b.unchanged ?? false));
            // Every file a good run reports is the file a cold build of the same sources writes.
            if (still.ok) {
              const cold = tempDir('flashbrief-cold-');
              try {
                cpSync(dir, cold, { recursive: true, verbatimSymlinks: true, filter: (src) => !src.startsWith(path.join(dir, 'output')) });
                const fresh = await build(options(cold));
                const listed = (m: Manifest) => [...m.briefs.flatMap((b) => b.outputs), ...(m.site ?? [])].map((f) => path.relative('output', f));
                const ours = filesOf(path.join(dir, 'output'));
                const theirs = filesOf(path.join(cold, 'output'));
                for (const rel of listed(fresh)) {
                  if (ours.get(rel) === theirs.get(rel)) continue;
                  const lines = (at: string) => readFileSync(path.join(at, 'output', rel), 'utf8').split('\n');
                  const [a, b] = [lines(dir), lines(cold)];
                  expect([rel, a.filter((l) => !b.includes(l))]).toEqual([rel, b.filter((l) => !a.includes(l))]);
                }
                expect(said(still)).toEqual(said(fresh));
              } finally {
                rmSync(cold, { recursive: true, force: true });
              }
            }
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
          rmSync(twin, { recursive: true, force: true });
        }
      }),
      { numRuns: 6 },
    );
  }, 400_000);

  it('reads no brief when nothing changed, and reports every built brief as unchanged', async () => {
    const dir = project();
    try {
      const first = await build(options(dir));
      expect(first.briefs.map((b) => b.errors ?? [])).toEqual([[], []]);
      // Kept out of the output folder, which is deployed.
      expect(statSync(runRecordFile(path.join(dir, 'output'), undefined)).isFile()).toBe(true);
      expect(readdirSync(path.join(dir, 'output')).filter((f) => f.startsWith('.'))).toEqual(['.flashbrief-cache.json']);
      const second = await build(options(dir));
      expect(second.briefs.map((b) => b.unchanged)).toEqual([true, true]);
      expect(said(second)).toEqual(said(first));
      // Nothing was read: the run says it reused the record; after an edit, it does not.
      const said2: string[] = [];
      await build({ ...options(dir), log: (line) => said2.push(line) });
      expect(said2).toEqual(['unchanged briefs/a.yaml', 'unchanged briefs/b.yaml', 'nothing changed since the last build: the last build\'s report stands (2 briefs; --force rebuilds)']);
      writeFileSync(path.join(dir, 'briefs', 'a.yaml'), brief('a', '01').replace('injured: 1', 'injured: 9'));
      const said3: string[] = [];
      expect((await build({ ...options(dir), log: (line) => said3.push(line) })).briefs[0]?.tally?.injured).toBe(9);
      expect(said3.filter((l) => l.startsWith('nothing changed'))).toEqual([]);
      // A run with other settings does not take the record of this one.
      const other = await build({ ...options(dir), fragment: true });
      expect(other.briefs.flatMap((b) => b.outputs)).toContain('output/a.fragment.html');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is no record when damaged in any part: the build reads everything, says nothing odd and never crashes', async () => {
    const dir = project();
    try {
      const first = await build(options(dir));
      const file = runRecordFile(path.join(dir, 'output'), undefined);
      const good = JSON.parse(readFileSync(file, 'utf8'));
      const damages: Record<string, (r: Record<string, unknown>) => unknown> = {
        'briefs not a list': (r) => ({ ...r, manifest: { ...(r.manifest as object), briefs: 'nope' } }),
        'manifest a list': (r) => ({ ...r, manifest: [] }),
        'an input without its stamp': (r) => ({ ...r, inputs: [['/x']] }),
        'an input a number': (r) => ({ ...r, inputs: [5] }),
        'an entry null': (r) => ({ ...r, manifest: { ...(r.manifest as object), briefs: [null] } }),
        'an entry empty': (r) => ({ ...r, manifest: { ...(r.manifest as object), briefs: [{}] } }),
        'warnings not a list': (r) => ({ ...r, manifest: { ...(r.manifest as { briefs: object[] }), briefs: (r.manifest as { briefs: object[] }).briefs.map((b) => ({ ...b, warnings: 'x' })) } }),
        'notices not text': (r) => ({ ...r, notices: [1, null] }),
        'another format': (r) => ({ ...r, format: 1 }),
      };
      for (const [name, damage] of Object.entries(damages)) {
        writeFileSync(file, JSON.stringify(damage(good)));
        const lines: string[] = [];
        const again = await build({ ...options(dir), log: (l) => lines.push(l), notice: (l) => lines.push(l) });
        expect([name, said(again)]).toEqual([name, said(first)]);
        expect([name, lines.filter((l) => l.startsWith('nothing changed') || /^\d+$|^null$/.test(l))]).toEqual([name, []]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sees what a stamp of size and times alone would not: a link that leads nowhere, a change of permissions, a PDF beside the page', async () => {
    const dir = project();
    try {
      await build(options(dir));
      // places.yaml as a link to nothing: an error at the file, as a build that reads it says.
      rmSync(path.join(dir, 'places.yaml'));
      symlinkSync('nowhere.yaml', path.join(dir, 'places.yaml'));
      const linked = await build(options(dir));
      expect(linked.briefs[0]?.errors?.map((e) => e.message).join()).toMatch(/cannot be read/);
      rmSync(path.join(dir, 'places.yaml'));
      expect((await build(options(dir))).briefs[0]?.errors).toBeUndefined();
      // chmod changes the inode's change time only: the next run reads the brief again.
      await build(options(dir));
      chmodSync(path.join(dir, 'briefs', 'a.yaml'), 0o600);
      const lines: string[] = [];
      await build({ ...options(dir), log: (l) => lines.push(l) });
      expect(lines.filter((l) => l.startsWith('nothing changed'))).toEqual([]);
      // The index links a brief's PDF when the file is there: its coming and going are seen.
      const index = () => readFileSync(path.join(dir, 'output', 'index.html'), 'utf8');
      expect(index()).not.toContain('a.pdf');
      writeFileSync(path.join(dir, 'output', 'a.pdf'), '%PDF-1.7\n');
      await build(options(dir));
      expect(index()).toContain('a.pdf');
      rmSync(path.join(dir, 'output', 'a.pdf'));
      await build(options(dir));
      expect(index()).not.toContain('a.pdf');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never publishes a damaged stylesheet from the cache folder, and never hangs on one it cannot make', async () => {
    const dir = project();
    const cache = tempDir('flashbrief-cache-');
    // Fresh processes: this one keeps its templates loaded, and would not read the cache folder again.
    const cli = (env: Record<string, string>) => runCliProcess(['build', '--html-only', '--templates', 'templates'], { cwd: dir, env });
    try {
      expect((await cli({ FLASHBRIEF_CACHE_DIR: cache })).code).toBe(0);
      const css = () => readdirSync(path.join(dir, 'output', 'assets')).filter((f) => /^brief\.[0-9a-f]+\.css$/.test(f));
      const before = css();
      const folder = path.join(cache, 'stylesheets');
      expect(readdirSync(folder).length).toBeGreaterThan(0);
      for (const name of readdirSync(folder)) writeFileSync(path.join(folder, name), '""');
      rmSync(path.join(dir, 'output'), { recursive: true, force: true });
      expect((await cli({ FLASHBRIEF_CACHE_DIR: cache })).code).toBe(0);
      expect(css()).toEqual(before);
      expect(statSync(path.join(dir, 'output', 'assets', before[0] as string)).size).toBeGreaterThan(1000);
      // A recursive mkdir spins forever under /proc: the build must end, only without its cache.
      const proc = await cli({ FLASHBRIEF_CACHE_DIR: '/proc/no-such-folder/cache' });
      expect([proc.code, proc.stderr]).toEqual([0, expect.not.stringContaining('unexpected')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('is not taken once an embargo has lifted since the recorded run', async () => {
    const dir = project();
    try {
      writeFileSync(path.join(dir, 'briefs', 'b.yaml'), brief('b', '05').replace('series: s', 'series: s\nembargo: 2024-05-01T00:00:00Z'));
      const before = await build(options(dir));
      expect(before.briefs[1]?.embargo).toEqual({ until: '2024-05-01T00:00:00Z', held: true });
      const after = await build({ ...options(dir), now: new Date('2024-06-01T00:00:00Z') });
      expect(after.briefs[1]?.embargo).toBeUndefined();
      expect(after.briefs[1]?.outputs).toEqual(['output/b.html']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
