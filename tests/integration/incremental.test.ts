import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pdfInfo, projectWith, runCli } from '../helpers.js';

/*
 * A series of three briefs and one brief on its own:
 *   a (Mar 1) lists incidents of Feb 25 and Feb 28;
 *   b (Mar 5) lists Mar 3 and Mar 4, and counts from Mar 2, so a's incidents are outside its window;
 *   c (Mar 10) lists Mar 8, and counts from Feb 20, so it includes everything before it;
 *   d (Mar 10) belongs to no series.
 */
const brief = (slug: string, date: string, since: string | undefined, incidents: string[]) =>
  [
    `title: Brief ${slug.toUpperCase()}`,
    `date: 2024-03-${date}`,
    `slug: ${slug}`,
    ...(slug === 'd' ? [] : ['series: s']),
    ...(since ? ['tally:', `  since: 2024-${since}`] : []),
    'developments: |',
    '  What happened.',
    'incidents:',
    ...incidents.map((i) => `  - ${i}`),
  ].join('\n') + '\n';

const files = {
  'a.yaml': brief('a', '01', '02-20', ['{id: a1, date: 2024-02-25, location: Base One, country: Iraq, injured: 1}', '{id: a2, date: 2024-02-28, location: Base Two, country: Syria}']),
  'b.yaml': brief('b', '05', '03-02', ['{id: b1, date: 2024-03-03, location: Base One, country: Iraq}', '{id: b2, date: 2024-03-04, location: Base Two, country: Syria}']),
  'c.yaml': brief('c', '10', '02-20', ['{id: c1, date: 2024-03-08, location: Base One, country: Iraq}']),
  'd.yaml': brief('d', '10', undefined, ['{date: 2024-03-09, location: Base Three, country: Iraq}']),
};

interface Entry {
  slug: string;
  ok: boolean;
  unchanged?: boolean;
}

async function build(dir: string, ...args: string[]) {
  const result = await runCli(['build', '--html-only', '--json', ...args], { cwd: dir });
  expect(result.code, result.stderr).toBe(0);
  const manifest = JSON.parse(result.stdout) as { briefs: Entry[] };
  return { rebuilt: manifest.briefs.filter((b) => !b.unchanged).map((b) => b.slug).sort(), stderr: result.stderr };
}

describe('incremental builds', () => {
  it('rebuilds exactly the briefs whose inputs changed, series included', async () => {
    const dir = projectWith(files);
    const page = (slug: string) => readFileSync(path.join(dir, 'output', `${slug}.html`), 'utf8');

    expect((await build(dir)).rebuilt).toEqual(['a', 'b', 'c', 'd']);
    const first = page('c');
    const again = await build(dir);
    expect(again.rebuilt).toEqual([]);
    expect(again.stderr).toMatch(/0 built, 0 failed, 4 unchanged in/);
    expect(page('c')).toBe(first);

    // An injury count in a's window and in c's, not in b's.
    writeFileSync(path.join(dir, 'briefs', 'a.yaml'), files['a.yaml'].replace('injured: 1', 'injured: 3'));
    expect((await build(dir)).rebuilt).toEqual(['a', 'c']);
    expect(page('c')).not.toBe(first);
    expect(page('c')).toContain('Injured <strong>3</strong>');

    // Prose of c alone.
    writeFileSync(path.join(dir, 'briefs', 'c.yaml'), files['c.yaml'].replace('What happened.', 'What happened next.'));
    expect((await build(dir)).rebuilt).toEqual(['c']);

    // b's title is shown in c's "since the previous brief" line and in a's link on to the next brief.
    writeFileSync(path.join(dir, 'briefs', 'b.yaml'), files['b.yaml'].replace('Brief B', 'Brief B, revised'));
    expect((await build(dir)).rebuilt).toEqual(['a', 'b', 'c']);
    expect(page('a')).toContain('Brief B, revised');

    // A deleted output comes back; the others are left alone.
    rmSync(path.join(dir, 'output', 'd.html'));
    expect((await build(dir)).rebuilt).toEqual(['d']);
    expect(page('d')).toContain('Brief D');

    // --force ignores the cache; a template change invalidates every page.
    expect((await build(dir, '--force')).rebuilt).toEqual(['a', 'b', 'c', 'd']);
    const templates = path.join(dir, 'my-templates', 'flash-brief', 'partials');
    const bundled = readFileSync(path.resolve('templates', 'flash-brief', 'partials', 'masthead.hbs'), 'utf8');
    mkdirSync(templates, { recursive: true });
    writeFileSync(path.join(templates, 'masthead.hbs'), `${bundled}<p class="extra">Extra</p>\n`);
    expect((await build(dir, '--templates', 'my-templates')).rebuilt).toEqual(['a', 'b', 'c', 'd']);
    expect(page('a')).toContain('<p class="extra">Extra</p>');
  });

  it('prints again a PDF that was deleted, and only that one', async () => {
    const dir = projectWith({ 'a.yaml': files['a.yaml'], 'd.yaml': files['d.yaml'] });
    const first = await runCli(['build', '--json'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const before = readFileSync(path.join(dir, 'output', 'd.pdf'));
    rmSync(path.join(dir, 'output', 'a.pdf'));
    const second = await runCli(['build', '--json'], { cwd: dir });
    const manifest = JSON.parse(second.stdout) as { briefs: Entry[] };
    expect(manifest.briefs.map((b) => [b.slug, b.unchanged === true])).toEqual([
      ['a', false],
      ['d', true],
    ]);
    expect(pdfInfo(path.join(dir, 'output', 'a.pdf')).Title).toBe('Brief A');
    expect(readFileSync(path.join(dir, 'output', 'd.pdf')).equals(before)).toBe(true);
  });
});
