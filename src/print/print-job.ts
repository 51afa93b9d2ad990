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

/** A content-named file of the project (the logo, a font file): its output-relative path and bytes. */
export interface Asset {
  key: string;
  bytes: Uint8Array;
}

/** The content-named logo read from brief.config.yaml's `logo`. */
export type Logo = Asset;

/**
 * What a page links to, by output-relative path (assets/<name>.<hash>.<ext>): its
 * template's assets, then the logo when there is one, then the project's font files
 * (brief.config.yaml fonts.files), then the brief's own images. The template's own map
 * is returned as it is when there is none of these.
 */
export function pageAssets<T extends Uint8Array>(
  templateAssets: ReadonlyMap<string, T>,
  logo: { key: string; bytes: T } | undefined,
  fonts: readonly { key: string; bytes: T }[] = [],
  images?: ReadonlyMap<string, T>,
): ReadonlyMap<string, T> {
  if (!logo && fonts.length === 0 && !images?.size) return templateAssets;
  return new Map([...templateAssets, ...(logo ? [[logo.key, logo.bytes] as const] : []), ...fonts.map((f) => [f.key, f.bytes] as const), ...(images ?? [])]);
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
  /** The project's font files (brief.config.yaml fonts.files), content-named like the logo: printing has no file access, so their bytes travel with the job. */
  fonts?: readonly Asset[];
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
export function printJobOf({ brief: c, html, templateAssets, logo, fonts, images, config, version }: PrintJobInput): PrintJob {
  return {
    name: `${c.slug}.html`,
    html,
    assets: pageAssets(templateAssets, logo, fonts, images),
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
