import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'puppeteer-core';
import { closeBrowser, findBrowser, launchBrowser } from '../../src/print/browser.js';
import { closingLinesProject, runCli } from '../helpers.js';
import { MARGIN, openAs, pageBodies, pdfPageCount, pdfWords, type Word } from '../layout.js';

/*
 * Where pages fill and break, over briefs generated here: a tally box with many or long
 * names still starts on page 1 (and its lists end in one row for the rest, summed
 * right); a brief of one or two incidents prints on one page; a
 * situation update that runs past its one page is warned about. Each PDF is read back
 * word by word with its position (pdftotext -bbox), on Letter and A4.
 */

const paragraph = (i: number) =>
  `  Paragraph ${i + 1}. Militias aligned with Tehran kept up drone and rocket fire on bases that host U.S. forces, and officials ` +
  'in Washington weighed how to answer without widening the war. Local monitors reported movements near the border crossings, ' +
  'and commanders said air defenses had been reinforced at the sites most often targeted.';

interface Shape {
  place: (i: number) => string;
  country?: (i: number) => string;
  weapons?: (i: number) => string;
  summary?: (i: number) => string;
}

const SHORT = (i: number) => `Post ${String.fromCharCode(65 + (i % 26))}${i >= 26 ? i : ''}`;
const LONG = (i: number) => `Mission Support Site Number ${i + 1} Near the Northern Border Crossing of the Euphrates`;
const COUNTRIES = ['Iraq', 'Syria', 'Jordan', 'Turkey', 'Lebanon', 'Israel', 'Kuwait', 'Saudi Arabia', 'Iran', 'Yemen', 'Oman', 'Qatar'];
const TYPES = ['drone', 'rocket', 'missile', 'mortar', 'artillery', 'grenade', 'rifle', 'bomb', 'mine', 'boat', 'glider', 'balloon'];

function incidents(n: number, shape: Shape): string {
  if (n === 0) return '';
  const rows = Array.from({ length: n }, (_, i) =>
    [
      `  - date: 2024-01-${String(1 + (i % 28)).padStart(2, '0')}`,
      `    location: ${shape.place(i)}`,
      `    country: ${shape.country?.(i) ?? 'Iraq'}`,
      `    weapons: ${shape.weapons?.(i) ?? `[{type: ${i % 2 ? 'drone' : 'rocket'}, count: ${1 + (i % 3)}}]`}`,
      `    lat: ${(32 + (i % 9) * 0.5).toFixed(2)}`,
      `    lon: ${(39 + (i % 7) * 0.6).toFixed(2)}`,
      `    summary: ${shape.summary?.(i) ?? `Attack number ${i + 1}.`}`,
    ].join('\n'),
  );
  return `incidents:\n${rows.join('\n')}\n`;
}

function brief(slug: string, paragraphs: number, n: number, shape: Shape, template?: string): string {
  return [
    `title: A Brief of ${paragraphs} Paragraphs and ${n} Incidents`,
    'date: 2024-01-30',
    `slug: ${slug}`,
    ...(template ? [`template: ${template}`] : []),
    'summary: How long a brief can be.',
    'topics: [Iran, Iraq, Syria]',
    'developments: |',
    Array.from({ length: paragraphs }, (_, i) => paragraph(i)).join('\n\n'),
    incidents(n, shape),
  ].join('\n');
}

const pagesOf = new Map<string, Word[][]>();
/** Each page's words between the margins (read once per PDF). */
function bodies(pdf: string): Word[][] {
  let pages = pagesOf.get(pdf);
  if (!pages) pagesOf.set(pdf, (pages = pageBodies(pdfWords(pdf), pdfPageCount(pdf))));
  return pages;
}

/** The pages (from 0) on which a word occurs. */
const pagesWith = (pages: Word[][], text: string): number[] => pages.flatMap((p, i) => (p.some((w) => w.text === text) ? [i] : []));

interface Built {
  slug: string;
  size: string;
  pdf: string;
  html: string;
}

describe('how the pages fill', () => {
  let dir: string;
  const built: Built[] = [];
  const json: Record<string, { briefs: { source: string; warnings?: { message: string; line: number }[] }[] }> = {};
  const stderr: Record<string, string> = {};
  const add = (slug: string, text: string) => writeFileSync(path.join(dir, 'briefs', `${slug}.yaml`), text);
  const find = (slug: string, size: string) => built.find((b) => b.slug === slug && b.size === size) as Built;

  beforeAll(async () => {
    dir = closingLinesProject();
    // 1. Tally boxes with many short places, few long ones, many countries and weapon types.
    for (let n = 9; n <= 40; n += 5) add(`short-${n}`, brief(`short-${n}`, 1, n, { place: SHORT, country: (i) => COUNTRIES[i % 3] as string }));
    for (let n = 4; n <= 12; n += 2) add(`long-${n}`, brief(`long-${n}`, 1, n, { place: LONG }));
    add(
      'wide-12',
      brief('wide-12', 2, 24, {
        place: SHORT,
        country: (i) => COUNTRIES[i % 12] as string,
        // Two types per incident, one count unknown now and then: the rest row counts incidents, not types.
        weapons: (i) => `[{type: ${TYPES[i % 12]}${i % 5 ? `, count: ${1 + (i % 3)}` : ''}}, {type: ${TYPES[(i + 5) % 12]}, count: 1}]`,
      }),
    );
    // A summary long enough that the box meets the foot of page 1, at every length.
    for (let words = 40; words <= 400; words += 45) {
      const dek = Array.from({ length: words }, (_, i) => ['Militias', 'kept', 'up', 'fire', 'on', 'bases', 'near', 'the', 'border'][i % 9]).join(' ');
      add(`dek-${words}`, brief(`dek-${words}`, 1, 6, { place: SHORT, weapons: (i) => `[{type: ${TYPES[i % 6]}, count: ${1 + i}}]` }).replace('summary: How long a brief can be.', `summary: ${dek}.`));
    }
    // 2. One and two incidents, at one place and at two.
    add('one', brief('one', 1, 1, { place: SHORT }));
    add('two-same', brief('two-same', 1, 2, { place: () => 'Post A' }));
    add('two', brief('two', 1, 2, { place: SHORT }));
    // 3. Situation updates: one that fits, and longer ones.
    add('update-short', brief('update-short', 1, 3, { place: SHORT }, 'situation-update'));
    add('update-8', brief('update-8', 5, 8, { place: LONG }, 'situation-update'));
    add('update-12', brief('update-12', 9, 12, { place: SHORT }, 'situation-update'));
    for (const size of ['letter', 'a4']) {
      const result = await runCli(['build', '--page-size', size, '--out', `out-${size}`, '--json'], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      json[size] = JSON.parse(result.stdout) as (typeof json)[string];
      stderr[size] = result.stderr;
      for (const b of json[size].briefs) {
        const slug = path.basename(b.source, '.yaml');
        built.push({ slug, size, pdf: path.join(dir, `out-${size}`, `${slug}.pdf`), html: path.join(dir, `out-${size}`, `${slug}.html`) });
      }
    }
  }, 300_000);

  describe('the tally box', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser(await findBrowser());
    }, 60_000);
    afterAll(async () => {
      await closeBrowser(browser);
    });

    it('starts on page 1, however many or long its names', () => {
      const late = built
        .filter((b) => /^(short|long|wide)-/.test(b.slug))
        .flatMap(({ slug, size, pdf }) => {
          const on = pagesWith(bodies(pdf), 'TALLY');
          return on[0] === 0 ? [] : [`${slug} (${size}): tally box on page ${(on[0] ?? -1) + 1}`];
        });
      expect(late).toEqual([]);
    });

    it('is never split across pages: its headings, rows and totals stay together', () => {
      const split = built.flatMap(({ slug, size, pdf }) => {
        const pages = bodies(pdf);
        const [start] = pagesWith(pages, 'TALLY');
        const [totals] = pagesWith(pages, 'Killed');
        return start === totals ? [] : [`${slug} (${size}): tally box from page ${(start ?? -1) + 1} to page ${(totals ?? -1) + 1}`];
      });
      expect(split).toEqual([]);
    });

    it('shows at most eight rows a list, the last summing up the rest exactly', async () => {
      for (const slug of ['short-39', 'wide-12']) {
        const page = await openAs(browser, find(slug, 'letter').html, 'phone');
        const tables = await page.$$eval('.tally__table', (ts) =>
          ts.map((t) => ({
            caption: t.querySelector('caption')?.textContent ?? '',
            rows: [...t.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim())),
          })),
        );
        const total = Number(await page.$eval('.tally__number', (e) => e.textContent));
        await page.close();
        for (const { caption, rows } of tables) {
          expect(rows.length, `${slug} ${caption}`).toBeLessThanOrEqual(8);
          if (caption === 'By country' || caption === 'By location') {
            // One country and one place an incident: the rows add up to the total.
            expect(rows.reduce((sum, r) => sum + Number(r[1]), 0), `${slug} ${caption}`).toBe(total);
          }
        }
        const places = tables.find((t) => t.caption === 'By location')?.rows ?? [];
        expect(places.at(-1)?.[0]).toMatch(/^\d+ other places$/);
        if (slug === 'wide-12') {
          // 24 incidents, each of two types: types 8 to 12 (by count) cover some incidents twice.
          const weapons = tables.find((t) => t.caption === 'By weapon')?.rows ?? [];
          const rest = weapons.at(-1) as string[];
          expect(rest[0]).toBe('5 other types');
          const shown = new Set(weapons.slice(0, -1).map((r) => r[0]));
          const others = TYPES.filter((t) => !shown.has(t));
          const covered = Array.from({ length: 24 }, (_, i) => [TYPES[i % 12], TYPES[(i + 5) % 12]]).filter((ts) => ts.some((t) => others.includes(t as string)));
          expect(Number(rest[1])).toBe(covered.length);
          // Some of the other types were launched in unknown numbers: no launch figure.
          const unknown = Array.from({ length: 24 }, (_, i) => i).some((i) => i % 5 === 0 && others.includes(TYPES[i % 12] as string));
          expect(rest[2]).toBe(unknown ? '—' : expect.stringMatching(/^\d+$/));
        }
      }
    });
  });

  it('prints a brief of one or two incidents and a paragraph on one page', () => {
    const long = built.filter((b) => /^(one|two)/.test(b.slug)).flatMap(({ slug, size, pdf }) => {
      const n = pdfPageCount(pdf);
      return n === 1 ? [] : [`${slug} (${size}): ${n} pages`];
    });
    expect(long).toEqual([]);
    // The record is still there, with its incidents and the closing lines.
    for (const size of ['letter', 'a4']) expect(bodies(find('two', size).pdf)[0]?.filter((w) => w.text === 'number').length).toBe(2);
  });

  describe('a situation update', () => {
    it('warns, at the brief and in --json, when it prints on more than its one page', () => {
      for (const size of ['letter', 'a4']) {
        const pages = pdfPageCount(find('update-12', size).pdf);
        expect(pages, size).toBeGreaterThan(1);
        expect(stderr[size]).toContain(`briefs/update-12.yaml:4:1: warning: template situation-update is one page, but this brief printed on ${pages}: shorten the developments or use flash-brief`);
        const entry = json[size]?.briefs.find((b) => b.source.endsWith('update-12.yaml'));
        expect(entry?.warnings?.map((w) => w.message)).toContain(`template situation-update is one page, but this brief printed on ${pages}: shorten the developments or use flash-brief`);
        expect(pdfPageCount(find('update-short', size).pdf)).toBe(1);
        expect(stderr[size]).not.toContain('update-short.yaml:4:1: warning: template situation-update is one page');
      }
    });

    it('fills its pages when it runs over: the tally box on page 1, no page of developments beside an empty column', () => {
      const problems = built
        .filter((b) => b.slug.startsWith('update-'))
        .flatMap(({ slug, size, pdf }) => {
          const pages = bodies(pdf);
          const out: string[] = [];
          if (pagesWith(pages, 'TALLY')[0] !== 0) out.push(`${slug} (${size}): tally box not on page 1`);
          pages.forEach((page, i) => {
            const prose = page.filter((w) => /^Paragraph$|^Washington$|^commanders$/.test(w.text));
            if (prose.length === 0) return;
            const width = (page[0]?.pageWidth ?? 612) - 2 * MARGIN.side;
            // Below the map (or on a page without it) the developments take the whole width.
            const reach = Math.max(...page.map((w) => w.xMax)) - MARGIN.side;
            if (reach < width * 0.8) out.push(`${slug} (${size}) page ${i + 1}: text reaches ${Math.round((reach / width) * 100)}% of the width`);
          });
          // A page that is not the last is mostly full.
          pages.slice(0, -1).forEach((page, i) => {
            const bottom = Math.max(...page.map((w) => w.yMax));
            const height = (page[0]?.pageHeight ?? 792) - MARGIN.top - MARGIN.bottom;
            if ((bottom - MARGIN.top) / height < 0.8) out.push(`${slug} (${size}) page ${i + 1}: ${Math.round(((bottom - MARGIN.top) / height) * 100)}% full`);
          });
          return out;
        });
      expect(problems).toEqual([]);
    });
  });
});
