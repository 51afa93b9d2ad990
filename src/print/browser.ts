import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { visible } from '../core/diagnostics.js';

// puppeteer-core, not puppeteer: the latter downloads Chrome when installed, which fails
// as a dependency of someone else's project and on closed networks; we find a browser
// ourselves. It takes half a second to import, so it is loaded only when a PDF is
// printed: `check` and `build --html-only` never pay for it.
const loadPuppeteer = async () => (await import('puppeteer-core')).default;

/** Where the browser was found, so `brief` can say which one it used. */
export interface BrowserLocation {
  executablePath: string;
  source: string;
}

/** A browser already running elsewhere, reached over the DevTools protocol (`--browser-ws`). */
export interface RemoteBrowser {
  endpoint: string;
}

export type BrowserTarget = BrowserLocation | RemoteBrowser;

export const describeTarget = (target: BrowserTarget): string =>
  'endpoint' in target ? `the remote browser at ${redact(target.endpoint)}` : `${target.executablePath} (${target.source})`;

/**
 * An endpoint as it may be printed: a user name and password in it (ws://user:pass@host)
 * and the token, key or secret in its query (hosted browser services carry one there)
 * become "…", and control characters and direction marks are shown escaped (\u001b), so
 * an address cannot drive the terminal or hide the line it is printed in.
 */
export const redact = (endpoint: string): string =>
  visible(
    endpoint
      .replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1…@')
      .replace(/([?&][^=&#]*(?:token|key|secret|pass|auth)[^=&#]*=)[^&#]+/gi, '$1…'),
  );

/**
 * Connects to a browser someone else runs (Chrome with --remote-debugging-port,
 * browserless, a pool in a cluster). Pages opened there get the same interception,
 * JavaScript switch and timeouts as a local one's.
 * @throws BrowserUnreachableError when the endpoint is not a URL, refuses or does not
 * answer within `options.timeout` (30 s by default); the abort's reason when `options.signal` stops it.
 */
export async function connectBrowser(remote: RemoteBrowser, options: LaunchOptions = {}): Promise<Browser> {
  options.signal?.throwIfAborted();
  const puppeteer = await loadPuppeteer();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  let connecting: Promise<Browser> | undefined;
  try {
    const url = new URL(remote.endpoint);
    connecting = puppeteer.connect({
      ...(url.protocol === 'ws:' || url.protocol === 'wss:' ? { browserWSEndpoint: remote.endpoint } : { browserURL: remote.endpoint }),
      protocolTimeout: 120_000,
    });
    // Puppeteer waits as long as the network lets it (a host that drops packets: minutes); the run does not.
    const timeout = options.timeout ?? 30_000;
    const stopped = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeout / 1000} s`)), timeout);
      onAbort = () => reject(options.signal?.reason);
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
    return await Promise.race([connecting, stopped]);
  } catch (err) {
    // A connection made after the run stopped waiting for it is dropped at once.
    void connecting?.then((late) => late.disconnect(), () => undefined);
    if (options.signal?.aborted) throw options.signal.reason;
    throw new BrowserUnreachableError(remote.endpoint, (err as Error).message);
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
}

/** A remote browser (`--browser-ws`, `browser_ws`) that could not be reached: the run's problem, like a missing browser, not each brief's. */
export class BrowserUnreachableError extends Error {
  constructor(endpoint: string, reason: string) {
    super(`could not connect to the browser at ${redact(endpoint)}: ${reason}`);
    this.name = 'BrowserUnreachableError';
  }
}

/** A browser that was found but would not start (not a browser, or broken): the machine's problem, not a brief's. */
export class BrowserLaunchError extends Error {
  constructor(location: BrowserLocation, reason: string) {
    super(`could not start the browser ${location.executablePath} (${location.source}): ${reason}; is it Chrome or Chromium?`);
    this.name = 'BrowserLaunchError';
  }
}

export class BrowserNotFoundError extends Error {
  /**
   * @param setting The explicit setting (--browser, FLASHBRIEF_BROWSER or
   * PUPPETEER_EXECUTABLE_PATH) that names no executable; undefined when none was set and
   * none was found.
   */
  constructor(
    detail?: string,
    readonly setting?: string,
  ) {
    super(
      [
        detail ?? 'No Chrome or Chromium browser was found; one is needed to print PDFs.',
        'Get one:',
        '  Debian/Ubuntu:  sudo apt-get install chromium',
        '  Elsewhere:      npx @puppeteer/browsers install chrome@stable --path ~/.cache/puppeteer',
        'Or point to one:  brief build --browser /path/to/chrome   (or set FLASHBRIEF_BROWSER)',
        'HTML needs no browser: brief build --html-only',
      ].join('\n'),
    );
    this.name = 'BrowserNotFoundError';
  }
}

const SYSTEM_BROWSERS: Record<string, string[]> = {
  linux: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/google-chrome',
    '/opt/google/chrome/chrome',
    '/snap/bin/chromium',
  ],
  darwin: [
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
  ],
  win32: [
    `${process.env.PROGRAMFILES ?? 'C:\\Program Files'}\\Google\\Chrome\\Application\\chrome.exe`,
    `${process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)'}\\Google\\Chrome\\Application\\chrome.exe`,
    `${process.env.LOCALAPPDATA ?? ''}\\Google\\Chrome\\Application\\chrome.exe`,
  ],
};
const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome', 'chrome'];

/**
 * A file (not a folder: a folder passes the execute check) this process may execute; a
 * script's interpreter must be one too. Puppeteer does not catch a browser process that
 * fails to start in pipe mode, so a wrong path is refused here with words, not a crash.
 */
const isExecutable = (file: string, depth = 0): boolean => {
  try {
    accessSync(file, constants.X_OK);
    if (!statSync(file).isFile()) return false;
    const head = Buffer.alloc(256);
    const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const read = readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    const shebang = /^#!\s*(\S+)/.exec(head.subarray(0, read).toString('latin1'));
    return !shebang?.[1] || (depth < 4 && isExecutable(shebang[1], depth + 1));
  } catch {
    return false;
  }
};

export interface FindOptions {
  /** From --browser. */
  explicit?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Puppeteer's own download location; injectable so tests need not depend on the cache. */
  puppeteerPath?: () => Promise<string | undefined> | string | undefined;
}

/**
 * A browser installed into Puppeteer's cache (PUPPETEER_CACHE_DIR, or ~/.cache/puppeteer,
 * where `npx @puppeteer/browsers install chrome@stable --path ~/.cache/puppeteer` and the
 * full puppeteer package put it): Chrome before Chromium, the newest build first.
 */
const puppeteerOwn = async (env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> => {
  try {
    const { getInstalledBrowsers } = await import('@puppeteer/browsers');
    const cacheDir = env.PUPPETEER_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'puppeteer');
    const order = ['chrome', 'chromium', 'chrome-headless-shell'];
    const installed = (await getInstalledBrowsers({ cacheDir })).filter((b) => order.includes(b.browser));
    installed.sort((a, b) => order.indexOf(a.browser) - order.indexOf(b.browser) || b.buildId.localeCompare(a.buildId, 'en', { numeric: true }));
    return installed.map((b) => b.executablePath).find((file) => isExecutable(file));
  } catch {
    return undefined;
  }
};

/**
 * An explicit setting first (it must exist: a wrong setting is an error, not a reason to
 * quietly use another browser), then Puppeteer's own downloaded browser if it really is
 * there, then a system Chrome or Chromium at its usual paths or on PATH.
 */
export async function findBrowser(options: FindOptions = {}): Promise<BrowserLocation> {
  const env = options.env ?? process.env;
  const explicit: [string | undefined, string][] = [
    [options.explicit, '--browser'],
    [env.FLASHBRIEF_BROWSER, 'FLASHBRIEF_BROWSER'],
    [env.PUPPETEER_EXECUTABLE_PATH, 'PUPPETEER_EXECUTABLE_PATH'],
  ];
  for (const [value, source] of explicit) {
    if (!value) continue;
    if (isExecutable(value)) return { executablePath: value, source };
    throw new BrowserNotFoundError(`${source} names ${value}, which is not an executable file.`, source);
  }
  const own = await (options.puppeteerPath ?? (() => puppeteerOwn(env)))();
  if (own && isExecutable(own)) return { executablePath: own, source: "Puppeteer's browser" };

  const platform = options.platform ?? process.platform;
  for (const candidate of SYSTEM_BROWSERS[platform] ?? []) {
    if (isExecutable(candidate)) return { executablePath: candidate, source: 'system' };
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of PATH_NAMES) {
      const candidate = path.join(dir, platform === 'win32' ? `${name}.exe` : name);
      if (isExecutable(candidate)) return { executablePath: candidate, source: 'PATH' };
    }
  }
  throw new BrowserNotFoundError();
}

export interface LaunchOptions {
  signal?: AbortSignal;
  /** Milliseconds to wait for the browser to start (a remote one: to answer) before giving up. */
  timeout?: number;
}

/**
 * One browser for a whole run. It talks over a pipe (no debugging port for anything else
 * to reach), background networking is off, and Puppeteer's own signal handlers are off:
 * the caller owns the lifecycle and closes it in `finally` (Puppeteer's handlers would
 * close the browser and end the process on Ctrl-C:
 * https://github.com/puppeteer/puppeteer/issues/13662).
 */
export async function launchBrowser(location: BrowserLocation, options: LaunchOptions = {}): Promise<Browser> {
  options.signal?.throwIfAborted();
  const args = [
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--disable-gpu',
    '--no-first-run',
    // Hinting depends on the machine's font settings; off, the PDF is the same everywhere.
    '--font-render-hinting=none',
  ];
  // Chromium refuses to start its sandbox as root (containers, CI); there it must be off
  // (https://crbug.com/638180, the bug Chromium's own error message cites).
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const puppeteer = await loadPuppeteer();
  const browser = await puppeteer.launch({
    executablePath: location.executablePath,
    headless: true,
    pipe: true,
    args,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    timeout: options.timeout ?? 30_000,
    protocolTimeout: 120_000,
  }).catch((err: unknown) => {
    options.signal?.throwIfAborted();
    throw new BrowserLaunchError(location, (err as Error).message.split('\n')[0] ?? String(err));
  });
  if (options.signal?.aborted) {
    await closeBrowser(browser);
    options.signal.throwIfAborted();
  }
  return browser;
}

/** Safe to call twice, or on a browser that already died. A remote browser is left running. */
export async function closeBrowser(browser: Browser | undefined, remote = false): Promise<void> {
  if (!browser) return;
  if (remote) {
    await browser.disconnect().catch(() => undefined);
    return;
  }
  // Chromium closes in well under a second; one that does not (busy printing, a machine
  // under load) is killed, so that Ctrl-C stops the run within its grace time.
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<'stuck'>((resolve) => (timer = setTimeout(() => resolve('stuck'), CLOSE_GRACE_MS)));
  try {
    if ((await Promise.race([browser.close(), stuck])) === 'stuck') browser.process()?.kill('SIGKILL');
  } catch {
    browser.process()?.kill('SIGKILL');
  } finally {
    clearTimeout(timer);
  }
}

/** How long a launched browser is given to close before it is killed, in milliseconds. */
const CLOSE_GRACE_MS = 1500;

export interface ManagedOptions extends LaunchOptions {
  /** How many times a browser that died may be replaced in one run. Default: 3. */
  maxRestarts?: number;
  log?: (line: string) => void;
}

/**
 * The run's browser, launched when first needed and launched again if it dies (killed
 * by the out-of-memory killer, crashed on a page): one bad moment must not cost the
 * briefs still to print. Restarts are bounded so a browser that cannot run fails the
 * remaining briefs with a clear message instead of looping.
 */
export class ManagedBrowser {
  #browser: Browser | undefined;
  #launching: Promise<Browser> | undefined;
  #restarts = 0;

  constructor(
    private readonly target: BrowserTarget,
    private readonly options: ManagedOptions = {},
  ) {}

  private get remote(): boolean {
    return 'endpoint' in this.target;
  }

  /** A connected browser: the current one, or a new one if it has died. */
  async get(): Promise<Browser> {
    if (this.#browser?.connected) return this.#browser;
    if (!this.#launching) {
      const dead = this.#browser;
      if (dead) {
        const limit = this.options.maxRestarts ?? 3;
        if (this.#restarts >= limit) throw new Error(`the browser stopped ${limit + 1} times; giving up on the briefs not yet printed`);
        this.#restarts += 1;
        this.options.log?.(this.remote ? 'lost the remote browser; connecting again' : 'the browser stopped unexpectedly; starting it again');
        this.#browser = undefined;
        void closeBrowser(dead, this.remote);
      }
      this.#launching = ('endpoint' in this.target ? connectBrowser(this.target, this.options) : launchBrowser(this.target, this.options))
        .then((browser) => (this.#browser = browser))
        .finally(() => (this.#launching = undefined));
    }
    return this.#launching;
  }

  async close(): Promise<void> {
    await this.#launching?.catch(() => undefined);
    await closeBrowser(this.#browser, this.remote);
    this.#browser = undefined;
  }
}
