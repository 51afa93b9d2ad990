// The floors our build is compared with: the least work that produces the same output.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/*
 * The PDF floor: one browser, the exact HTML our build wrote, page.setContent and
 * page.pdf, nothing else (no JavaScript switch, no metadata pass, no file written).
 *
 * Our pages link their stylesheet, fonts and logo relatively (assets/...), and their
 * Content-Security-Policy allows styles and fonts from 'self' only. Inlining the
 * stylesheet with its fonts as data: URLs would mean removing the CSP from the page and
 * having Chromium decode about a megabyte of base64 per page; tried on this corpus, it
 * was no faster than what follows, so it would not lower the floor, only change the HTML.
 * Instead the floor answers asset requests from memory, as src/print/pdf.ts printAll does:
 * each page first opens an empty document at an origin that cannot resolve (answered
 * from memory too), then setContent writes the brief into it, so relative links resolve
 * against that origin, 'self' matches, and the HTML is byte for byte the file our build
 * wrote. Fonts and stylesheet cost what they cost in our build; everything else our
 * build does per brief is what the comparison exposes.
 */
export const FLOOR_ORIGIN = 'https://bench-floor.invalid/';

const TYPES = { css: 'text/css; charset=utf-8', woff2: 'font/woff2', woff: 'font/woff', svg: 'image/svg+xml', png: 'image/png' };

/** Every file of <outDir>/assets, keyed as the pages link them ("assets/<name>"). */
export function readAssets(outDir) {
  const assets = new Map();
  for (const name of readdirSync(path.join(outDir, 'assets'))) {
    assets.set(`assets/${name}`, readFileSync(path.join(outDir, 'assets', name)));
  }
  return assets;
}

/** The same print settings as our build, so both make the same document (tags, outline, page size from CSS). */
export const PDF_OPTIONS = { preferCSSPageSize: true, printBackground: true, tagged: true, outline: true, timeout: 120_000 };

/** A page that answers the floor origin from memory and refuses everything else. */
export async function floorPage(browser, assets) {
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith(FLOOR_ORIGIN)) {
      const key = decodeURIComponent(url.slice(FLOOR_ORIGIN.length).split(/[?#]/)[0]);
      if (key === '') {
        void request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!DOCTYPE html><title></title>' });
        return;
      }
      const bytes = assets.get(key);
      if (bytes) {
        void request.respond({ status: 200, contentType: TYPES[key.slice(key.lastIndexOf('.') + 1)] ?? 'application/octet-stream', body: bytes });
        return;
      }
    }
    void request.abort('blockedbyclient');
  });
  await page.goto(FLOOR_ORIGIN, { waitUntil: 'load' });
  return page;
}

/** One brief on a floor page: setContent, then page.pdf. Returns the PDF's size in bytes. */
export async function floorPrint(page, html) {
  await page.setContent(html, { waitUntil: 'load', timeout: 120_000 });
  const pdf = await page.pdf(PDF_OPTIONS);
  return pdf.byteLength;
}

/** Prints every HTML with `concurrency` pages pulling from one queue, as our build's pool does. */
export async function floorPrintAll(browser, htmls, assets, concurrency) {
  let next = 0;
  let bytes = 0;
  const worker = async () => {
    const page = await floorPage(browser, assets);
    try {
      while (next < htmls.length) bytes += await floorPrint(page, htmls[next++]);
    } finally {
      await page.close();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, htmls.length)) }, worker));
  return bytes;
}

/*
 * Run as a program, the floor prints in its own process, so the benchmark watches its
 * Chromium from outside exactly as it watches our build's, and polling /proc never
 * stalls the process that drives the browser.
 *
 *   node bench/floor.mjs --dir <build output> --concurrency 2 [--page <slug>.html] [--dist <dir>]
 *
 * Prints {launch, stage, close, version} in seconds: stage runs from the launch to the
 * last PDF, as our build's print stage does. Puppeteer is loaded before the clock starts.
 */
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { dir: { type: 'string' }, concurrency: { type: 'string', default: '1' }, page: { type: 'string' }, dist: { type: 'string' } },
  });
  await import('puppeteer-core');
  const dist = values.dist ? pathToFileURL(`${path.resolve(values.dist)}/`) : new URL('../dist/', import.meta.url);
  const { findBrowser, launchBrowser, closeBrowser } = await import(new URL('print/browser.js', dist));
  const location = await findBrowser();
  const pages = values.page ? [values.page] : readdirSync(values.dir).filter((f) => f.endsWith('.pdf')).map((f) => f.replace(/\.pdf$/, '.html'));
  const htmls = pages.map((f) => readFileSync(path.join(values.dir, f), 'utf8'));
  const assets = readAssets(values.dir);
  const started = performance.now();
  const browser = await launchBrowser(location);
  const launch = (performance.now() - started) / 1000;
  const bytes = await floorPrintAll(browser, htmls, assets, Number(values.concurrency));
  const stage = (performance.now() - started) / 1000;
  const version = await browser.version();
  const closing = performance.now();
  await closeBrowser(browser);
  const close = (performance.now() - closing) / 1000;
  // When the clock started, so the parent can place its memory samples on the same time line.
  const startedEpochMs = performance.timeOrigin + started;
  process.stdout.write(`${JSON.stringify({ launch, stage, print: stage - launch, close, version, briefs: htmls.length, bytes, startedEpochMs })}\n`);
}
