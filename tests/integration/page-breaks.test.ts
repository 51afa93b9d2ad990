import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { closingLinesProject, runCli } from '../helpers.js';
import { MARGIN, lineCount, pageBodies, pdfPageCount, pdfWords, type Word } from '../layout.js';

/*
 * Where the PDF's pages break, over briefs of many lengths: developments that grow
 * paragraph by paragraph, with 0 to 40 incidents, and a record that grows incident by
 * incident so that its end falls everywhere on a page. Each PDF is read back word by word
 * with its position on the page (pdftotext -bbox).
 */

const PLACES = [
  ['al-Asad Air Base', 'Iraq'],
  ['al-Tanf garrison', 'Syria'],
  ['Erbil Air Base', 'Iraq'],
  ['Conoco gas field', 'Syria'],
  ['al-Harir air base', 'Iraq'],
  ['Mission Support Site Green Village', 'Syria'],
] as const;

const paragraph = (i: number) =>
  `Paragraph ${i + 1}. Militias aligned with Tehran kept up drone and rocket fire on bases that host U.S. forces, and officials ` +
  'in Washington weighed how to answer without widening the war. Local monitors reported movements near the border crossings, ' +
  'and commanders said air defenses had been reinforced at the sites most often targeted.';

function incidents(n: number): string {
  if (n === 0) return '';
  const rows = Array.from({ length: n }, (_, i) => {
    const [location, country] = PLACES[i % PLACES.length] as (typeof PLACES)[number];
    return [
      `  - date: 2024-01-${String(1 + (i % 28)).padStart(2, '0')}`,
      `    location: ${location}`,
      `    country: ${country}`,
      `    weapons: [{type: ${i % 3 ? 'drone' : 'rocket'}, count: ${1 + (i % 4)}}]`,
      `    summary: Attack number ${i + 1}${i % 5 === 0 ? ' on the base, which the command said caused no injuries and no damage to aircraft or runways' : ''}.`,
    ].join('\n');
  });
  return `incidents:\n${rows.join('\n')}\n`;
}

function brief(slug: string, paragraphs: number, n: number): string {
  return [
    `title: A Brief of ${paragraphs} Paragraphs and ${n} Incidents`,
    'date: 2024-01-30',
    `slug: ${slug}`,
    'summary: How long a brief can be.',
    'topics: [Iran, Iraq, Syria]',
    'developments: |',
    Array.from({ length: paragraphs }, (_, i) => `  ${paragraph(i)}`).join('\n\n'),
    incidents(n),
  ].join('\n');
}

interface Page {
  height: number;
  /** Words between the top and bottom page margins: the running head and the page number are left out. */
  body: Word[];
}

const read = new Map<string, Page[]>();

/** Every page of a PDF, with the words on it and where they are (read once per PDF). */
function pages(pdf: string): Page[] {
  const known = read.get(pdf);
  if (known) return known;
  const words = pdfWords(pdf);
  const all = pageBodies(words, pdfPageCount(pdf)).map((body, i) => ({ height: words.find((w) => w.page === i + 1)?.pageHeight ?? 792, body }));
  read.set(pdf, all);
  return all;
}

const lines = lineCount;
const TOP = MARGIN.top;
const BOTTOM = MARGIN.bottom;

describe('page breaks in the PDF', () => {
  let dir: string;
  const built: { size: string; pdf: string; slug: string }[] = [];

  beforeAll(async () => {
    dir = closingLinesProject();
    const slugs: string[] = [];
    const add = (slug: string, paragraphs: number, n: number) => {
      writeFileSync(path.join(dir, 'briefs', `${slug}.yaml`), brief(slug, paragraphs, n));
      slugs.push(slug);
    };
    // Developments growing a paragraph at a time, each length with a different record.
    for (let p = 1; p <= 24; p++) add(`prose-${p}`, p, [0, 3, 12, 40][p % 4] as number);
    // One paragraph and a record growing two incidents at a time.
    for (let n = 14; n <= 40; n += 2) add(`record-${n}`, 1, n);
    for (const size of ['letter', 'a4']) {
      const result = await runCli(['build', '--pdf-only', '--page-size', size, '--out', `out-${size}`, '-q'], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      for (const slug of slugs) built.push({ size, slug, pdf: path.join(dir, `out-${size}`, `${slug}.pdf`) });
    }
  }, 240_000);

  it('leaves no page with only a line or two, unless the brief has one page', () => {
    const short = built.flatMap(({ size, slug, pdf }) => {
      const all = pages(pdf);
      if (all.length === 1) return [];
      return all.flatMap((page, i) => (lines(page.body) < 4 ? [`${slug} (${size}) page ${i + 1}: ${page.body.map((w) => w.text).join(' ')}`] : []));
    });
    expect(short).toEqual([]);
  });

  it('never leaves the Issues, the disclaimer and the colophon alone on the last page', () => {
    const alone = built.flatMap(({ size, slug, pdf }) => {
      const all = pages(pdf);
      const at = (text: string) => all.findIndex((p) => p.body.some((w) => w.text === text));
      const issues = at('ISSUES');
      const disclaimer = at('cited');
      const colophon = at('PUBLISHED');
      const problems: string[] = [];
      if (issues !== disclaimer || disclaimer !== colophon) problems.push(`Issues on page ${issues + 1}, disclaimer on ${disclaimer + 1}, colophon on ${colophon + 1}`);
      const page = all[issues] as Page;
      const top = Math.min(...page.body.filter((w) => w.text === 'ISSUES').map((w) => w.yMin));
      // Something of the brief itself stands above the closing lines on their page.
      if (!page.body.some((w) => w.yMax < top - 2)) problems.push(`page ${issues + 1} holds only the closing lines`);
      return problems.map((p) => `${slug} (${size}): ${p}`);
    });
    expect(alone).toEqual([]);
  });

  it('starts the incident record on a new page only when the page before is at least half full', () => {
    const early = built.flatMap(({ size, slug, pdf }) => {
      const all = pages(pdf);
      const start = all.findIndex((p) => p.body.some((w) => w.text === 'RECORD'));
      if (start <= 0) return [];
      const page = all[start] as Page;
      const heading = Math.min(...page.body.filter((w) => w.text === 'RECORD').map((w) => w.yMin));
      if (page.body.some((w) => w.yMax < heading - 2)) return []; // it starts below other text
      const before = all[start - 1] as Page;
      const bottom = Math.max(...before.body.map((w) => w.yMax));
      const filled = (bottom - TOP) / (before.height - TOP - BOTTOM);
      return filled < 0.5 ? [`${slug} (${size}): page ${start} is ${Math.round(filled * 100)}% full before the incident record`] : [];
    });
    expect(early).toEqual([]);
  });
});
