import type { Config } from '../core/config.js';
import type { Brief } from '../core/schema.js';
import { briefSettings } from '../core/settings.js';
import type { PrintJob } from './pdf.js';

/*
 * How a brief is printed, defined once: `brief build` prints its PDFs from these jobs and
 * hands the same jobs to `brief serve` (BuildOptions.onPrintJob), so a preview PDF is the
 * PDF a build publishes: same page, same assets, same metadata.
 */

/** What a print job needs of a brief that compiled without errors (a CompiledBrief ready to render). */
export interface PrintableBrief {
  slug: string;
  brief: Brief;
  /** The summary as plain text: the PDF's subject. */
  summaryText?: string;
}

/** The content-named logo read from brief.config.yaml's `logo`: its output-relative path and bytes. */
export interface Logo {
  key: string;
  bytes: Uint8Array;
}

/**
 * What a page links to, by output-relative path (assets/<name>.<hash>.<ext>): its
 * template's assets, then the logo when there is one, then the brief's own images. The
 * template's own map is returned as it is when there is neither.
 */
export function pageAssets<T extends Uint8Array>(
  templateAssets: ReadonlyMap<string, T>,
  logo: { key: string; bytes: T } | undefined,
  images?: ReadonlyMap<string, T>,
): ReadonlyMap<string, T> {
  if (!logo && !images?.size) return templateAssets;
  return new Map([...templateAssets, ...(logo ? [[logo.key, logo.bytes] as const] : []), ...(images ?? [])]);
}

/** What printJobOf makes a job from. */
export interface PrintJobInput {
  brief: PrintableBrief;
  /**
   * Makes the brief's HTML document when its turn to print comes, so a run does not hold
   * every page at once. Called once per print attempt.
   */
  html: () => string;
  /** The assets of the template the brief is rendered with (output-relative path to bytes). */
  templateAssets: ReadonlyMap<string, Uint8Array>;
  logo?: Logo;
  /** The brief's local images (output-relative path to bytes): printing has no other way to them. */
  images?: ReadonlyMap<string, Uint8Array>;
  config: Config;
  /** flashbrief's version, recorded as the PDF's creator. */
  version: string;
}

/**
 * A brief's print job: its HTML file name (`<slug>.html`, for messages), the HTML, the
 * assets it links to (pageAssets: the template's, the logo, the brief's images) and the PDF's metadata (title, authors, subject,
 * keywords, date, creator and language; the language as briefSettings resolves it).
 * Pure: nothing is rendered until the job's `html` is called.
 */
export function printJobOf({ brief: c, html, templateAssets, logo, images, config, version }: PrintJobInput): PrintJob {
  return {
    name: `${c.slug}.html`,
    html,
    assets: pageAssets(templateAssets, logo, images),
    metadata: {
      title: c.brief.title,
      authors: (c.brief.authors ?? []).map((a) => a.name),
      subject: c.summaryText,
      keywords: c.brief.topics ?? [],
      date: c.brief.date,
      creator: `flashbrief ${version}`,
      lang: briefSettings(c.brief, config).lang,
    },
    siteUrl: config.site?.url,
  };
}
