import { appendFileSync, cpSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBrowser, findBrowser, launchBrowser } from '../../src/print/browser.js';
import { FIXTURES, pdfFonts, runCli, tempDir } from '../helpers.js';
import { SHIPPED_FONT, lineCount, openAs, outsideContent, overflowing, pageBodies, pdfPageCount, pdfWords, squeezed } from '../layout.js';

/*
 * The layout torture briefs (tests/fixtures/torture: long names, long addresses, every
 * script, right to left, wide and long tables, a tiny and a huge brief, a window over two
 * new years, the one-page template), built as a project on Letter and on A4. Every check
 * reads what a reader gets: the PDF through poppler, the page in Chromium.
 */

const SIZES = ['letter', 'a4'] as const;
let dir: string;
let browser: Browser;
let checkOutput = '';
const pdf = (size: string, slug: string) => path.join(dir, `out-${size}`, `${slug}.pdf`);
const slugs = () => readdirSync(path.join(dir, 'out-letter')).filter((f) => f.endsWith('.pdf')).map((f) => f.slice(0, -4));

beforeAll(async () => {
  dir = tempDir();
  cpSync(path.join(FIXTURES, 'torture'), dir, { recursive: true });
  const check = await runCli(['check'], { cwd: dir });
  expect(check.code, check.stderr).toBe(0);
  checkOutput = check.stdout + check.stderr;
  for (const size of SIZES) {
    // The pages are loaded from the Letter build only; A4 is checked on paper.
    const result = await runCli(['build', '--page-size', size, '--out', `out-${size}`, '-q', ...(size === 'a4' ? ['--pdf-only'] : [])], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
  }
  browser = await launchBrowser(await findBrowser());
}, 240_000);
afterAll(() => closeBrowser(browser));

describe('the layout torture briefs', () => {
  it('are all built', () => {
    expect(slugs().sort()).toEqual(['every-script', 'huge', 'long-names', 'long-urls', 'new-year', 'one-page', 'right-to-left', 'tiny', 'wide-tables']);
  });

  it('have no character without a shipped font, and no note left unprinted', () => {
    expect(checkOutput).not.toContain('no shipped font');
    expect(checkOutput).not.toMatch(/has no note|is not cited/);
  });

  it.each(SIZES)('print on %s in shipped, embedded fonts only: no font of the machine', (size) => {
    for (const slug of slugs()) {
      for (const font of pdfFonts(pdf(size, slug))) {
        expect(font.name, `${slug}: ${font.name}`).toMatch(SHIPPED_FONT);
        expect(font.embedded, `${slug}: ${font.name}`).toBe(true);
      }
    }
  });

  it.each(SIZES)('keep every word inside the margins on %s', (size) => {
    for (const slug of slugs()) expect(outsideContent(pdfWords(pdf(size, slug))), slug).toEqual([]);
  });

  it('print the long names and addresses whole', () => {
    const names = squeezed(pdf('letter', 'long-names'));
    for (const text of [
      'Mukhtaratalsharqiyaaljadidaalkubraalwusta',
      'IslamicResistanceinIraqandtheNeighbouringTerritoriesCoordinationCommittee',
      'one-way-attack-drone-with-fibre-optic-guidance',
      '1,234,567',
      'DemocraticRepublicoftheCongo',
    ]) {
      expect(names).toContain(text);
    }
    const urls = squeezed(pdf('letter', 'long-urls'));
    // A link whose text is its address prints it once, not again after itself; a link with
    // words prints its address after them, in every field an author writes Markdown in.
    const times = (text: string) => urls.split(text).length - 1;
    expect(times('a_very_long_path_without_any_break_opportunities_at_all_0123456789abcdef')).toBe(1);
    for (const address of ['irqsecondpost9911', 'statements/later9922', 'statements/corrected9933']) expect(times(address), address).toBe(1);
    // A code line longer than the column wraps on paper instead of running off it.
    expect(urls).toContain('format=geojson&amp;page_size=500'.replace('&amp;', '&'));
    for (const text of [
      'https://www.longwarjournal.org/archives/2024/03/02/an_analysis_whose_title_is_its_own_address_with_no_spaces',
      'https://acleddata.com/2024/03/02/regional-overview-middle-east_and_north_africa_weekly_long_address/',
      'https://web.archive.org/web/20240301000000/https://t.me/s/islamic_resistance_iraq_statements_2024_03_01_claim_full_text_and_video_transcript',
      'Donaudampfschifffahrtselektrizitaetenhauptbetriebswerkbauunterbeamtengesellschaft',
    ]) {
      expect(urls).toContain(text);
    }
  });

  it.each(SIZES)('leave no page on %s with only a line or two, unless the brief has one page', (size) => {
    const short = slugs().flatMap((slug) => {
      const file = pdf(size, slug);
      const count = pdfPageCount(file);
      if (count === 1) return [];
      return pageBodies(pdfWords(file), count).flatMap((body, i) => (lineCount(body) < 4 ? [`${slug} page ${i + 1}: ${body.map((w) => w.text).join(' ')}`] : []));
    });
    expect(short).toEqual([]);
  });

  it.each(SIZES)('never leave the disclaimer and colophon alone on the last page on %s', (size) => {
    for (const slug of slugs()) {
      const file = pdf(size, slug);
      const bodies = pageBodies(pdfWords(file), pdfPageCount(file));
      const last = bodies.at(-1) as ReturnType<typeof pdfWords>;
      const colophon = last.find((w) => w.text === 'PUBLISHED');
      expect(colophon, `${slug}: the colophon is on the last page`).toBeDefined();
      const disclaimer = last.find((w) => w.text === 'analysis');
      expect(disclaimer, `${slug}: the disclaimer is on the last page`).toBeDefined();
      // Something of the brief itself stands above the closing lines on their page.
      const top = (disclaimer as { yMin: number }).yMin;
      expect(last.filter((w) => w.yMax < top - 2).length, `${slug}: the last page holds only the closing lines`).toBeGreaterThan(0);
    }
  });

  it.each(SIZES)('fit the one-page template on one %s page', (size) => {
    expect(pdfPageCount(pdf(size, 'one-page'))).toBe(1);
  });

  it('give the year wherever the window spans more than one', () => {
    const text = squeezed(pdf('letter', 'new-year'));
    for (const date of ['Dec24,2023', 'Jan2,2024', 'Dec30,2024', 'Jan3,2025']) expect(text).toContain(date);
  });

  it('say "not claimed" only where the brief says so, and write abbreviations in capitals', async () => {
    const page = await openAs(browser, path.join(dir, 'out-letter', 'long-names.html'), 'print');
    const cells = await page.$$eval('.annex__table--incidents tbody tr td:nth-of-type(3)', (tds) => tds.map((td) => td.textContent?.trim()));
    expect(cells).toContain('Unidentified gunmen (not claimed)');
    expect(cells).toContain("Kata'ib Sayyid al-Shuhada and Harakat Hezbollah al-Nujaba Joint Operations Room");
    expect(cells.filter((c) => c?.includes('(not claimed)'))).toHaveLength(1);
    // An abbreviated weapon type is in capitals wherever it is shown.
    const shown = await page.$$eval('.tally__name, .annex__table th[scope="row"], .chart__legend, .annex__table--incidents td', (els) => els.map((e) => e.textContent ?? ''));
    expect(shown.filter((t) => /\bIEDs?\b/.test(t)).length).toBeGreaterThanOrEqual(3); // tally box, record table, record row
    expect(shown.filter((t) => /\bieds?\b/.test(t))).toEqual([]);
    await page.close();
  });

  it('add quotation marks only to a quote written without its own', async () => {
    const page = await openAs(browser, path.join(dir, 'out-letter', 'every-script.html'), 'print');
    const quotes = await page.$$eval('blockquote.quote__text', (qs) => qs.map((q) => q.textContent?.trim()));
    expect(quotes).toEqual(['«Это недопустимо», — заявил представитель.', '“这是一场人道主义灾难。”', '“The statements in twelve scripts say the same thing.”']);
    await page.close();
  });

  it('never break a word or a date in the record\'s summary tables on a phone', async () => {
    for (const slug of ['huge', 'long-names', 'every-script']) {
      const page = await openAs(browser, path.join(dir, 'out-letter', `${slug}.html`), 'phone');
      const broken = await page.$$eval('.annex__tables td', (cells) =>
        cells.flatMap((cell) => {
          const text = cell.textContent ?? '';
          if (!cell.classList.contains('nowrap')) {
            // A word of any cell must sit on one line.
            return [...text.matchAll(/\S+/g)].flatMap((m) => {
              const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
              for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                const at = (n.textContent ?? '').indexOf(m[0]);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(n, at);
                range.setEnd(n, at + m[0].length);
                return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1 ? [m[0]] : [];
              }
              return [];
            });
          }
          // A date (First, Last) sits on one line.
          const range = document.createRange();
          range.selectNodeContents(cell);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1 ? [text] : [];
        }),
      );
      expect(broken, slug).toEqual([]);
      await page.close();
    }
  });

  it('lay a table of many columns out wide enough on a phone, scrolling, that no column is squeezed', async () => {
    const page = await openAs(browser, path.join(dir, 'out-letter', 'long-urls.html'), 'phone');
    const height = await page.$eval('.table-scroll tbody tr', (row) => row.getBoundingClientRect().height);
    // A few lines; squeezed to a phone's width, one column or the other ran to 300-800 px.
    expect(height).toBeLessThan(200);
    await page.close();
  });

  it('tell two sources of one incident on the same site apart', async () => {
    const page = await openAs(browser, path.join(dir, 'out-letter', 'long-urls.html'), 'phone');
    const labels = await page.$$eval('.annex__sources a .screen-only', (spans) => spans.map((s) => s.textContent?.trim()));
    expect(labels).toEqual(['centcom.mil', 'web.archive.org', 'centcom.mil (2)']);
    await page.close();
  });

  it('keep the labels of charts and maps inside their drawing, printed and on a phone', async () => {
    for (const slug of slugs()) {
      for (const as of ['print', 'phone'] as const) {
        const page = await openAs(browser, path.join(dir, 'out-letter', `${slug}.html`), as);
        const clipped = await page.evaluate(() =>
          [...document.querySelectorAll('.figure svg')].flatMap((svg) => {
            const box = svg.getBoundingClientRect();
            return [...svg.querySelectorAll('text')].flatMap((text) => {
              const r = text.getBoundingClientRect();
              const inside = r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
              return inside || r.width === 0 ? [] : [`"${text.textContent}" ${Math.round(r.left)}..${Math.round(r.right)} outside ${Math.round(box.left)}..${Math.round(box.right)}`];
            });
          }),
        );
        expect(clipped, `${slug} (${as})`).toEqual([]);
        await page.close();
      }
    }
  }, 120_000);

  it('keep every element inside the page in Chromium, printed and on a phone', async () => {
    for (const slug of slugs()) {
      for (const as of ['print', 'phone'] as const) {
        const page = await openAs(browser, path.join(dir, 'out-letter', `${slug}.html`), as);
        expect(await overflowing(page), `${slug} (${as})`).toEqual([]);
        // The record's tables by location and by weapon never run under one another.
        const overlap = await page.$$eval('.annex__tables > table', (tables) => {
          const [a, b] = tables.map((t) => t.getBoundingClientRect());
          return a && b ? a.right > b.left + 0.5 && b.right > a.left + 0.5 && a.bottom > b.top + 0.5 && b.bottom > a.top + 0.5 : false;
        });
        expect(overlap, `${slug} (${as}): the record's tables overlap`).toBe(false);
        await page.close();
      }
    }
  }, 120_000);
});

/*
 * The same briefs in an organization's own fonts, shipped with the project as files
 * (fonts.files): "Quillmark Test", a family no machine has, from tests/fixtures/brand-fonts.
 */
describe('the layout torture briefs in brand fonts', () => {
  let brand: string;
  const BRAND_OR_SHIPPED = new RegExp(`${SHIPPED_FONT.source}|^[A-Z]{6}\\+QuillmarkTest-`);

  beforeAll(async () => {
    brand = tempDir();
    cpSync(path.join(FIXTURES, 'torture'), brand, { recursive: true });
    cpSync(path.join(FIXTURES, 'brand-fonts'), path.join(brand, 'brand'), { recursive: true, filter: (src) => !/\.(py|ttc)$/.test(src) });
    appendFileSync(
      path.join(brand, 'brief.config.yaml'),
      'fonts:\n  body: Quillmark Test\n  headings: Quillmark Test\n  files: [brand/QT-Regular.woff2, brand/QT-Bold.ttf, brand/QT-Italic.woff]\n',
    );
    const result = await runCli(['build', '--out', 'out', '-q'], { cwd: brand });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('not installed');
  }, 240_000);

  const brandPdf = (slug: string) => path.join(brand, 'out', `${slug}.pdf`);

  it('print in the brand font and the shipped ones only, every word inside the margins, no nearly empty page', () => {
    for (const slug of slugs()) {
      const fonts = pdfFonts(brandPdf(slug));
      for (const font of fonts) expect(font.name, `${slug}: ${font.name}`).toMatch(BRAND_OR_SHIPPED);
      expect(fonts.some((f) => f.name.includes('QuillmarkTest')), slug).toBe(true);
      const words = pdfWords(brandPdf(slug));
      expect(outsideContent(words), slug).toEqual([]);
      const count = pdfPageCount(brandPdf(slug));
      if (count > 1) for (const [i, body] of pageBodies(words, count).entries()) expect(lineCount(body), `${slug} page ${i + 1}`).toBeGreaterThanOrEqual(4);
    }
  });

  it('keep every element inside the page in Chromium, printed and on a phone', async () => {
    for (const slug of slugs()) {
      for (const as of ['print', 'phone'] as const) {
        const page = await openAs(browser, path.join(brand, 'out', `${slug}.html`), as);
        expect(await page.evaluate(() => getComputedStyle(document.querySelector('h1') as Element).fontFamily), slug).toContain('Quillmark Test');
        expect(await overflowing(page), `${slug} (${as})`).toEqual([]);
        await page.close();
      }
    }
  }, 120_000);
});

