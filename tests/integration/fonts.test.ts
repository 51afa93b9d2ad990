import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { closeBrowser, findBrowser, launchBrowser } from '../../src/print/browser.js';
import { copyFixtures, pdfFonts, pdfInfo, projectWith, runCli } from '../helpers.js';

/*
 * Briefs quote their sources in their own scripts. Every character must print in a font
 * that ships with the template and is embedded in the PDF: never a font of the machine
 * (which differs from machine to machine) and never a box. Where no shipped font has a
 * character, `brief check` says so at its position.
 */

// The families shipped with the bundled template, as the PDF names them (after the subset tag).
const SHIPPED = /^[A-Z]{6}\+(SourceSerif4|SourceSans3|SourceCodePro|NotoNaskhArabic|NotoSansArabic|NotoSerifHebrew|NotoSansHebrew|NotoSerifDevanagari|NotoSansDevanagari|NotoSansSC|NotoSansTC|NotoSansJP|NotoSansKR|NotoEmoji)[A-Za-z]*-/;
const family = (name: string) => name.replace(/^[A-Z]{6}\+/, '').replace(/(Thin|ExtraLight)?-.*$/, '');

/** The text of one page, without the layout's spaces and direction marks: the words in logical order. */
const pageText = (file: string, page: number) =>
  execFileSync('pdftotext', ['-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' }).replace(/[\s\u200e\u200f\u202a-\u202e]/g, '');
const allText = (file: string) => pageText(file, 1) + pageText(file, 2) + pageText(file, 3);

function expectOnlyShippedFonts(file: string): void {
  const fonts = pdfFonts(file);
  expect(fonts.length).toBeGreaterThan(0);
  for (const font of fonts) {
    expect(font.name, `${path.basename(file)} uses ${font.name}`).toMatch(SHIPPED);
    expect(font.embedded).toBe(true);
    expect(font.type).not.toBe('Type 3');
  }
}

/** The running head (from page 2), the footer label and "Page N of M" on every page. */
function expectFurniture(file: string, title: string): void {
  const pages = Number(pdfInfo(file).Pages);
  expect(pages).toBeGreaterThan(1);
  for (let page = 1; page <= pages; page++) {
    const text = pageText(file, page);
    expect(text, `page ${page}`).toContain(`Page${page}of${pages}`);
    expect(text, `page ${page}`).toContain('FLASHBRIEF');
    if (page > 1) expect(text, `page ${page}`).toContain(title.replace(/\s/g, ''));
  }
}

describe('a brief in every script', () => {
  let dir: string;

  beforeAll(async () => {
    dir = copyFixtures('fonts');
    const result = await runCli(['build'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
  });

  it('prints every script in a shipped, embedded font and none of the machine', () => {
    for (const pdf of ['every-script.pdf', 'scripts-without-font.pdf']) expectOnlyShippedFonts(path.join(dir, 'output', pdf));
    const families = new Set(pdfFonts(path.join(dir, 'output', 'every-script.pdf')).map((f) => family(f.name)));
    for (const expected of ['SourceSerif4', 'SourceSans3', 'SourceCodePro', 'NotoNaskhArabic', 'NotoSerifHebrew', 'NotoSerifDevanagari', 'NotoSansSC', 'NotoSansKR', 'NotoEmoji']) {
      expect([...families]).toContain(expected);
    }
  });

  it('keeps the words as text, so they can be searched and copied', () => {
    const text = allText(path.join(dir, 'output', 'every-script.pdf'));
    const samples = [
      'МіністерствозакордоннихсправУкраїни', // Ukrainian
      'ΤοΥπουργείοΕξωτερικών', // Greek
      'BộNgoạigiaoViệtNam', // Vietnamese
      'وزارت', // Persian
      'دفترخارجہ', // Urdu
      'گاڑی', // Urdu
      'משרדהחוץהגיב', // Hebrew
      '中国外交部发言人表示关切', // Simplified Chinese
      '臺灣外交部對此表示嚴重關切', // Traditional Chinese
      'カタカナとひらがな', // Japanese
      '외교부는우려를표명했다', // Korean
      'विदेश', // Hindi
      '🚨',
      'incident_id=2024-03-05-kyiv', // code
    ];
    for (const sample of samples) expect(text).toContain(sample);
    const issue = pageText(path.join(dir, 'output', 'scripts-without-font.pdf'), 1);
    for (const sample of ['中国海警局声明', '外務省', '외교부', 'विदेश', 'МарияЗахарова', 'Ψαρά', 'BộNgoạigiao']) expect(issue).toContain(sample);
  });

  it('check has nothing to say about characters the shipped fonts print', async () => {
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('no shipped font');
  });
});

describe('characters no shipped font has', () => {
  it('check warns naming them, at their file:line:column', async () => {
    const dir = copyFixtures('fonts-uncovered');
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const warnings = result.stderr.split('\n').filter((l) => l.includes('no shipped font'));
    // Thai on line 4, after "summary: Crowds gathered at the Democracy Monument (".
    expect(warnings[0]).toMatch(/^briefs\/uncovered\.yaml:4:53: warning: no shipped font has U\+0E2D อ, U\+0E19 น, /);
    // Ethiopic and Georgian on line 6; the shipped scripts on line 7 are not named.
    expect(warnings[1]).toMatch(/^briefs\/uncovered\.yaml:6:26: warning: no shipped font has U\+12F2 ዲ, U\+1235 ስ, U\+10D7 თ, U\+10D1 ბ, U\+10D8 ი, U\+10DA ლ, U\+10E1 ს:/);
    expect(warnings).toHaveLength(2);
  });
});

describe('brand fonts in brief.config.yaml', () => {
  it('a family neither shipped nor installed is a warning at its key; the text falls back to the shipped fonts, digits never to the emoji font', async () => {
    const dir = copyFixtures('fonts');
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'header: Example Policy Institute\nfonts:\n  body: Example Brand Serif\n  headings: Example Brand Sans\n');
    const check = await runCli(['check'], { cwd: dir });
    expect(check.stderr).toContain('brief.config.yaml:3:9: warning: font "Example Brand Serif" is not installed on this machine and no template ships it');
    expect(check.stderr).toContain('brief.config.yaml:4:13: warning: font "Example Brand Sans" is not installed');
    const build = await runCli(['build'], { cwd: dir });
    expect(build.code, build.stderr).toBe(0);
    // This brief has no emoji, only digits, "#" and "*": the emoji font must not be in it.
    const issue = path.join(dir, 'output', 'scripts-without-font.pdf');
    expectOnlyShippedFonts(issue);
    expect(pdfFonts(issue).map((f) => family(f.name))).not.toContain('NotoEmoji');
    expect(pageText(issue, 1)).toContain('MARCH5,2024');
    expectOnlyShippedFonts(path.join(dir, 'output', 'every-script.pdf'));
    expectFurniture(path.join(dir, 'output', 'every-script.pdf'), 'Officials in Kyiv, Athens, Hanoi');
  });

  it('setting the headings font keeps the running head, the label and the page numbers on every page', async () => {
    const dir = copyFixtures('fonts');
    // As an analyst wrote it: a font of the machine for headings.
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'fonts:\n  headings: DejaVu Sans\n');
    const build = await runCli(['build'], { cwd: dir });
    expect(build.code, build.stderr).toBe(0);
    expectFurniture(path.join(dir, 'output', 'every-script.pdf'), 'Officials in Kyiv, Athens, Hanoi');
  });
});

describe('hyphens and dashes from a word processor', () => {
  // U+2010 hyphen, U+2011 non-breaking hyphen, U+2012 figure dash, U+2015 horizontal bar.
  const odd = 'Shahed\u2011136 and Kh\u2011101 drones at Kirkuk\u2011Regional\u2011Air\u2011Base\u2011Extension, anti\u2011aircraft fire, a co\u2010ordinated wave, figures 1\u20122, a bar \u2015 here';
  let dir: string;

  beforeAll(async () => {
    dir = projectWith({
      'dashes.yaml': [
        `title: "Shahed\u2011136 Drones Hit Odesa"`,
        'date: 2024-03-05',
        'slug: dashes',
        `developments: "${odd}."`,
        'incidents:',
        `  - { date: 2024-03-05, location: Odesa, country: Ukraine, weapons: [{ type: drone, count: 3 }], summary: "${odd}." }`,
        '',
      ].join('\n'),
    });
    const result = await runCli(['build'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
  });

  it('print in the text faces, not as a low bar borrowed from a CJK or Arabic face', () => {
    const families = new Set(pdfFonts(path.join(dir, 'output', 'dashes.pdf')).map((f) => family(f.name)));
    expect([...families].sort()).toEqual(['SourceSans3', 'SourceSerif4']);
    const text = pageText(path.join(dir, 'output', 'dashes.pdf'), 1);
    expect(text).toMatch(/Shahed-\u2060?136/);
    expect(text).toMatch(/figures1\u20132/);
  });

  it('are drawn by the text face on the page, and a joined name wraps at its hyphens', async () => {
    const browser = await launchBrowser(await findBrowser());
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(path.join(dir, 'output', 'dashes.html')).href, { waitUntil: 'load' });
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      const cdp = await page.createCDPSession();
      await cdp.send('DOM.enable');
      await cdp.send('CSS.enable');
      const { root } = await cdp.send('DOM.getDocument');
      for (const selector of ['.prose p', 'h1']) {
        const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
        const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
        expect(fonts.map((f) => f.familyName), selector).toEqual(['Source Serif 4']);
      }
      // A long name Word joined with non-breaking hyphens wraps at its hyphens in a narrow
      // column, not mid-letter; "Shahed-136" stays whole (no break between hyphen and digit).
      const lines = await page.evaluate(() => {
        const p = document.querySelector('.prose p') as HTMLElement;
        p.style.width = '6em';
        const text = p.firstChild as Text;
        const rects = (word: string) => {
          const range = document.createRange();
          const start = (text.textContent ?? '').indexOf(word);
          range.setStart(text, start);
          range.setEnd(text, start + word.length);
          return [...range.getClientRects()].map((r) => Math.round(r.top));
        };
        return { shahed: new Set(rects('Shahed-136')).size, name: new Set(rects('Kirkuk-Regional-Air-Base-Extension')).size, piece: rects('Extension').length };
      });
      expect(lines.shahed).toBe(1);
      expect(lines.name).toBeGreaterThan(1);
      expect(lines.piece).toBe(1);
    } finally {
      await closeBrowser(browser);
    }
  });
});
