import type { Config } from './config.js';
import type { Brief } from './schema.js';

/*
 * What a value is when nobody set it, and who wins when several did. One place, so a
 * default is written once and the order (a flag, then the brief, then brief.config.yaml,
 * then the default) is the same for every value and every command.
 */

/** Every default, once. */
export const DEFAULTS = {
  /** The bundled template a brief uses unless it or the configuration names another. */
  template: 'flash-brief',
  /** The kicker above the title. */
  label: 'Flash Brief',
  /** BCP 47 language of briefs and site pages. */
  lang: 'en',
  /** The site's name: its index page's heading, and what a brief's link back to the index says. */
  siteTitle: 'Flash Briefs',
  pageSize: 'Letter',
  /** The brief files or folders a build reads when it is given none. */
  inputs: ['briefs'],
  /** The folder a build writes into, relative to its working directory. */
  outDir: 'output',
  /** What a build writes when it is not told: both the HTML and the PDF of every brief. */
  formats: ['html', 'pdf'],
  /** Milliseconds one brief may take to load and print before it is stopped. */
  printTimeoutMs: 60_000,
  /**
   * Pages printed at once, at most: each is a browser tab, and the browser shares the
   * machine with the build, so a single core prints one at a time.
   */
  concurrency: 2,
  /** Where `brief serve` listens: this machine only, so unpublished briefs stay on it. */
  serveHost: '127.0.0.1',
  servePort: 4000,
} as const;

/** What one brief is rendered with: its own `template`, `label` and `lang`, else the configuration's, else the defaults. */
export function briefSettings(brief: Pick<Brief, 'template' | 'label' | 'lang'>, config: Config): { template: string; label: string; lang: string } {
  return {
    template: brief.template ?? config.template ?? DEFAULTS.template,
    label: brief.label ?? config.label ?? DEFAULTS.label,
    lang: brief.lang ?? config.lang ?? DEFAULTS.lang,
  };
}

/** What the site's pages (index, topics, feeds) are made with: the configuration's settings, else the defaults. */
export function siteSettings(config: Config): { template: string; lang: string; title: string } {
  return { template: config.template ?? DEFAULTS.template, lang: config.lang ?? DEFAULTS.lang, title: config.site?.title ?? DEFAULTS.siteTitle };
}

/** The PDF page size: the flag (`--page-size`), else `page_size` in brief.config.yaml, else Letter. */
export function pageSizeOf(flag: 'Letter' | 'A4' | undefined, config: Config): 'Letter' | 'A4' {
  return flag ?? (config.page_size === 'a4' ? 'A4' : config.page_size === 'letter' ? 'Letter' : DEFAULTS.pageSize);
}

/** The formats a build writes: the flag's (`--html-only`, `--pdf-only`), else both. */
export function formatsOf(flag: readonly ('html' | 'pdf')[] | undefined): readonly ('html' | 'pdf')[] {
  // A script calling build() is not type-checked at run time: an unknown format would build nothing and say ok.
  const unknown = (flag ?? []).filter((f) => f !== 'html' && f !== 'pdf');
  if (unknown.length > 0) throw new TypeError(`unknown output format ${unknown.map((f) => JSON.stringify(f)).join(', ')}: formats are "html" and "pdf"`);
  return flag ?? DEFAULTS.formats;
}

/**
 * The DevTools endpoint (ws://… or http://host:port) of a running browser to print with:
 * the flag (`--browser-ws`), else `browser_ws` in brief.config.yaml. Undefined means
 * none: a local browser is launched.
 */
export function browserEndpoint(flag: string | undefined, config: Config): string | undefined {
  return flag ?? config.browser_ws;
}

/**
 * How PDFs are printed: `concurrency` pages at once (the flag, else DEFAULTS.concurrency
 * but no more than `cores`, the machine's available parallelism) and `timeout`, the
 * milliseconds one brief may take (the flag, else DEFAULTS.printTimeoutMs).
 */
export function printSettings(flags: { concurrency?: number; timeout?: number }, cores: number): { concurrency: number; timeout: number } {
  return { concurrency: flags.concurrency ?? Math.min(DEFAULTS.concurrency, cores), timeout: flags.timeout ?? DEFAULTS.printTimeoutMs };
}
