import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pdfInfo, pdfText, projectWith, runCli } from '../helpers.js';

const BRIEF = 'title: Swap Test\ndate: 2024-03-11\nslug: swap\nanalysis:\n  - {quote: Words., name: Someone}\nincidents:\n  - {date: 2024-03-10, location: Base, country: Iraq, lat: 33.3, lon: 44.4}\n  - {date: 2024-03-11, location: Base, country: Iraq, lat: 33.3, lon: 44.4}\ndevelopments: |\n  {{tally.total}} attacks.\n';

describe('templates are swappable', () => {
  it('builds the bundled one-page situation update from the same brief', async () => {
    const dir = projectWith({ 'swap.yaml': BRIEF.replace('slug: swap', 'slug: swap\ntemplate: situation-update') });
    const result = await runCli(['build'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const html = readFileSync(path.join(dir, 'output', 'swap.html'), 'utf8');
    expect(html).toContain('class="brief brief--update"');
    // Numbers and map first, then the developments; no expert quotes in an update.
    expect(html.indexOf('class="tally"')).toBeLessThan(html.indexOf('class="map"'));
    expect(html.indexOf('class="map"')).toBeLessThan(html.indexOf('Latest Developments'));
    expect(html).not.toContain('Expert Analysis');
    const pdf = path.join(dir, 'output', 'swap.pdf');
    expect(pdfInfo(pdf).Pages).toBe('1');
    expect(pdfText(pdf)).toContain('2 attacks.');
  });

  it('lets a folder of overrides replace one partial and keep the rest', async () => {
    const dir = projectWith({ 'swap.yaml': BRIEF });
    mkdirSync(path.join(dir, 'my-templates', 'flash-brief', 'partials'), { recursive: true });
    writeFileSync(path.join(dir, 'my-templates', 'flash-brief', 'partials', 'masthead.hbs'), '<header class="masthead my-masthead"><h1>{{title}}</h1></header>\n');
    const result = await runCli(['build', '--html-only', '--templates', 'my-templates'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const html = readFileSync(path.join(dir, 'output', 'swap.html'), 'utf8');
    expect(html).toContain('<header class="masthead my-masthead"><h1>Swap Test</h1></header>');
    expect(html).toContain('>Expert Analysis</span></h2>');
    expect(html).not.toContain('class="kicker"');
  });

  it('names the templates there are when a brief asks for one that is not', async () => {
    const dir = projectWith({ 'swap.yaml': BRIEF.replace('slug: swap', 'slug: swap\ntemplate: nonesuch') });
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('briefs/swap.yaml:4:11: template "nonesuch" does not exist; available: flash-brief, situation-update');
  });
});
