import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { build, type Manifest, type ManifestEntry } from '../../src/index.js';
import { projectWith } from '../helpers.js';

/*
 * The output folder is what a web team deploys, so a brief under embargo must leave no
 * trace there (no page, no PDF, no link, no image of its own) until the embargo lifts,
 * and the first build after that must publish it: its page, the index, feeds and sitemap,
 * and the "next" link of the brief before it. Editors still get it, marked, in a folder
 * of its own when they ask. HTML only: the PDF's embargo mark is checked in site.test.ts.
 * The command line runs in this process (cli.test.ts covers the process itself).
 */

/** `brief <argv>` run in `cwd`, in this process: its exit code and what it wrote. */
async function runCli(argv: string[], { cwd }: { cwd: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, cwd });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const EMBARGO = '2024-03-01T06:00Z';
const BEFORE = new Date('2024-03-01T05:59:00Z');
const AFTER = new Date('2024-03-01T06:01:00Z');

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#a3161b"/></svg>';

const brief = (slug: string, title: string, date: string, extra = '') =>
  [`title: ${title}`, `date: ${date}`, `slug: ${slug}`, 'series: gulf', 'topics: [Red Sea]', extra, 'developments: |', '  Ships were hailed.', ''].join('\n');

/** One incident of the series, listed in a brief. */
const incident = (date: string) =>
  `incidents:\n  - { date: ${date}, location: Hodeidah, country: Yemen, lat: 14.8, lon: 42.95, weapons: [{ type: drone, count: 1 }] }\n`;

/** A series of two: the later brief carries an embargo (when asked) and shows an image no other brief shows. */
function seriesProject(embargo: string | undefined): string {
  const dir = projectWith({
    'a.yaml': brief('earlier-hails', 'Earlier Hails', '2024-02-20'),
    'b.yaml': heldBrief(embargo),
  });
  mkdirSync(path.join(dir, 'briefs', 'photos'));
  writeFileSync(path.join(dir, 'briefs', 'photos', 'boarding.svg'), SVG);
  writeFileSync(path.join(dir, 'brief.config.yaml'), 'site:\n  url: https://briefs.example.org/\n');
  return dir;
}

const heldBrief = (embargo: string | undefined) =>
  brief('tanker-boarded', 'Tanker Boarded Off Hodeidah', '2024-02-29', embargo ? `embargo: ${embargo}` : '').replace(
    '  Ships were hailed.',
    '  Ships were hailed.\n\n  ![The boarding](photos/boarding.svg)',
  );

/** Every file under a folder, dotfiles included, with its text (binary files read as latin1 are searched all the same). */
function everyFile(dir: string): Map<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(files.map((e) => [path.relative(dir, path.join(e.parentPath, e.name)), readFileSync(path.join(e.parentPath, e.name), 'latin1')]));
}

/** The files of a folder that mention the embargoed brief in any way: its slug, its title or its image's name. */
const traces = (dir: string): string[] =>
  [...everyFile(dir)].filter(([name, text]) => /tanker-boarded|Tanker Boarded|boarding/.test(name) || /tanker-boarded|Tanker Boarded|boarding\./.test(text)).map(([name]) => name);

const entryOf = (manifest: Manifest, source: string): ManifestEntry => manifest.briefs.find((b) => b.source === source) as ManifestEntry;

describe('a brief under embargo, built from the command line', () => {
  it('is checked but leaves no trace in output/; the summary and manifest say it was held', async () => {
    const dir = seriesProject('2999-01-01T06:00Z');
    const result = await runCli(['build', '--html-only', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/1 built, 0 failed, 1 held in /);
    const out = path.join(dir, 'output');
    expect(existsSync(path.join(out, 'earlier-hails.html'))).toBe(true);
    expect(existsSync(path.join(out, 'index.html'))).toBe(true);
    expect(traces(out)).toEqual([]);
    const held = entryOf(JSON.parse(result.stdout), 'briefs/b.yaml');
    expect(held).toMatchObject({ ok: true, outputs: [], embargo: { until: '2999-01-01T06:00Z', held: true } });
    // tally and export count it, as its build does, and say that it is under embargo.
    for (const command of ['tally', 'export']) {
      const counted = await runCli([command], { cwd: dir });
      expect(counted.code, counted.stderr).toBe(0);
      expect(counted.stderr).toContain('briefs/b.yaml is under embargo until January 1, 2999, 06:00 UTC: its incidents are counted here; do not publish these numbers before then');
    }
    // Still checked: a mistake in it fails the build now, not on the day it is published.
    writeFileSync(path.join(dir, 'briefs', 'b.yaml'), heldBrief('2999-01-01T06:00Z').replace('date: 2024-02-29', 'date: 2024-02-30'));
    const broken = await runCli(['build', '--html-only'], { cwd: dir });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('briefs/b.yaml:2:7: date');
    expect(traces(out)).toEqual([]);
  });

  it('goes, marked, with the stylesheet and its image, into the --embargoed-out folder, and still not into output/', async () => {
    const dir = seriesProject('2999-01-01T06:00Z');
    const result = await runCli(['build', '--html-only', '--embargoed-out', 'embargoed'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('built briefs/b.yaml (under embargo until January 1, 2999, 06:00 UTC, so not in output) -> embargoed/tanker-boarded.html');
    expect(traces(path.join(dir, 'output'))).toEqual([]);
    const folder = path.join(dir, 'embargoed');
    const page = readFileSync(path.join(folder, 'tanker-boarded.html'), 'utf8');
    expect(page).toContain('Embargoed until <time datetime="2999-01-01T06:00Z">January 1, 2999, 06:00 UTC</time>');
    // Everything the page links to in assets/ is beside it.
    const linked = [...page.matchAll(/(?:href|src)="(assets\/[^"]+)"/g)].map((m) => m[1] as string);
    expect(linked.some((a) => /^assets\/boarding\.[0-9a-f]{10}\.svg$/.test(a))).toBe(true);
    expect(linked.some((a) => a.endsWith('.css'))).toBe(true);
    for (const asset of linked) expect(existsSync(path.join(folder, asset)), asset).toBe(true);
    // Unchanged on the next build, from the folder's own record; the manifest says where it is.
    const again = await runCli(['build', '--html-only', '--embargoed-out', 'embargoed', '--json'], { cwd: dir });
    expect(again.stderr).toMatch(/0 built, 0 failed, 2 unchanged in /);
    const entry = entryOf(JSON.parse(again.stdout), 'briefs/b.yaml');
    expect(entry).toMatchObject({ unchanged: true, outputs: ['embargoed/tanker-boarded.html'], embargo: { until: '2999-01-01T06:00Z', held: false } });
  });

  it('is taken out of output/ when it gets an embargo after it was built, but a file the build did not write is only warned about', async () => {
    const dir = seriesProject(undefined);
    writeFileSync(path.join(dir, 'briefs', 'c.yaml'), brief('by-hand', 'By Hand', '2024-02-10'));
    expect((await runCli(['build', '--html-only', '-q'], { cwd: dir })).code).toBe(0);
    const out = path.join(dir, 'output');
    expect(existsSync(path.join(out, 'tanker-boarded.html'))).toBe(true);
    // by-hand.html is replaced by a copy of someone else's: the build no longer wrote it.
    writeFileSync(path.join(out, 'by-hand.html'), '<p>kept by the web team</p>');
    writeFileSync(path.join(dir, 'briefs', 'b.yaml'), heldBrief('2999-01-01T06:00Z'));
    writeFileSync(path.join(dir, 'briefs', 'c.yaml'), brief('by-hand', 'By Hand', '2024-02-10', 'embargo: 2999-01-01'));
    const result = await runCli(['build', '--html-only', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(traces(out)).toEqual([]);
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).not.toContain('By Hand');
    const manifest = JSON.parse(result.stdout) as Manifest;
    // Its page, and its image, which no page left in output/ shows.
    expect(entryOf(manifest, 'briefs/b.yaml').removed).toEqual(['output/tanker-boarded.html', expect.stringMatching(/^output\/assets\/boarding\.[0-9a-f]{10}\.svg$/)]);
    expect(readFileSync(path.join(out, 'by-hand.html'), 'utf8')).toBe('<p>kept by the web team</p>');
    expect(entryOf(manifest, 'briefs/c.yaml').removed).toBeUndefined();
    expect(result.stderr).toContain(
      'briefs/c.yaml:6:1: warning: this brief is under embargo until January 1, 2999, but output/by-hand.html is still there and would be published with output: ' +
        'the build did not write it as it is now',
    );
  });

  it("leaves the page of a published brief that shares its slug: a clash is the later brief's error, not a reason to take the other's page", async () => {
    const dir = projectWith({ 'a.yaml': brief('hails', 'Published Hails', '2024-02-20') });
    expect((await runCli(['build', '--html-only', '-q'], { cwd: dir })).code).toBe(0);
    writeFileSync(path.join(dir, 'briefs', 'b.yaml'), brief('hails', 'Withheld Hails', '2024-02-21', 'embargo: 2999-01-01'));
    const result = await runCli(['build', '--html-only', '-q'], { cwd: dir });
    expect(result.stderr).toContain('slug "hails" is already used by briefs/a.yaml');
    expect(readFileSync(path.join(dir, 'output', 'hails.html'), 'utf8')).toContain('Published Hails');
  });

  it.each([
    [['--embargoed-out', 'output/embargoed'], 'is inside the output folder output, which is deployed'],
    [['--embargoed-out', 'output'], 'is the output folder, which is deployed'],
    [['--out', 'site/public', '--embargoed-out', 'site'], 'holds the output folder site/public'],
    [['--embargoed-out', '.'], 'is the project folder or holds it'],
    [['--embargoed-out', 'briefs'], 'is briefs, which the build reads'],
  ])('refuses %j with exit 2 before writing anything', async (flags, message) => {
    const dir = seriesProject('2999-01-01T06:00Z');
    const result = await runCli(['build', '--html-only', ...flags], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`brief: the folder for embargoed briefs (--embargoed-out) ${flags.at(-1)} ${message}`);
    expect(existsSync(path.join(dir, 'output'))).toBe(false);
  });
});

describe('the first build after the embargo lifts (the build clock moved on, no --force)', () => {
  it('publishes the brief: its page, the index, feeds and sitemap, and the earlier brief now links on to it', async () => {
    const dir = seriesProject(EMBARGO);
    // Incidents in all three, so the later brief's tally counts those "new since the previous brief".
    writeFileSync(path.join(dir, 'briefs', 'a.yaml'), `${brief('earlier-hails', 'Earlier Hails', '2024-02-20')}${incident('2024-02-19')}`);
    writeFileSync(path.join(dir, 'briefs', 'b.yaml'), `${heldBrief(EMBARGO)}${incident('2024-02-28')}`);
    writeFileSync(path.join(dir, 'briefs', 'c.yaml'), `${brief('later-hails', 'Later Hails', '2024-03-05', 'tally: { since: 2024-02-01 }')}${incident('2024-03-04')}`);
    const options = { cwd: dir, formats: ['html'] as const, embargoed: { dir: 'embargoed' } };
    const before = await build({ ...options, now: BEFORE });
    expect(before.ok).toBe(true);
    const out = path.join(dir, 'output');
    expect(traces(out)).toEqual([]);
    expect(existsSync(path.join(dir, 'embargoed', 'tanker-boarded.html'))).toBe(true);
    // The briefs around it link past it: the later one counts its incidents, but names
    // no previous brief it could not link to.
    expect(readFileSync(path.join(out, 'earlier-hails.html'), 'utf8')).toMatch(/rel="next" href="later-hails\.html"/);
    expect(readFileSync(path.join(out, 'later-hails.html'), 'utf8')).not.toContain('new since the');
    // A minute before: nothing changes, nothing is rebuilt.
    const still = await build({ ...options, now: BEFORE });
    expect(still.briefs.map((b) => b.unchanged)).toEqual([true, true, true]);

    const after = await build({ ...options, now: AFTER });
    expect(after.ok).toBe(true);
    // All rebuilt: the brief itself, and the two around it whose links it changes.
    expect(after.briefs.map((b) => [b.source, b.unchanged ?? false, b.outputs])).toEqual([
      ['briefs/a.yaml', false, ['output/earlier-hails.html']],
      ['briefs/b.yaml', false, ['output/tanker-boarded.html']],
      ['briefs/c.yaml', false, ['output/later-hails.html']],
    ]);
    const published = entryOf(after, 'briefs/b.yaml');
    expect(published.embargo).toBeUndefined();
    // Its marked copy is taken out of the folder for embargoed briefs.
    expect(published.removed).toEqual(['embargoed/tanker-boarded.html']);
    expect(existsSync(path.join(dir, 'embargoed', 'tanker-boarded.html'))).toBe(false);

    const page = readFileSync(path.join(out, 'tanker-boarded.html'), 'utf8');
    expect(page).not.toContain('Embargoed until');
    expect(page).toMatch(/src="assets\/boarding\.[0-9a-f]{10}\.svg"/);
    expect(readFileSync(path.join(out, 'earlier-hails.html'), 'utf8')).toMatch(/rel="next" href="tanker-boarded\.html"/);
    const later = readFileSync(path.join(out, 'later-hails.html'), 'utf8');
    expect(later).toMatch(/rel="prev" href="tanker-boarded\.html"/);
    expect(later).toMatch(/new since the <a href="tanker-boarded\.html"/);
    for (const file of ['index.html', 'topics/red-sea.html', 'feed.xml', 'feed.json', 'sitemap.xml']) {
      expect(readFileSync(path.join(out, file), 'utf8'), file).toContain('tanker-boarded.html');
    }
    const settled = await build({ ...options, now: AFTER });
    expect(settled.briefs.map((b) => b.unchanged)).toEqual([true, true, true]);
  });
});
