import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';

/*
 * Reading a built brief as a reader meets it: the PDF word by word with where each word
 * sits (poppler's pdftotext -bbox), and the page in Chromium, printed or on a phone.
 * Shared by the tests of content that must fit the page.
 */

/** Letter with the stylesheet's margins (0.9in left and right): the width print lays out in, in CSS px. */
export const PRINT_WIDTH = Math.floor((8.5 - 1.8) * 96);
/** The stylesheet's page margins (@page), in points: 0.9in at the sides, 0.85in at the top, 0.8in at the bottom. */
export const MARGIN = { side: 0.9 * 72, top: 0.85 * 72, bottom: 0.8 * 72 };

/** One word of a PDF: its page (from 1), the page's size and the word's box, in points. */
export interface Word {
  page: number;
  pageWidth: number;
  pageHeight: number;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  text: string;
}

/** Every word of a PDF with its page and position, as poppler reads them. */
export function pdfWords(file: string): Word[] {
  const xml = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const words: Word[] = [];
  let page = 0;
  let pageWidth = 0;
  let pageHeight = 0;
  for (const line of xml.split('\n')) {
    const p = /<page width="([\d.]+)" height="([\d.]+)"/.exec(line);
    if (p) {
      page += 1;
      pageWidth = Number(p[1]);
      pageHeight = Number(p[2]);
    }
    const w = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(line);
    if (w) words.push({ page, pageWidth, pageHeight, xMin: Number(w[1]), yMin: Number(w[2]), xMax: Number(w[3]), yMax: Number(w[4]), text: w[5] as string });
  }
  return words;
}

/** The number of pages of a PDF. */
export const pdfPageCount = (file: string): number => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);

/** Each page's text, in reading order (cell by cell in a table). */
export function pdfPages(file: string): string[] {
  return Array.from({ length: pdfPageCount(file) }, (_, i) =>
    execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), file, '-'], { encoding: 'utf8' }),
  );
}

/** The text of a PDF with every space and line break removed, so a wrapped address reads whole. */
export const squeezed = (file: string): string => execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');

/** Words that reach into the left or right margin, or past the page, as "p<page> <word> <x>-<x>". */
export const outsideContent = (words: readonly Word[]): string[] =>
  words.filter((w) => w.xMin < MARGIN.side - 1 || w.xMax > w.pageWidth - MARGIN.side + 1).map((w) => `p${w.page} ${w.text} ${w.xMin}-${w.xMax}`);

/**
 * The words of each of `pageCount` pages between the top and bottom margins: the brief's
 * own text, without running head and page number. A blank page is an empty list.
 */
export function pageBodies(words: readonly Word[], pageCount: number): Word[][] {
  const pages: Word[][] = Array.from({ length: pageCount }, () => []);
  for (const w of words) {
    if (w.yMin >= MARGIN.top - 1 && w.yMax <= w.pageHeight - MARGIN.bottom + 1) (pages[w.page - 1] as Word[]).push(w);
  }
  return pages;
}

/** Lines of text: words sharing a baseline, within a point or two. */
export const lineCount = (words: readonly Word[]): number => new Set(words.map((w) => Math.round(w.yMax / 3))).size;

/** The families shipped with the bundled template, as a PDF names them (after the subset tag). */
export const SHIPPED_FONT =
  /^[A-Z]{6}\+(SourceSerif4|SourceSans3|SourceCodePro|NotoNaskhArabic|NotoSansArabic|NotoSerifHebrew|NotoSansHebrew|NotoSerifDevanagari|NotoSansDevanagari|NotoSansSC|NotoSansTC|NotoSansJP|NotoSansKR|NotoEmoji)[A-Za-z]*-/;

/**
 * Elements of the brief wider than their box or reaching past the page's content box, as
 * "selector: reason". Figures, wide tables and code blocks scroll sideways inside their own box on a phone by design, and
 * visually hidden text (a clipped box, like the record's header row on a phone) is not
 * seen, so both are left out.
 */
export function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.querySelector('.brief') as HTMLElement;
    const box = root.getBoundingClientRect();
    const style = getComputedStyle(root);
    const left = box.left + parseFloat(style.paddingLeft) - 1;
    const right = box.right - parseFloat(style.paddingRight) + 1;
    const found: string[] = [];
    const name = (el: Element) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const hidden = (el: Element | null): boolean =>
      el !== null && el !== root && (getComputedStyle(el).clipPath !== 'none' || hidden(el.parentElement));
    for (const el of root.querySelectorAll('*')) {
      // Inside a box that scrolls sideways by design (wide tables, code), nothing is cut off.
      const scrolls = (e: Element | null): boolean => e !== null && e !== root && (/auto|scroll/.test(getComputedStyle(e).overflowX) || scrolls(e.parentElement));
      if (el.closest('.figure') || scrolls(el.parentElement) || hidden(el)) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0) continue;
      if (rect.left < left || rect.right > right) found.push(`${name(el)}: ${Math.round(rect.left)}..${Math.round(rect.right)} outside ${Math.round(left)}..${Math.round(right)}`);
      if (el instanceof HTMLElement && !/auto|scroll/.test(getComputedStyle(el).overflowX) && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) found.push(`${name(el)}: scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth) found.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
    return found;
  });
}

/** Loads a built page as printed (print media at the printed width) or on a phone (375 px), fonts loaded. */
export async function openAs(browser: Browser, file: string, as: 'print' | 'phone'): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width: as === 'print' ? PRINT_WIDTH : 375, height: 900 });
  await page.emulateMediaType(as === 'print' ? 'print' : 'screen');
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return page;
}
