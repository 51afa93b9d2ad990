import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'puppeteer-core';
import { closeBrowser, findBrowser, launchBrowser } from '../../src/print/browser.js';
import { copyFixtures, pdfFonts, pdfText, runCli } from '../helpers.js';

/*
 * Place names, names and quotes arrive in Arabic and Hebrew, and wire copy carries
 * emoji. They must render with the fonts that ship with the project, never with
 * whatever the machine has (which differs from machine to machine, or shows boxes).
 */
describe('Arabic, Hebrew and emoji', () => {
  let dir: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = copyFixtures('scripts');
    const result = await runCli(['build'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    browser = await launchBrowser(await findBrowser());
  });
  afterAll(() => closeBrowser(browser));

  it('embeds the shipped fonts for each script in the PDF, and no font of the machine', () => {
    const fonts = pdfFonts(path.join(dir, 'output', 'scripts.pdf'));
    const families = fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
    for (const family of ['NotoNaskhArabic-Regular', 'NotoSerifHebrew-Regular', 'NotoEmoji-Regular', 'NotoSansArabic-Regular']) {
      expect(families).toContain(family);
    }
    for (const font of fonts) {
      expect(font.name).toMatch(/\+(SourceSerif4|SourceSans3|Noto)/);
      expect(font.embedded).toBe(true);
      expect(font.type).not.toBe('Type 3');
    }
  });

  it('keeps the words as text in the PDF, so they can be searched and copied', () => {
    // Drop the layout's spaces and direction marks: what is left is the words in logical order.
    const text = pdfText(path.join(dir, 'output', 'scripts.pdf')).replace(/[\s\u200e\u200f\u202a-\u202e]/g, '');
    expect(text).toContain('אילת');
    expect(text).toContain('القامشلي');
    expect(text).toContain('🔥');
  });

  it('sets the direction of a brief in Arabic right to left, in the page and the PDF', async () => {
    const html = readFileSync(path.join(dir, 'output', 'arabic.html'), 'utf8');
    expect(html).toMatch(/<html lang="ar" dir="rtl">/);
    const mixed = readFileSync(path.join(dir, 'output', 'scripts.html'), 'utf8');
    expect(mixed).toMatch(/<html lang="en" dir="ltr">/);
    const page = await browser.newPage();
    await page.goto(pathToFileURL(path.join(dir, 'output', 'arabic.html')).href, { waitUntil: 'load' });
    const state = await page.evaluate(async () => {
      await document.fonts.ready;
      const title = document.querySelector('h1') as HTMLElement;
      const column = title.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(title);
      const text = range.getBoundingClientRect();
      return {
        loaded: [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family.replace(/"/g, '')),
        direction: getComputedStyle(title).direction,
        // Right to left: the title's words hug the right edge of its column.
        rightAligned: column.right - text.right < 2 && text.left - column.left > 20,
      };
    });
    await page.close();
    expect(state.loaded).toContain('Noto Naskh Arabic');
    expect(state.direction).toBe('rtl');
    expect(state.rightAligned).toBe(true);
    expect(pdfText(path.join(dir, 'output', 'arabic.pdf')).replace(/[\s\u200e\u200f\u202a-\u202e]/g, '')).toContain('سوريا');
  });
});
