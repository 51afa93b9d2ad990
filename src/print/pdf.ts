import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';
import type { Browser, HTTPRequest, Page } from 'puppeteer';
import { TimeoutError } from 'puppeteer';
import { asUtc } from '../core/format.js';

/*
 * HTML to PDF in a page that can do nothing but print: JavaScript is off and every
 * request is intercepted. The page is served from an origin that cannot resolve
 * (.invalid), and only our own assets, held in memory, are answered; everything else
 * (remote images, fonts, file:// URLs) is refused before it leaves the browser.
 */

export const PRINT_ORIGIN = 'https://flashbrief.invalid/';

export interface PdfMetadata {
  title: string;
  authors: string[];
  subject?: string;
  keywords: string[];
  /** YYYY-MM-DD: creation and modification dates come from the brief, not the clock. */
  date: string;
  creator: string;
  /** BCP 47 language of the brief. */
  lang: string;
}

export interface PrintJob {
  /** The brief's HTML file name (x.html), to name it in messages. */
  name: string;
  /** The page, or a function that makes it when its turn comes (so pages are not all held at once). */
  html: string | (() => string);
  assets: ReadonlyMap<string, Uint8Array>;
  metadata: PdfMetadata;
}

export interface PrintOptions {
  concurrency: number;
  /** Milliseconds a single brief may take to load and print. */
  timeout: number;
  signal?: AbortSignal;
  /** Briefs one page prints before it is replaced, so the browser's memory stays flat. Default: 50. */
  recycleAfter?: number;
  log?: (line: string) => void;
}

/** Where pages come from: a browser that may be relaunched between briefs. */
export interface BrowserSource {
  get(): Promise<Browser>;
}

export type PrintResult = { ok: true; pdf: Uint8Array } | { ok: false; error: string };

const CONTENT_TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  woff2: 'font/woff2',
  woff: 'font/woff',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
};

/**
 * Prints every job with a small pool of browser tabs (Puppeteer pages) that are reused from brief to brief.
 * Each job's result is reported as soon as it exists, so the caller can write it.
 *
 * Faults stay with one brief: a tab that hangs is stopped at the timeout and replaced;
 * if the tab or the whole browser dies, the brief is tried once more in a fresh tab
 * (in a relaunched browser), and the other briefs carry on.
 */
export async function printAll(
  source: BrowserSource,
  jobs: readonly PrintJob[],
  options: PrintOptions,
  onResult: (index: number, result: PrintResult) => Promise<void>,
): Promise<void> {
  let next = 0;
  const recycleAfter = options.recycleAfter ?? 50;
  const worker = async () => {
    let tab: Page | undefined;
    let printed = 0;
    const state: { job?: PrintJob } = {};
    const dropTab = async () => {
      const old = tab;
      tab = undefined;
      printed = 0;
      // A tab stuck in layout may not answer at once; it is not waited for long.
      if (old) await Promise.race([old.close().catch(() => undefined), delay(5_000)]);
    };
    try {
      while (next < jobs.length) {
        options.signal?.throwIfAborted();
        const index = next++;
        const job = jobs[index] as PrintJob;
        let result: PrintResult | undefined;
        for (let attempt = 1; !result; attempt++) {
          try {
            if (!tab || tab.isClosed() || !tab.browser().connected || printed >= recycleAfter) {
              await dropTab();
              tab = await openTab(await source.get(), state);
            }
            state.job = job;
            const html = typeof job.html === 'function' ? job.html() : job.html;
            printed += 1;
            result = { ok: true, pdf: await printOne(tab, job, html, options.timeout) };
          } catch (err) {
            if (options.signal?.aborted) throw err;
            const browserDied = tab !== undefined && !tab.browser().connected;
            await dropTab();
            if (err instanceof TimeoutError) {
              result = { ok: false, error: `PDF printing took longer than ${options.timeout / 1000} s and was stopped (a longer limit: --timeout)` };
            } else if (attempt < 2) {
              options.log?.(`${browserDied ? 'the browser' : 'the browser tab'} stopped while printing ${job.name}; trying it again`);
            } else {
              result = { ok: false, error: `PDF printing failed: ${(err as Error).message}` };
            }
          }
        }
        await onResult(index, result);
      }
    } finally {
      await dropTab();
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, jobs.length));
  await Promise.all(Array.from({ length: workers }, worker));
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** A tab that can only print: no JavaScript, and only our in-memory files are answered. */
async function openTab(browser: Browser, state: { job?: PrintJob }): Promise<Page> {
  const tab = await browser.newPage();
  await tab.setJavaScriptEnabled(false);
  await tab.setRequestInterception(true);
  tab.on('request', (request) => answer(request, state.job));
  return tab;
}

function answer(request: HTTPRequest, job: PrintJob | undefined): void {
  const url = request.url();
  if (job && url.startsWith(PRINT_ORIGIN)) {
    const key = decodeURIComponent(url.slice(PRINT_ORIGIN.length).split(/[?#]/)[0] ?? '');
    if (key === '') {
      // The origin's root: the empty document each brief is written into.
      void request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!DOCTYPE html><title></title>' });
      return;
    }
    const asset = job.assets.get(key);
    if (asset) {
      const ext = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
      void request.respond({
        status: 200,
        contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream',
        body: Buffer.from(asset),
      });
      return;
    }
  }
  void request.abort('blockedbyclient');
}

async function printOne(tab: Page, job: PrintJob, html: string, timeout: number): Promise<Uint8Array> {
  // The tab stays on our origin and each brief is written into it: no navigation per
  // brief, and relative links resolve as on the site (every tab sits at the root).
  if (!tab.url().startsWith(PRINT_ORIGIN)) await tab.goto(PRINT_ORIGIN, { waitUntil: 'load', timeout });
  await tab.setContent(html, { waitUntil: 'load', timeout });
  const pdf = await tab.pdf({
    // Size and margins come from the stylesheet's @tab rules (Letter or A4).
    preferCSSPageSize: true,
    printBackground: true,
    tagged: true,
    outline: true,
    timeout,
  });
  return setMetadata(pdf, job.metadata);
}

/**
 * Chromium writes only the title (https://github.com/puppeteer/puppeteer/issues/3054:
 * page.pdf() has no metadata option); authors, subject and keywords are what catalogues,
 * search and screen readers show, so they are set here. Dates come from the brief so
 * the same brief prints the same file.
 */
export async function setMetadata(pdf: Uint8Array, meta: PdfMetadata): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const date = asUtc(meta.date);
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  if (meta.authors.length > 0) doc.setAuthor(meta.authors.join(', '));
  if (meta.subject) doc.setSubject(meta.subject);
  // Topics contain spaces, so they are joined with commas: pdf-lib's setKeywords joins the
  // words it is given with spaces (PDFDocument.setKeywords in Hopding/pdf-lib; no issue filed).
  if (meta.keywords.length > 0) doc.setKeywords([meta.keywords.join(', ')]);
  doc.setCreator(meta.creator);
  doc.setProducer(meta.creator);
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  // The document's language, for screen readers, alongside the tags Chromium writes; its
  // PDFs have carried no /Lang of their own (https://github.com/ggrossetie/asciidoctor-web-pdf/pull/112).
  if (!doc.catalog.has(PDFName.of('Lang'))) doc.catalog.set(PDFName.of('Lang'), PDFString.of(meta.lang));
  renumberStructureIds(doc);
  return doc.save({ useObjectStreams: false });
}

/**
 * Chromium names the tags of table cells after its DOM node numbers (node00000072, the
 * IDs Skia writes since https://skia.googlesource.com/skia/+/1dbc3b533962b0ae803a2a5ee89f61146228d73b),
 * which differ from run to run, so the same brief would print different bytes. The names
 * are renumbered in document order, in the elements, the table headers that cite them and
 * the ID tree, so the same brief prints the same file.
 */
function renumberStructureIds(doc: PDFDocument): void {
  const text = (value: unknown) => (value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined);
  const elements = doc.context
    .enumerateIndirectObjects()
    .sort(([a], [b]) => a.objectNumber - b.objectNumber)
    .filter(([, obj]) => obj instanceof PDFDict && obj.get(PDFName.of('Type')) === PDFName.of('StructElem')) as [PDFRef, PDFDict][];
  const renamed = new Map<string, string>();
  const named: [string, PDFRef][] = [];
  for (const [ref, element] of elements) {
    const old = text(element.get(PDFName.of('ID')));
    if (old === undefined) continue;
    const id = `e${String(named.length + 1).padStart(6, '0')}`;
    renamed.set(old, id);
    named.push([id, ref]);
    element.set(PDFName.of('ID'), PDFString.of(id));
  }
  if (named.length === 0) return;
  for (const [, element] of elements) {
    const attributes = element.lookup(PDFName.of('A'));
    const dicts = attributes instanceof PDFArray ? attributes.asArray().map((a) => doc.context.lookup(a)) : [attributes];
    for (const dict of dicts) {
      const headers = dict instanceof PDFDict ? dict.lookup(PDFName.of('Headers')) : undefined;
      if (!(headers instanceof PDFArray)) continue;
      headers.asArray().forEach((h, i) => {
        const id = renamed.get(text(h) ?? '');
        if (id) headers.set(i, PDFString.of(id));
      });
    }
  }
  const root = doc.catalog.lookup(PDFName.of('StructTreeRoot'));
  if (root instanceof PDFDict && root.has(PDFName.of('IDTree'))) {
    // The old tree goes entirely: left in the file, unreferenced, it would still carry the names.
    const drop = (ref: unknown) => {
      if (!(ref instanceof PDFRef)) return;
      const kids = doc.context.lookup(ref, PDFDict).lookup(PDFName.of('Kids'));
      if (kids instanceof PDFArray) kids.asArray().forEach(drop);
      doc.context.delete(ref);
    };
    drop(root.get(PDFName.of('IDTree')));
    // Zero-padded names sort in document order, as a name tree's keys must.
    const names = doc.context.obj(named.flatMap(([id, ref]) => [PDFString.of(id), ref]));
    root.set(PDFName.of('IDTree'), doc.context.register(doc.context.obj({ Names: names })));
  }
}
