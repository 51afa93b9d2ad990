import { findBrowser, ManagedBrowser } from '../print/browser.js';
import type { PrintJob, PrintResult } from '../print/pdf.js';
import { DEFAULTS } from '../core/settings.js';

/*
 * PDF previews: a page's print job, printed when its PDF is asked for, by the code and
 * with the settings `brief build` prints with, so the preview is the PDF a build publishes.
 * The browser starts on the first request, not with the server: most previews never ask
 * for a PDF, and starting Chromium takes seconds.
 */

/** One brief's print limit, as `brief build`'s default (milliseconds). */
const PRINT_TIMEOUT_MS = DEFAULTS.printTimeoutMs;

/**
 * How many PDF previews print at once, and how many more may wait: a print holds a
 * Chromium page (a few hundred MB), and one author previews one PDF at a time. Beyond
 * that the request is refused (503), so a burst of requests never starts a burst of prints.
 */
export const PRINT_LIMITS = { printing: 2, waiting: 4 } as const;

/** Too many PDF previews asked for at once: this one is neither printed nor queued. */
export class PreviewsBusyError extends Error {
  constructor() {
    super(`too many PDF previews asked for at once (${PRINT_LIMITS.printing} printing, ${PRINT_LIMITS.waiting} waiting); try again in a moment`);
  }
}

/**
 * Runs tasks at most `printing` at a time, with at most `waiting` more in line; a task
 * asked for beyond that is refused at once rather than queued without end.
 */
export class BoundedQueue {
  #running = 0;
  /** Starts of the tasks in line, first in first out. */
  readonly #line: Array<() => void> = [];

  constructor(private readonly limits: { printing: number; waiting: number } = PRINT_LIMITS) {}

  /** Tasks running now (for tests and the 503's reason). */
  get running(): number {
    return this.#running;
  }

  /** Tasks waiting for a place (for tests). */
  get waiting(): number {
    return this.#line.length;
  }

  /**
   * Runs `task` once a place is free. A task whose `signal` is aborted while it waits
   * leaves the line, never run; one aborted while it runs is the task's to stop (it is
   * given the signal), and its place is free as soon as it has.
   * @throws PreviewsBusyError (at once, `task` never runs) when the line is full; the
   *   signal's reason when it is aborted before the task runs.
   */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.#running >= this.limits.printing) {
      if (this.#line.length >= this.limits.waiting) throw new PreviewsBusyError();
      // The place is handed over by the task that ends (#running is not decreased then).
      await new Promise<void>((resolve, reject) => {
        const leave = () => {
          const at = this.#line.indexOf(start);
          // Not in line any more: the place was handed over already, and the task runs (and stops at once).
          if (at < 0) return;
          this.#line.splice(at, 1);
          reject(signal?.reason);
        };
        const start = () => {
          signal?.removeEventListener('abort', leave);
          resolve();
        };
        this.#line.push(start);
        signal?.addEventListener('abort', leave, { once: true });
      });
    } else {
      this.#running++;
    }
    try {
      return await task();
    } finally {
      const next = this.#line.shift();
      if (next) next();
      else this.#running--;
    }
  }
}

/** Prints PDF previews; owns the browser it starts for them and stops it on `close()`. */
export class PdfPreviews {
  /** The browser, once the first PDF was asked for (a promise, so two first requests share one). */
  #browser: Promise<ManagedBrowser> | undefined;
  /** Every print (and the browser's start) goes through it: see PRINT_LIMITS. */
  readonly #queue = new BoundedQueue();
  /** The pages (by file name) whose PDF was asked for while the preview runs: the ones printed ahead after a rebuild. */
  readonly #asked = new Set<string>();
  /** Prints started ahead (see `printAhead`), by job: a job is replaced by every render of its page, so a stale one is never found. */
  readonly #ahead = new WeakMap<PrintJob, Promise<PrintResult>>();

  /** @param explicitBrowser Chrome or Chromium to print with (`--browser`); default: found as `brief build` finds it. */
  constructor(private readonly explicitBrowser: string | undefined) {}

  /**
   * Prints `job` by itself (one page, a 60 s limit) in the preview's browser, which the
   * first call starts and later calls share; at most PRINT_LIMITS.printing at once, the
   * next PRINT_LIMITS.waiting in line.
   * @returns The PDF's bytes, or the print's error message (empty if the printer gave none).
   * `signal` is the request's: aborted (its client went away), the print leaves the line or
   * stops, and its place is free for the next.
   * @throws PreviewsBusyError when the line is full (nothing printed or started);
   *   when no browser can be found (BrowserNotFoundError, with instructions), the next call looks again;
   *   the signal's reason when it is aborted.
   */
  print(job: PrintJob, signal?: AbortSignal): Promise<PrintResult> {
    this.#asked.add(job.name);
    const ahead = this.#ahead.get(job);
    if (ahead) return ahead;
    return this.#queue.run(() => this.#print(job, signal), signal);
  }

  /**
   * Starts printing, without waiting for a request, each of `jobs` whose page's PDF was
   * asked for before (the analyst has it open), so that the PDF preview after a save is
   * ready about when the page has reloaded. A later `print` of the same job gets this
   * print; one that fails, or finds the line full, is left to that request to print again.
   * Does nothing before the first PDF was asked for (no browser is started for it).
   */
  printAhead(jobs: Iterable<PrintJob>): void {
    for (const job of jobs) {
      if (!this.#asked.has(job.name) || this.#ahead.has(job)) continue;
      const printing = this.#queue.run(() => this.#print(job, undefined));
      this.#ahead.set(job, printing);
      printing.then(
        (result) => void (result.ok || this.#ahead.delete(job)),
        () => void this.#ahead.delete(job),
      );
    }
  }

  async #print(job: PrintJob, signal: AbortSignal | undefined): Promise<PrintResult> {
    const browser = await this.#started();
    // Loaded with the first PDF: the printer imports pdf-lib and puppeteer (half a second), which pages alone do not need.
    const { printAll } = await import('../print/pdf.js');
    let result: PrintResult = { ok: false, error: '' };
    await printAll(browser, [job], { concurrency: 1, timeout: PRINT_TIMEOUT_MS, signal }, async (_index, printed) => {
      result = printed;
    });
    return result;
  }

  /** Stops the browser if one was started (and waits for a start under way). Safe to call twice. */
  async close(): Promise<void> {
    const browser = await this.#browser?.catch(() => undefined);
    this.#browser = undefined;
    await browser?.close();
  }

  async #started(): Promise<ManagedBrowser> {
    this.#browser ??= findBrowser({ explicit: this.explicitBrowser }).then((location) => new ManagedBrowser(location));
    try {
      return await this.#browser;
    } catch (err) {
      // Not found is not remembered: the analyst may install one while the preview runs.
      this.#browser = undefined;
      throw err;
    }
  }
}
