import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from '../helpers.js';

// The example series, counted by hand from briefs/*.yaml:
// Oct 24 brief: 6 incidents (Iraq 3, Syria 3); Oct 30 brief lists 6 more and reaches back to Oct 17.
describe('brief tally and brief export on the example series', () => {
  let manifest: { briefs: { slug: string; tally: Record<string, unknown> }[] };
  let html: string;
  beforeAll(async () => {
    const out = tempDir();
    const built = await runCli(['build', '--html-only', '--json', '--out', out]);
    expect(built.code, built.stderr).toBe(0);
    manifest = JSON.parse(built.stdout);
    html = readFileSync(path.join(out, 'militia-attacks-after-us-strikes.html'), 'utf8');
  });

  it('prints, for one brief, the same tally object as the build manifest', async () => {
    for (const slug of ['militia-attacks-on-us-troops', 'militia-attacks-after-us-strikes']) {
      const result = await runCli(['tally', `briefs/${slug}.yaml`, '--format', 'json']);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual(manifest.briefs.find((b) => b.slug === slug)?.tally);
    }
  });

  it('has the hand-counted numbers, and the later brief reaches back into the earlier', () => {
    const later = manifest.briefs.find((b) => b.slug === 'militia-attacks-after-us-strikes')?.tally;
    expect(later).toMatchObject({
      since: '2023-10-17', until: '2023-10-30', days: 14, total: 12, new: 6, claimed: 5, injured: 20, killed: 0,
      byCountry: { Iraq: 6, Syria: 6 },
      byLocation: { 'al-Asad Air Base': 4, 'al-Tanf garrison': 2, 'Omar oil field': 2 },
      byWeapon: { drone: { incidents: 8, munitions: 15, exact: true }, rocket: { incidents: 3, munitions: 3, exact: false } },
    });
    const earlier = manifest.briefs.find((b) => b.slug === 'militia-attacks-on-us-troops')?.tally;
    expect(earlier).toMatchObject({ total: 6, new: 6, byCountry: { Iraq: 3, Syria: 3 } });
  });

  it('shows in the page what the tally command prints', () => {
    expect(html).toMatch(/class="tally__number" href="#incident-record">12</);
    expect(html).toContain('<strong>6</strong> new since the <a href="militia-attacks-on-us-troops.html"');
    expect(html).toMatch(/Voice of America<\/bdi><\/a>: 24<\/strong> <span class="print-only print-url">\(<bdi>[^)]*<\/bdi>\)<\/span> as of October 30, 2023, 12 more than ours/);
    expect(html).toMatch(/<th scope="row"><bdi class="tally__name">drone<\/bdi><\/th><td><a href="#count-weapon-drone">8<\/a><\/td><td><bdi>15<\/bdi><\/td>/);
    expect(html).toContain('id="incident-2023-10-29-shaddadi"');
    expect(html).toContain('<svg class="chart"');
    expect(html).toContain('<svg class="map"');
  });

  it('moves the window with --since and --until, and never raises a count by narrowing it', async () => {
    const wide = JSON.parse((await runCli(['tally', 'briefs/militia-attacks-after-us-strikes.yaml', '--format', 'json'])).stdout);
    const narrow = JSON.parse(
      (await runCli(['tally', 'briefs/militia-attacks-after-us-strikes.yaml', '--since', '2023-10-25', '--until', '2023-10-29', '--format', 'json'])).stdout,
    );
    expect(narrow).toMatchObject({ since: '2023-10-25', until: '2023-10-29', days: 5, total: 5 });
    expect(narrow.total).toBeLessThanOrEqual(wide.total);
  });

  it('prints CSV for spreadsheets and a table for people', async () => {
    const csv = await runCli(['tally', '--by', 'weapon', '--format', 'csv']);
    expect(csv.stdout).toBe('name,incidents,munitions,munitions_exact\ndrone,8,15,true\nrocket,3,3,false\n');
    const table = await runCli(['tally', '--by', 'country']);
    expect(table.stdout).toMatch(/Oct 17 – Oct 30, 2023 \(14 days\): 12 incidents/);
    expect(table.stdout).toMatch(/│ Iraq\s+│\s+6 │/);
  });

  it('exports the incidents as CSV, JSON and GeoJSON with conventional columns', async () => {
    const csv = (await runCli(['export'])).stdout.trim().split('\n');
    expect(csv[0]).toBe('event_id,event_date,country,location,latitude,longitude,actor,claimed,weapons,fatalities,injuries,notes,source,revised');
    expect(csv).toHaveLength(13);
    const geo = JSON.parse((await runCli(['export', '--format', 'geojson'])).stdout);
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.features).toHaveLength(12);
    expect(geo.features[0].geometry).toEqual({ type: 'Point', coordinates: [42.44, 33.79] });
    const json = JSON.parse((await runCli(['export', '--format', 'json', '--until', '2023-10-24'])).stdout);
    expect(json).toHaveLength(6);
    expect(json[2]).toMatchObject({ event_id: '2023-10-19-al-tanf', injuries: 20, weapons: 'drone:2' });
  });

  it('refuses to print numbers from a brief with errors', async () => {
    const result = await runCli(['tally', path.join(ROOT, 'tests/fixtures/invalid/count-zero.yaml')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('count-zero.yaml:10:16');
  });
});
