import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBrowser, findBrowser, launchBrowser } from '../../src/print/browser.js';
import { FIXTURES, projectWith, runCli, tempDir } from '../helpers.js';
import { openAs, outsideContent, overflowing, pdfPages, pdfWords, squeezed } from '../layout.js';

/*
 * Content of any shape fits the page: tables, long words and addresses, long names in the
 * tally box, in any of the fonts a configuration may pick. Each check reads what a reader
 * gets: the PDF through poppler, the page in Chromium, at print width and on a phone.
 */

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser(await findBrowser());
});
afterAll(() => closeBrowser(browser));

describe('the fit fixtures, printed', () => {
  let out: string;
  const file = (slug: string, ext: 'pdf' | 'html') => path.join(out, `${slug}.${ext}`);
  const TABLE = '2024-02-10-attack-log-in-a-markdown-table';
  const URL_BRIEF = '2024-01-29-drone-attack-on-tower-22-in-jordan';

  beforeAll(async () => {
    const dir = tempDir();
    cpSync(path.join(FIXTURES, 'fit'), path.join(dir, 'briefs'), { recursive: true, filter: (src) => !src.endsWith('.md') });
    out = path.join(dir, 'output');
    const result = await runCli(['build', '--out', out], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
  }, 120_000);

  it('never splits a row of a Markdown table across pages, and repeats the header row on each page', () => {
    const pages = pdfPages(file(TABLE, 'pdf'));
    const seen: number[] = [];
    const spanned: number[] = [];
    pages.forEach((text, index) => {
      const flat = text.replace(/\s+/g, ' ');
      const parts = flat.split(/(?=\bJan \d+ Base \d+\b)/);
      // Whatever precedes the first row on a page is the header, never the end of a row.
      if (index > 0 && parts.length > 1) expect(parts[0]).not.toContain('Rockets struck');
      for (const part of parts.slice(1)) {
        const [, day, base] = /^Jan (\d+) Base (\d+)/.exec(part) as RegExpExecArray;
        // Row "Base k" holds the sentence (k mod 3) + 1 times: all of them on this page.
        expect(part.match(/Rockets struck/g)?.length, `Jan ${day} on page ${index + 1}`).toBe((Number(base) % 3) + 1);
        seen.push(Number(day));
      }
      if (parts.length > 1) {
        spanned.push(index + 1);
        expect(flat, `header on page ${index + 1}`).toMatch(/Date Base What happened/);
      }
    });
    expect(seen).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(spanned.length).toBeGreaterThan(1);
  });

  it('styles a prose table like the incident record: rules, padding, figures at the end', async () => {
    const page = await openAs(browser, file('torture', 'html'), 'print');
    const style = await page.evaluate(() => {
      const css = (sel: string) => {
        const s = getComputedStyle(document.querySelector(sel) as Element);
        return { rule: s.borderBottomWidth, ruleStyle: s.borderBottomStyle, pad: s.paddingTop, align: s.textAlign, font: s.fontFamily };
      };
      const header = [...document.querySelectorAll('.prose thead th')].map((th) => th.textContent);
      return {
        cell: css('.prose tbody td'),
        head: css('.prose thead th'),
        figures: [...document.querySelectorAll('.prose tbody td.num')].map((td) => [td.textContent, getComputedStyle(td).textAlign]),
        launched: getComputedStyle(document.querySelectorAll('.prose thead th')[header.indexOf('Launched')] as Element).textAlign,
        place: getComputedStyle(document.querySelectorAll('.prose tbody td')[1] as Element).textAlign,
        record: getComputedStyle(document.querySelector('.annex__table tbody td') as Element).fontFamily,
      };
    });
    expect(style.cell).toMatchObject({ rule: '1px', ruleStyle: 'solid' });
    expect(parseFloat(style.cell.pad)).toBeGreaterThan(2);
    expect(style.head.rule).toBe('1px');
    expect(style.cell.font).toBe(style.record);
    expect(style.figures).toEqual([
      ['12', 'end'],
      ['1,204', 'end'],
      ['3', 'end'],
      ['0', 'end'],
    ]);
    expect(style.launched).toBe('end');
    expect(style.place).toBe('start');
    await page.close();
  });

  it('keeps every word of every fixture inside the page margins, the long addresses whole in the text', () => {
    for (const name of readdirSync(out).filter((f) => f.endsWith('.pdf'))) {
      expect(outsideContent(pdfWords(path.join(out, name))), name).toEqual([]);
    }
    expect(squeezed(file(URL_BRIEF, 'pdf'))).toContain(
      'https://web.archive.org/web/20240129000000/https://t.me/s/islamic_resistance_iraq_statements_2024_01_28_claim_tower22_attack_full_text_and_video_transcript_translated',
    );
    const torture = squeezed(file('torture', 'pdf'));
    for (const text of [
      'https://www.centcom.mil/MEDIA/STATEMENTS/Statements-View/Article/3600000/statement_on_the_attack_of_march_1_2024_full_text/'.replace(/^https:\/\/www\./, ''),
      'https://www.longwarjournal.org/archives/2024/03/02/an_analysis_whose_title_is_its_own_address_with_no_spaces',
      'https://acleddata.com/2024/03/02/regional-overview-middle-east_and_north_africa_weekly_long_address/',
      'Donaudampfschifffahrtselektrizitaetenhauptbetriebswerkbauunterbeamtengesellschaft',
    ]) {
      // A source is labelled by its site; the rest is printed in full.
      expect(torture).toContain(text.startsWith('centcom') ? 'centcom.mil' : text);
    }
  });

  it('keeps every element inside the page, printed and on a phone', async () => {
    for (const name of readdirSync(out).filter((f) => f.endsWith('.html') && f !== 'index.html')) {
      for (const as of ['print', 'phone'] as const) {
        const page = await openAs(browser, path.join(out, name), as);
        expect(await overflowing(page), `${name} (${as})`).toEqual([]);
        await page.close();
      }
    }
  });
});

/*
 * The tally box, for names of every length in every kind of font: the bundled ones, a
 * wide one and a condensed one set in brief.config.yaml. Each combination is a brief of
 * its own, built to HTML and PDF.
 */
const NAMES: { label: string; incident: string; expect: string[] }[] = [
  { label: 'a long weapon type', incident: 'weapons: [{ type: watercannon, count: 2 }]', expect: ['watercannon'] },
  {
    label: 'a weapon type of many words',
    incident: 'weapons: [{ type: unmanned-surface-vessel-with-explosive-charge, count: 1 }]',
    expect: ['unmanned-surface-vessel-'],
  },
  { label: 'a 40-character place name', incident: 'location: Al-Muqdadiyah District Police Checkpoint', expect: ['Al-Muqdadiyah', 'Checkpoint'] },
  { label: 'a 40-character place name in one word', incident: 'location: Mukhtaratalsharqiyaaljadidaalkubraalwust', expect: ['Mukhtarat'] },
  { label: 'a long country name', incident: 'country: Democratic Republic of the Congo', expect: ['Democratic', 'Congo'] },
  { label: 'large figures', incident: 'weapons: [{ type: watercannon, count: 1234567 }]\n    injured: 123456', expect: ['1,234,567', '123,456'] },
];
const FONTS: { label: string; config: string }[] = [
  { label: 'the bundled fonts', config: '' },
  { label: 'DejaVu Sans', config: 'fonts:\n  body: DejaVu Serif\n  headings: DejaVu Sans\n' },
  { label: 'a condensed font', config: 'fonts:\n  headings: DejaVu Sans Condensed\n' },
];

/** A brief whose first incident carries the name under test, beside ordinary ones. */
function nameBrief(index: number, incident: string): string {
  const base = { location: 'location: Kafr Kila', country: 'country: Lebanon', weapons: 'weapons: [{ type: rocket, count: 3 }]' };
  const first = { ...base };
  for (const line of incident.split('\n')) {
    const key = line.trim().split(':')[0] as keyof typeof base;
    if (key in base) first[key] = line.trim();
  }
  const extra = incident.includes('injured') ? '\n    injured: 123456' : '';
  return [
    `title: Tally Box Case ${index}`,
    'date: 2024-02-10',
    `slug: case-${index}`,
    'developments: Shelling continued.',
    'incidents:',
    `  - date: 2024-02-09\n    ${first.location}\n    ${first.country}\n    ${first.weapons}${extra}`,
    `  - date: 2024-02-10\n    ${base.location}\n    ${base.country}\n    ${base.weapons}\n    killed: 1`,
    // A third incident: a record of one or two leaves out its tables by location and weapon,
    // which are among the places these names must fit.
    `  - date: 2024-02-10\n    ${base.location}\n    ${base.country}\n    ${base.weapons}`,
    '',
  ].join('\n');
}

describe.each(FONTS)('the tally box in $label', ({ config }) => {
  let out: string;

  beforeAll(async () => {
    const dir = projectWith(Object.fromEntries(NAMES.map((n, i) => [`case-${i}.yaml`, nameBrief(i, n.incident)])));
    if (config) writeFileSync(path.join(dir, 'brief.config.yaml'), config);
    out = path.join(dir, 'output');
    const result = await runCli(['build', '--out', out], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
  }, 120_000);

  it.each(NAMES.map((n, i) => ({ ...n, i })))('holds $label: every cell fits, printed and on a phone', async ({ i }) => {
    for (const as of ['print', 'phone'] as const) {
      const page = await openAs(browser, path.join(out, `case-${i}.html`), as);
      const problems = await page.evaluate(() => {
        const tally = document.querySelector('.tally') as HTMLElement;
        const box = tally.getBoundingClientRect();
        const found: string[] = [];
        for (const el of tally.querySelectorAll('th, td, caption, .tally__name, .tally__number, .tally__stat, .tally__table')) {
          const rect = el.getBoundingClientRect();
          const text = (el.textContent ?? '').trim().slice(0, 30);
          if (el instanceof HTMLElement && el.scrollWidth > el.clientWidth + 1) found.push(`${text}: scrollWidth ${el.scrollWidth} > ${el.clientWidth}`);
          if (rect.width > 0 && (rect.left < box.left - 0.5 || rect.right > box.right + 0.5)) found.push(`${text}: ${rect.left}..${rect.right} outside ${box.left}..${box.right}`);
        }
        return found;
      });
      expect(problems, as).toEqual([]);
      expect(await overflowing(page), as).toEqual([]);
      await page.close();
    }
  });

  it.each(NAMES.map((n, i) => ({ ...n, i })))('prints $label whole, inside the page', ({ i, expect: words }) => {
    const pdf = path.join(out, `case-${i}.pdf`);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    for (const label of ['BY COUNTRY', 'BY LOCATION', 'BY WEAPON', 'Incidents', 'Launched', 'Killed', 'Injured', ...words]) {
      expect(text, label).toContain(label);
    }
    expect(outsideContent(pdfWords(pdf))).toEqual([]);
  });
});
