import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from '@cantoo/pdf-lib';
import type { Browser, HTTPRequest, Page } from 'puppeteer-core';
import { TimeoutError } from 'puppeteer-core';
import { asUtc } from '../core/format.js';
import { fitRunningHead } from './running-head.js';
import { xmpPacket } from './xmp.js';

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
  /**
   * The site's address (site.url): the page's links to the site's own pages (topics, other
   * briefs, the index) lead there from the PDF. Without it they are not links in the PDF.
   */
  siteUrl?: string;
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
  // A project's own font files (brief.config.yaml fonts.files) may be TrueType or OpenType.
  ttf: 'font/ttf',
  otf: 'font/otf',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
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
  const pool = new PrintPool(jobs, options.signal);
  const tabs = Math.max(1, Math.min(options.concurrency, jobs.length));
  await Promise.all(Array.from({ length: tabs }, () => new PrintTab(source, options).drain(pool, onResult)));
}

/**
 * The queue the tabs share: one cursor over the jobs, so each job is taken by exactly one
 * tab, whichever is free first.
 */
class PrintPool {
  #next = 0;

  constructor(
    private readonly jobs: readonly PrintJob[],
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** The next job and its index, or undefined when every job is taken; throws once the run is aborted. */
  take(): { index: number; job: PrintJob } | undefined {
    if (this.#next >= this.jobs.length) return undefined;
    this.signal?.throwIfAborted();
    const index = this.#next++;
    return { index, job: this.jobs[index] as PrintJob };
  }
}

/**
 * One worker of the pool and the browser tab it prints in. It owns the tab, how many
 * briefs the tab has printed (to recycle it) and the job in print (whose assets the tab's
 * requests are answered from); a tab that fails is dropped and the next print opens a new one.
 */
class PrintTab {
  #page: Page | undefined;
  #printed = 0;
  #job: PrintJob | undefined;
  /** The print under way in the tab, while an abort has stopped waiting for it. */
  #inFlight: Promise<unknown> | undefined;
  private readonly recycleAfter: number;

  constructor(
    private readonly source: BrowserSource,
    private readonly options: PrintOptions,
  ) {
    this.recycleAfter = options.recycleAfter ?? 50;
  }

  /** Takes jobs from the pool until none is left, reporting each result; the tab is closed at the end, even on an error. */
  async drain(pool: PrintPool, onResult: (index: number, result: PrintResult) => Promise<void>): Promise<void> {
    try {
      for (let next = pool.take(); next; next = pool.take()) {
        await onResult(next.index, await this.printWithRetry(next.job));
      }
    } finally {
      await this.recycle();
    }
  }

  /**
   * A brief's PDF, or why there is none. A dead tab or browser gets the brief a second
   * try in a fresh tab; a timeout does not, since the same brief would hang again.
   */
  async printWithRetry(job: PrintJob): Promise<PrintResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return { ok: true, pdf: await this.printOnce(job) };
      } catch (err) {
        // An abort is the caller's to report, not this brief's failure.
        if (this.options.signal?.aborted) throw err;
        const browserDied = this.#page !== undefined && !this.#page.browser().connected;
        await this.recycle();
        if (err instanceof TimeoutError) {
          return { ok: false, error: `PDF printing took longer than ${this.options.timeout / 1000} s and was stopped (a longer limit: --timeout)` };
        }
        if (attempt >= 2) return { ok: false, error: `PDF printing failed: ${(err as Error).message}` };
        this.options.log?.(`${browserDied ? 'the browser' : 'the browser tab'} stopped while printing ${job.name}; trying it again`);
      }
    }
  }

  /** Prints one brief in the tab, opening a new tab first when there is none usable. */
  private async printOnce(job: PrintJob): Promise<Uint8Array> {
    const page = await this.usable();
    this.#job = job;
    const html = typeof job.html === 'function' ? job.html() : job.html;
    this.#printed += 1;
    // An abort stops waiting for the print at once; the print itself stops after the step
    // it is in (closing its tab mid-step leaves Puppeteer's own promises unhandled), or with
    // the browser when the caller closes it.
    const work = printPage(page, job, html, this.options.timeout, this.options.signal);
    this.#inFlight = work;
    try {
      return await untilAborted(work, this.options.signal);
    } finally {
      if (!this.options.signal?.aborted) this.#inFlight = undefined;
    }
  }

  /** The tab, or a new one when it is closed, its browser is gone or it has printed its share. */
  private async usable(): Promise<Page> {
    const page = this.#page;
    if (page && !page.isClosed() && page.browser().connected && this.#printed < this.recycleAfter) return page;
    await this.recycle();
    this.#page = await this.open(await this.source.get());
    return this.#page;
  }

  /** A tab that can only print: no JavaScript, and only the current job's in-memory files are answered. */
  private async open(browser: Browser): Promise<Page> {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request) => answer(request, this.#job));
    return page;
  }

  /** Closes the tab (if any) and starts the count afresh: the next print opens a new one. */
  async recycle(): Promise<void> {
    const old = this.#page;
    this.#page = undefined;
    this.#printed = 0;
    const inFlight = this.#inFlight;
    this.#inFlight = undefined;
    if (!old) return;
    // Stopped: the tab is closed once the step under way ends, and not waited for.
    if (this.options.signal?.aborted) return void (inFlight ?? Promise.resolve()).catch(() => undefined).finally(() => old.close().catch(() => undefined));
    // A tab stuck in layout may not answer at once; it is not waited for long.
    await Promise.race([old.close().catch(() => undefined), delay(5_000)]);
  }
}

/** `work`'s result, or the signal's reason as soon as it is aborted (the work itself runs on, unwatched). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', (onAbort = () => reject(signal.reason)), { once: true }));
  // The work's own failure, once the abort has won, is no one's to report.
  work.catch(() => undefined);
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', onAbort as () => void));
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

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

/** One brief written into a tab and printed, with its metadata set. */
async function printPage(tab: Page, job: PrintJob, html: string, timeout: number, signal?: AbortSignal): Promise<Uint8Array> {
  // Each brief gets a fresh document on our origin, so relative links resolve as on the
  // site (every page sits at the root). Fresh, not rewritten: a document reused from the
  // brief before printed some briefs' page furniture (the footer label) without its text,
  // its margin boxes keeping the previous document's font state.
  // Each step looks at the signal first: a print nobody waits for any more goes no further.
  signal?.throwIfAborted();
  await tab.goto(PRINT_ORIGIN, { waitUntil: 'load', timeout });
  signal?.throwIfAborted();
  await tab.setContent(html, { waitUntil: 'load', timeout });
  signal?.throwIfAborted();
  await fitRunningHead(tab);
  signal?.throwIfAborted();
  const pdf = await tab.pdf({
    // Size and margins come from the stylesheet's @page rules (Letter or A4).
    preferCSSPageSize: true,
    printBackground: true,
    tagged: true,
    outline: true,
    // The stylesheet's fonts swap in when they arrive (font-display: swap), so the page
    // may be laid out before they have: printing waits for every font the page uses.
    waitForFonts: true,
    timeout,
  });
  return setMetadata(pdf, job.metadata, job.siteUrl);
}

/** The number of pages of a printed PDF: what a template's page limit is checked against. */
export async function pageCount(pdf: Uint8Array): Promise<number> {
  return (await PDFDocument.load(pdf, { updateMetadata: false })).getPageCount();
}

/**
 * Chromium writes only the title (https://github.com/puppeteer/puppeteer/issues/3054:
 * page.pdf() has no metadata option); authors, subject and keywords are what catalogues,
 * search and screen readers show, so they are set here. Dates come from the brief so
 * the same brief prints the same file.
 */
export async function setMetadata(pdf: Uint8Array, meta: PdfMetadata, siteUrl?: string): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  siteLinks(doc, siteUrl);
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
  setXmp(doc, xmpPacket({ ...meta, date: date.toISOString().replace(/\.\d{3}Z$/, 'Z') }));
  renumberStructureIds(doc);
  return doc.save({ useObjectStreams: false });
}

/**
 * The catalog's /Metadata stream (ISO 32000-2, 14.3.2), replacing any the printer wrote.
 * Left uncompressed, as the standard recommends, so that tools that do not parse PDF
 * objects can still find the packet.
 */
function setXmp(doc: PDFDocument, packet: string): void {
  const old = doc.catalog.get(PDFName.of('Metadata'));
  if (old instanceof PDFRef) doc.context.delete(old);
  const bytes = new TextEncoder().encode(packet);
  const stream = doc.context.stream(bytes, { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(stream));
}

/**
 * A page's relative links (a topic, the previous brief) are printed from the print
 * origin, so Chromium writes them as https://flashbrief.invalid/...: addresses that lead
 * nowhere. They are pointed at the site (site.url) or, without one, are no longer links.
 */
function siteLinks(doc: PDFDocument, siteUrl: string | undefined): void {
  for (const page of doc.getPages()) {
    const annots = page.node.lookup(PDFName.of('Annots'));
    if (!(annots instanceof PDFArray)) continue;
    for (let i = annots.size() - 1; i >= 0; i--) {
      const annot = annots.lookup(i);
      const action = annot instanceof PDFDict ? annot.lookup(PDFName.of('A')) : undefined;
      const uri = action instanceof PDFDict ? action.lookup(PDFName.of('URI')) : undefined;
      const target = uri instanceof PDFString || uri instanceof PDFHexString ? uri.decodeText() : undefined;
      if (!target?.startsWith(PRINT_ORIGIN) || !(action instanceof PDFDict) || !(annot instanceof PDFDict)) continue;
      if (siteUrl) action.set(PDFName.of('URI'), PDFString.of(new URL(target.slice(PRINT_ORIGIN.length), siteUrl).href));
      else {
        // Off the page, and with no address left in the file (the tagged structure may still name it).
        annot.delete(PDFName.of('A'));
        annots.remove(i);
      }
    }
  }
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
