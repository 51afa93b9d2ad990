import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdfInfo, pdfText, projectWith, ROOT, runCli, tempDir } from '../helpers.js';

/** An update of ordinary length written for this test: three paragraphs, eight places, another tracker's count. */
const OWN = `title: Drone and Rocket Fire on Bases in Iraq and Syria Continues into a Second Week
date: 2024-02-08
slug: own-update
template: situation-update
authors:
  - name: Example Desk
summary: >-
  Militias struck bases hosting U.S. forces {{tally.total}} times in {{tally.days}} days,
  most of them with one-way drones, and no one was killed.
compare:
  - source: Pentagon
    figure: 9
    as_of: 2024-02-08
developments: |
  Drones and rockets hit bases that host U.S. forces in Iraq and Syria {{tally.total}} times
  between February 1 and February 8, {{tally.country.Iraq}} of them in Iraq. The Islamic
  Resistance in Iraq claimed most of the attacks in statements on its channels, and the
  Pentagon said air defenses stopped the drones at several of the bases.

  The attacks follow a pattern seen since October: small salvos of one-way drones, now and
  then rockets, aimed at bases in western Iraq, the Kurdistan Region and eastern Syria. Few
  cause damage, but each tests the defenses and keeps troops in bunkers for hours.

  Officials in Washington said they were weighing further strikes on the groups and on the
  Iranian advisers who supply them, and repeated that U.S. forces would stay in both
  countries for the campaign against the Islamic State.
incidents:
${[
  ['2024-02-01', 'al-Asad Air Base', 'Iraq'],
  ['2024-02-02', 'Erbil Air Base', 'Iraq'],
  ['2024-02-02', 'al-Tanf garrison', 'Syria'],
  ['2024-02-03', 'Conoco gas field', 'Syria'],
  ['2024-02-04', 'al-Harir air base', 'Iraq'],
  ['2024-02-05', 'Mission Support Site Green Village', 'Syria'],
  ['2024-02-06', 'Rumalyn Landing Zone', 'Syria'],
  ['2024-02-07', 'Ain al-Asad', 'Iraq'],
  ['2024-02-07', 'Shaddadi', 'Syria'],
  ['2024-02-08', 'Erbil Air Base', 'Iraq'],
]
  .map(([date, location, country], i) => `  - {date: ${date}, location: ${location}, country: ${country}, weapons: [{type: ${i % 3 ? 'drone' : 'rocket'}, count: 2}]}`)
  .join('\n')}
`;

// The template promises one page: the example briefs (ordinary ones) and one of our own,
// printed with it on Letter and on A4, each come out as a single page with nothing cut.
describe('the situation-update template', () => {
  let dir: string;

  beforeAll(async () => {
    dir = tempDir();
    for (const f of ['places.yaml', 'brief.config.yaml', 'branding']) cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true });
    mkdirSync(path.join(dir, 'briefs'));
    for (const f of readdirSync(path.join(ROOT, 'briefs'))) {
      const text = readFileSync(path.join(ROOT, 'briefs', f), 'utf8');
      writeFileSync(path.join(dir, 'briefs', f), text.replace(/^slug: .*$/m, '$&\ntemplate: situation-update'));
    }
    writeFileSync(path.join(dir, 'briefs', 'own-update.yaml'), OWN);
    for (const size of ['letter', 'a4']) {
      const result = await runCli(['build', '--pdf-only', '--page-size', size, '--out', `out-${size}`, '-q'], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
    }
  }, 120_000);

  it('fits an ordinary brief on one Letter page and on one A4 page', () => {
    const slugs = ['militia-attacks-on-us-troops', 'militia-attacks-after-us-strikes', 'own-update'];
    for (const size of ['letter', 'a4']) {
      for (const slug of slugs) {
        const pdf = path.join(dir, `out-${size}`, `${slug}.pdf`);
        expect(pdfInfo(pdf).Pages, `${slug} on ${size}`).toBe('1');
        // Nothing was cut to make it fit: the last words of the developments, the map and the closing lines are there.
        const text = pdfText(pdf).replace(/\s+/g, ' ');
        expect(text).toContain('WHERE THE INCIDENTS WERE');
        expect(text).toContain('PUBLISHED BY EXAMPLE POLICY INSTITUTE');
      }
      expect(pdfText(path.join(dir, `out-${size}`, 'own-update.pdf')).replace(/\s+/g, ' ')).toContain('campaign against the Islamic State.');
      expect(pdfText(path.join(dir, `out-${size}`, 'militia-attacks-on-us-troops.pdf')).replace(/\s+/g, ' ')).toContain('encouraging others who want to exploit the war.');
    }
  });

  it('has brief check say, at each key, what of the brief the template leaves out', async () => {
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stderr.split('\n').filter((l) => l.includes('template situation-update leaves out'));
    const file = 'briefs/militia-attacks-on-us-troops.yaml';
    const source = readFileSync(path.join(dir, file), 'utf8').split('\n');
    const lineOf = (key: string) => source.findIndex((l) => l.startsWith(`${key}:`)) + 1;
    const does = 'of the brief; template flash-brief does';
    expect(lines.filter((l) => l.startsWith(file))).toEqual([
      `${file}:${lineOf('topics')}:1: warning: template situation-update leaves out Issues (topics): the page and the PDF do not show this part ${does}`,
      `${file}:${lineOf('analysis')}:1: warning: template situation-update leaves out Expert Analysis: the page and the PDF do not show this part ${does}`,
      `${file}:${lineOf('background')}:1: warning: template situation-update leaves out the background sections: the page and the PDF do not show this part ${does}`,
      `${file}:${lineOf('related')}:1: warning: template situation-update leaves out Related: the page and the PDF do not show this part ${does}`,
      `${file}:${lineOf('incidents')}:1: warning: template situation-update leaves out the timeline of incidents per day and the Incident Record: the page and the PDF do not show these parts ${does}`,
    ]);
    // What the update shows (summary, authors, compare, developments, the tally box and map) is not warned about.
    const own = OWN.split('\n').indexOf('incidents:') + 1;
    expect(lines.filter((l) => l.startsWith('briefs/own-update.yaml'))).toEqual([
      `briefs/own-update.yaml:${own}:1: warning: template situation-update leaves out the timeline of incidents per day and the Incident Record: the page and the PDF do not show these parts of the brief; template flash-brief does`,
    ]);
  });

  it('warns about nothing left out with flash-brief, which shows every part', async () => {
    const result = await runCli(['check'], { cwd: ROOT });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('leaves out');
  });

  it('reads what a template of the user shows from its template.json, and rejects a part it does not know', async () => {
    const brief = 'title: Own Template\ndate: 2024-03-11\ntemplate: notes\nrelated:\n  - {title: Earlier, url: "https://example.org/a"}\ndevelopments: |\n  Words.\n';
    const project = projectWith({ 'own.yaml': brief });
    mkdirSync(path.join(project, 'my-templates', 'notes'), { recursive: true });
    const manifest = path.join(project, 'my-templates', 'notes', 'template.json');
    writeFileSync(manifest, JSON.stringify({ extends: 'flash-brief', shows: ['developments', 'analysis'] }));
    const ok = await runCli(['check', '--templates', 'my-templates'], { cwd: project });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain(
      'briefs/own.yaml:4:1: warning: template notes leaves out Related: the page and the PDF do not show this part of the brief; template flash-brief does',
    );
    writeFileSync(manifest, JSON.stringify({ extends: 'flash-brief', shows: ['developments', 'quotes'] }));
    const bad = await runCli(['check', '--templates', 'my-templates'], { cwd: project });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/my-templates\/notes\/template\.json:1:50: "shows" lists "quotes", which is not a part of a brief/);
  });
});
