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

/** Prints PDF previews; owns the browser it starts for them and stops it on `close()`. */
export class PdfPreviews {
  /** The browser, once the first PDF was asked for (a promise, so two first requests share one). */
  #browser: Promise<ManagedBrowser> | undefined;

  /** @param explicitBrowser Chrome or Chromium to print with (`--browser`); default: found as `brief build` finds it. */
  constructor(private readonly explicitBrowser: string | undefined) {}

  /**
   * Prints `job` by itself (one page, a 60 s limit) in the preview's browser, which the
   * first call starts and later calls share.
   * @returns The PDF's bytes, or the print's error message (empty if the printer gave none).
   * @throws When no browser can be found (BrowserNotFoundError, with instructions); the next call looks again.
   */
  async print(job: PrintJob): Promise<PrintResult> {
    const browser = await this.#started();
    // Loaded with the first PDF: the printer imports pdf-lib and puppeteer (half a second), which pages alone do not need.
    const { printAll } = await import('../print/pdf.js');
    let result: PrintResult = { ok: false, error: '' };
    await printAll(browser, [job], { concurrency: 1, timeout: PRINT_TIMEOUT_MS }, async (_index, printed) => {
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
