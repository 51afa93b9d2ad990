import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, pdfFonts, pdfText, runCli, tempDir } from '../helpers.js';

// brief-format "Once each", "Revisions" and "Every file is checked", as a user meets them.

describe('one id with different facts in two briefs without a series', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    cpSync(path.join(FIXTURES, 'cases', 'conflicting-id-outside-series'), dir, { recursive: true });
  });
  const conflict =
    'briefs/b.yaml:7:5: incident "x-dup-1" is listed again with different facts from its first listing at briefs/a.yaml:7:5: ' +
    'location "al-Harir Air Base" here, "al-Asad Air Base" there (if the facts changed, mark this listing revised: YYYY-MM-DD)';
  const feed = 'incidents/feed.yaml:2:1: the incident file is a bare list; it must be a mapping of two keys: "series: <name>"';

  it('check names both places, and the malformed incident file once, with the shape it should have', async () => {
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(conflict);
    expect(result.stderr.split(feed)).toHaveLength(2);
    expect(result.stderr).toContain('1 ok, 1 failed: briefs/b.yaml');
    const json = JSON.parse((await runCli(['check', '--json'], { cwd: dir })).stdout);
    expect(json.ok).toBe(false);
    expect(json.files).toEqual([
      { source: 'incidents/feed.yaml', ok: false, errors: [expect.objectContaining({ file: 'incidents/feed.yaml', line: 2, column: 1 })] },
    ]);
    // The file's error is the file's: it is not repeated in briefs it does not feed.
    expect(JSON.stringify(json.briefs)).not.toContain('feed.yaml');
  });

  it('build fails for the brief that conflicts, still builds the other, and reports the incident file', async () => {
    const out = tempDir();
    const result = await runCli(['build', '--html-only', '--json', '--out', out], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(conflict);
    expect(result.stderr).toContain(feed);
    const manifest = JSON.parse(result.stdout);
    expect(manifest.briefs.map((b: { source: string; ok: boolean }) => [b.source, b.ok])).toEqual([
      ['briefs/a.yaml', true],
      ['briefs/b.yaml', false],
    ]);
    expect(existsSync(path.join(out, 'earlier.html'))).toBe(true);
    expect(existsSync(path.join(out, 'later.html'))).toBe(false);
  });

  it('tally and export refuse to pick one version', async () => {
    for (const args of [['tally'], ['tally', '--format', 'json'], ['export'], ['export', '--format', 'json']]) {
      const result = await runCli(args, { cwd: dir });
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(conflict);
    }
  });

  it('the earlier brief alone keeps the numbers it was published with', async () => {
    const result = await runCli(['tally', 'briefs/a.yaml', '--format', 'json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ total: 2, byLocation: { 'al-Asad Air Base': 1, 'al-Harir Air Base': 1 } });
  });
});

describe('a revision in a later brief', () => {
  let dir: string;
  let out: string;
  const incident = (extra: string) =>
    `  - id: tanf\n    date: 2023-10-18\n    location: al-Tanf garrison\n    country: Syria\n    weapons:\n      - type: drone\n        count: 2\n${extra}`;
  beforeAll(async () => {
    dir = tempDir();
    mkdirSync(path.join(dir, 'briefs'));
    const head = (title: string, date: string, slug: string) =>
      `title: ${title}\ndate: ${date}\nslug: ${slug}\nseries: camp\ndevelopments: |\n  {{tally.total}} attacks, {{tally.injured}} injured.\ntally:\n  since: 2023-10-17\nincidents:\n`;
    writeFileSync(path.join(dir, 'briefs', 'a.yaml'), head('First', '2023-10-24', 'first') + incident('    injured: 0\n'));
    writeFileSync(
      path.join(dir, 'briefs', 'b.yaml'),
      head('Second', '2023-10-30', 'second') +
        incident('    injured: 20\n    revised: 2023-10-26\n    revision_note: CENTCOM raised the injured count\n') +
        '  - id: erbil\n    date: 2023-10-28\n    location: Erbil\n    country: Iraq\n',
    );
    out = tempDir();
    const built = await runCli(['build', '--html-only', '--out', out], { cwd: dir });
    expect(built.code, built.stderr).toBe(0);
  });

  it('leaves the old brief its numbers and gives the new one the revised numbers', async () => {
    const first = JSON.parse((await runCli(['tally', 'briefs/a.yaml', '--format', 'json'], { cwd: dir })).stdout);
    const second = JSON.parse((await runCli(['tally', 'briefs/b.yaml', '--format', 'json'], { cwd: dir })).stdout);
    expect([first.total, first.injured, first.new]).toEqual([1, 0, 1]);
    expect([second.total, second.injured, second.new]).toEqual([2, 20, 1]);
    expect(readFileSync(path.join(out, 'first.html'), 'utf8')).toContain('1 attacks, 0 injured.');
    expect(readFileSync(path.join(out, 'second.html'), 'utf8')).toContain('2 attacks, 20 injured.');
  });

  it('shows in the incident record when the facts were revised and what changed', () => {
    const second = readFileSync(path.join(out, 'second.html'), 'utf8');
    expect(second).toContain(
      '<span class="annex__revision">revised <time datetime="2023-10-26">Oct 26</time>: <bdi>injured 20 (was 0)</bdi> (<bdi>CENTCOM raised the injured count</bdi>)</span>',
    );
    expect(readFileSync(path.join(out, 'first.html'), 'utf8')).not.toContain('annex__revision');
  });

  it('prints the revision line in the PDF with the shipped fonts only', async () => {
    const result = await runCli(['build', 'briefs/b.yaml', '--pdf-only', '-o', 'printed'], { cwd: dir });
    expect(result.code).toBe(0);
    const pdf = path.join(dir, 'printed', 'second.pdf');
    expect(pdfText(pdf)).toContain('injured 20 (was 0)');
    for (const font of pdfFonts(pdf)) expect(font.name).toMatch(/\+(SourceSerif4|SourceSans3)/);
  }, 60_000);

  it('exports the counted facts with a revised column', async () => {
    const csv = (await runCli(['export', 'briefs/b.yaml'], { cwd: dir })).stdout.trim().split('\n');
    expect(csv[0]).toBe('event_id,event_date,country,location,latitude,longitude,actor,claimed,weapons,fatalities,injuries,notes,source,revised');
    expect(csv[1]).toBe('tanf,2023-10-18,Syria,al-Tanf garrison,,,,,drone:2,,20,,,2023-10-26');
    const old = JSON.parse((await runCli(['export', 'briefs/a.yaml', '--format', 'json'], { cwd: dir })).stdout);
    expect(old).toEqual([expect.objectContaining({ event_id: 'tanf', injuries: 0, revised: null })]);
    const geo = JSON.parse((await runCli(['export', '--format', 'geojson'], { cwd: dir })).stdout);
    expect(geo.features.find((f: { properties: { event_id: string } }) => f.properties.event_id === 'tanf').properties).toMatchObject({ injuries: 20, revised: '2023-10-26' });
  });
});

describe('an incident file with errors whose series can be read', () => {
  it('stops only the briefs of that series; check still reports the file and exits 1', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'briefs'));
    mkdirSync(path.join(dir, 'incidents'));
    const head = (title: string, series: string) => `title: ${title}\ndate: 2024-01-10\nslug: ${series}\nseries: ${series}\ndevelopments: |\n  {{tally.total}} attacks.\nincidents:\n`;
    writeFileSync(path.join(dir, 'briefs', 'good-a.yaml'), `${head('Good', 's1')}  - id: g1\n    date: 2024-01-08\n    location: Base A\n    country: Iraq\n`);
    writeFileSync(path.join(dir, 'briefs', 'zz.yaml'), `${head('ZZ', 'zz')}  - id: z1\n    date: 2024-01-08\n    location: Base Z\n    country: Iraq\n`);
    writeFileSync(path.join(dir, 'incidents', 'x.yaml'), 'series: zz\nincidents:\n  - id: z2\n    date: 2024-13-01\n    location: Base Z\n    country: Iraq\n');
    const check = await runCli(['check'], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('incidents/x.yaml:4:11: incidents[0].date must be a real date written YYYY-MM-DD, e.g. 2023-10-24');
    expect(check.stderr).toContain('briefs/zz.yaml:4:9: incidents/x.yaml has errors and holds incidents of series "zz"; fix it so this brief\'s numbers can be counted');
    expect(check.stderr).toContain('1 ok, 1 failed: briefs/zz.yaml');
    const tally = await runCli(['tally', 'briefs/good-a.yaml', '--format', 'json'], { cwd: dir });
    expect(tally.code, tally.stderr).toBe(0);
    expect(JSON.parse(tally.stdout)).toMatchObject({ total: 1, new: 1 });
  });
});
