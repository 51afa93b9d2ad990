import { PDFDocument } from '@cantoo/pdf-lib';
import type { Browser, HTTPRequest, Page } from 'puppeteer-core';
import { TimeoutError } from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { PRINT_ORIGIN, printAll, type BrowserSource, type PrintJob, type PrintResult } from '../../src/print/pdf.js';

/*
 * The print pool's bookkeeping (which tab prints what, when a tab is replaced, when a
 * brief is tried again) decides nothing about the PDF itself, so it is tested with fake
 * tabs: each can be told to fail a given brief, and the tests see every tab opened and
 * closed. The faults tests do the same with a real browser, slowly.
 */

let blank: Uint8Array;
beforeAll(async () => {
  const doc = await PDFDocument.create();
  doc.addPage();
  blank = await doc.save();
});

/** What a fake tab does when asked to print a page whose HTML is `html`. */
type Fault = 'tab dies' | 'browser dies' | 'hangs';

class FakeBrowser {
  connected = true;
  readonly tabs: FakeTab[] = [];
  constructor(private readonly faults: Map<string, Fault[]>) {}
  async newPage(): Promise<Page> {
    const tab = new FakeTab(this, this.faults);
    this.tabs.push(tab);
    return tab as unknown as Page;
  }
}

class FakeTab {
  closed = false;
  printed: string[] = [];
  /** The asset each printed page asked for, as the tab's request handler answered it. */
  answers: string[] = [];
  #url = 'about:blank';
  #html = '';
  #onRequest: ((request: HTTPRequest) => void) | undefined;
  constructor(
    private readonly owner: FakeBrowser,
    private readonly faults: Map<string, Fault[]>,
  ) {}
  isClosed = () => this.closed;
  browser = () => this.owner as unknown as Browser;
  url = () => this.#url;
  close = async () => void (this.closed = true);
  setJavaScriptEnabled = async () => undefined;
  setRequestInterception = async () => undefined;
  on(_event: 'request', handler: (request: HTTPRequest) => void) {
    this.#onRequest = handler;
  }
  goto = async (url: string) => void (this.#url = url);
  // The running head is measured in the page before printing; a fake page has nothing to fit.
  evaluate = async () => ({ title: '', header: '' });
  async setContent(html: string) {
    this.#html = html;
    const fault = this.faults.get(html)?.shift();
    if (fault === 'hangs') throw new TimeoutError('Navigation timeout exceeded');
    if (fault === 'browser dies') this.owner.connected = false;
    if (fault) throw new Error('Target closed');
    // The page asks for its stylesheet, as a brief does.
    let answer = 'none';
    this.#onRequest?.({
      url: () => `${PRINT_ORIGIN}style.css`,
      respond: async (r: { body: Buffer }) => void (answer = r.body.toString()),
      abort: async () => void (answer = 'refused'),
    } as unknown as HTTPRequest);
    this.answers.push(answer);
  }
  async pdf() {
    this.printed.push(this.#html);
    return blank;
  }
}

/** A browser source that relaunches its browser once the current one is gone. */
function source(faults: Record<string, Fault[]> = {}) {
  const scripted = new Map(Object.entries(faults));
  const browsers: FakeBrowser[] = [];
  const get = async () => {
    const last = browsers.at(-1);
    if (last?.connected) return last as unknown as Browser;
    browsers.push(new FakeBrowser(scripted));
    return browsers.at(-1) as unknown as Browser;
  };
  return { source: { get } satisfies BrowserSource, browsers, tabs: () => browsers.flatMap((b) => b.tabs) };
}

const job = (name: string): PrintJob => ({
  name: `${name}.html`,
  html: () => name,
  assets: new Map([['style.css', new TextEncoder().encode(`css of ${name}`)]]),
  metadata: { title: name, authors: [], keywords: [], date: '2024-03-11', creator: 'flashbrief test', lang: 'en' },
});

async function run(
  jobs: PrintJob[],
  sourceOf: ReturnType<typeof source>,
  options: { concurrency?: number; recycleAfter?: number; signal?: AbortSignal } = {},
) {
  const results = new Map<number, PrintResult>();
  const log: string[] = [];
  await printAll(sourceOf.source, jobs, { concurrency: 1, timeout: 5_000, log: (line) => log.push(line), ...options }, async (i, r) => void results.set(i, r));
  const summary = [...results].sort(([a], [b]) => a - b).map(([i, r]) => (r.ok ? `${i} ok` : `${i} ${r.error}`));
  return { summary, log };
}

describe('printAll', () => {
  it('prints every job once across its tabs, answers each page from its own job, and closes every tab at the end', async () => {
    const s = source();
    const { summary } = await run(['a', 'b', 'c', 'd', 'e'].map(job), s, { concurrency: 2 });
    expect(summary).toEqual(['0 ok', '1 ok', '2 ok', '3 ok', '4 ok']);
    expect(s.tabs()).toHaveLength(2);
    expect(s.tabs().flatMap((t) => t.printed).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(s.tabs().flatMap((t) => t.answers).sort()).toEqual(['css of a', 'css of b', 'css of c', 'css of d', 'css of e']);
    expect(s.tabs().every((t) => t.closed)).toBe(true);
  });

  it('never opens more tabs than there are jobs', async () => {
    const s = source();
    await run(['a'].map(job), s, { concurrency: 4 });
    expect(s.tabs()).toHaveLength(1);
  });

  it('replaces a tab after recycleAfter briefs', async () => {
    const s = source();
    await run(['a', 'b', 'c', 'd', 'e'].map(job), s, { recycleAfter: 2 });
    expect(s.tabs().map((t) => t.printed)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('tries a brief once more in a fresh tab when its tab dies, and the others carry on', async () => {
    const s = source({ b: ['tab dies'] });
    const { summary, log } = await run(['a', 'b', 'c'].map(job), s);
    expect(summary).toEqual(['0 ok', '1 ok', '2 ok']);
    expect(log).toEqual(['the browser tab stopped while printing b.html; trying it again']);
    expect(s.tabs().map((t) => t.printed)).toEqual([['a'], ['b', 'c']]);
  });

  it('tries a brief once more in a relaunched browser when the browser dies', async () => {
    const s = source({ b: ['browser dies'] });
    const { summary, log } = await run(['a', 'b', 'c'].map(job), s);
    expect(summary).toEqual(['0 ok', '1 ok', '2 ok']);
    expect(log).toEqual(['the browser stopped while printing b.html; trying it again']);
    expect(s.browsers).toHaveLength(2);
  });

  it('gives up on a brief whose second try fails too', async () => {
    const s = source({ b: ['tab dies', 'tab dies'] });
    const { summary, log } = await run(['a', 'b', 'c'].map(job), s);
    expect(summary).toEqual(['0 ok', '1 PDF printing failed: Target closed', '2 ok']);
    expect(log).toHaveLength(1);
  });

  it('stops a brief at the time limit without trying it again', async () => {
    const s = source({ b: ['hangs'] });
    const { summary, log } = await run(['a', 'b', 'c'].map(job), s);
    expect(summary).toEqual(['0 ok', '1 PDF printing took longer than 5 s and was stopped (a longer limit: --timeout)', '2 ok']);
    expect(log).toEqual([]);
    expect(s.tabs().map((t) => t.printed)).toEqual([['a'], ['c']]);
  });

  it('stops taking briefs once aborted, and closes its tabs', async () => {
    const s = source();
    const controller = new AbortController();
    const jobs = ['a', 'b', 'c'].map(job);
    const results: number[] = [];
    const printing = printAll(s.source, jobs, { concurrency: 1, timeout: 5_000, signal: controller.signal }, async (i) => {
      results.push(i);
      controller.abort();
    });
    await expect(printing).rejects.toThrow();
    expect(results).toEqual([0]);
    expect(s.tabs().every((t) => t.closed)).toBe(true);
  });
});
