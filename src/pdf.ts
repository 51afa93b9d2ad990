import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import type { Browser, HTTPRequest, Page } from 'puppeteer';

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
  /** Page path below the origin, e.g. "x.html", so the page's relative asset links resolve. */
  page: string;
  html: string;
  assets: ReadonlyMap<string, Uint8Array>;
  metadata: PdfMetadata;
}

export interface PrintOptions {
  concurrency: number;
  /** Milliseconds a single brief may take to load and print. */
  timeout: number;
  signal?: AbortSignal;
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
 * Prints every job with a small pool of pages that are reused from brief to brief.
 * Each job's result is reported as soon as it exists, so the caller can write it.
 */
export async function printAll(
  browser: Browser,
  jobs: readonly PrintJob[],
  options: PrintOptions,
  onResult: (index: number, result: PrintResult) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    const page = await browser.newPage();
    let current: PrintJob | undefined;
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request) => answer(request, current));
    try {
      while (next < jobs.length) {
        options.signal?.throwIfAborted();
        const index = next++;
        current = jobs[index] as PrintJob;
        let result: PrintResult;
        try {
          result = { ok: true, pdf: await printOne(page, current, options.timeout) };
        } catch (err) {
          if (options.signal?.aborted) throw err;
          result = { ok: false, error: `PDF printing failed: ${(err as Error).message}` };
        }
        await onResult(index, result);
      }
    } finally {
      await page.close().catch(() => undefined);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, jobs.length));
  await Promise.all(Array.from({ length: workers }, worker));
}

function answer(request: HTTPRequest, job: PrintJob | undefined): void {
  const url = request.url();
  if (job && url.startsWith(PRINT_ORIGIN)) {
    const key = decodeURIComponent(url.slice(PRINT_ORIGIN.length).split(/[?#]/)[0] ?? '');
    if (key === job.page) {
      void request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: job.html });
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

async function printOne(page: Page, job: PrintJob, timeout: number): Promise<Uint8Array> {
  await page.goto(PRINT_ORIGIN + job.page, { waitUntil: 'load', timeout });
  const pdf = await page.pdf({
    // Size and margins come from the stylesheet's @page rules (Letter or A4).
    preferCSSPageSize: true,
    printBackground: true,
    tagged: true,
    outline: true,
    timeout,
  });
  return setMetadata(pdf, job.metadata);
}

/**
 * Chromium writes only the title; authors, subject and keywords are what catalogues,
 * search and screen readers show, so they are set here. Dates come from the brief so
 * the same brief prints the same file.
 */
export async function setMetadata(pdf: Uint8Array, meta: PdfMetadata): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const date = new Date(`${meta.date}T00:00:00Z`);
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  if (meta.authors.length > 0) doc.setAuthor(meta.authors.join(', '));
  if (meta.subject) doc.setSubject(meta.subject);
  // Topics contain spaces, so they are joined with commas (pdf-lib would join with spaces).
  if (meta.keywords.length > 0) doc.setKeywords([meta.keywords.join(', ')]);
  doc.setCreator(meta.creator);
  doc.setProducer(meta.creator);
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  // The document's language, for screen readers, alongside the tags Chromium writes.
  if (!doc.catalog.has(PDFName.of('Lang'))) doc.catalog.set(PDFName.of('Lang'), PDFString.of(meta.lang));
  return doc.save({ useObjectStreams: false });
}
