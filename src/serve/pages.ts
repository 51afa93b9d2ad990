import { build, type Manifest, type ManifestEntry } from '../project/build.js';
import { formatDiagnostic } from '../core/diagnostics.js';
import type { PrintJob } from '../print/pdf.js';

/*
 * The preview's pages: what `brief build` writes (HTML only), in a folder of the preview's
 * own, and what the server needs to know about each page beyond its file: the errors of
 * its brief's last build, shown over the last good page, and the print job its PDF
 * preview is printed from.
 */

export interface BuiltPagesOptions {
  /** Where the project's relative paths start (absolute). */
  cwd: string;
  /** Brief files or folders of them, relative to `cwd`, as `brief build` takes them. */
  inputs: readonly string[];
  /** The folder the pages are written to (absolute); the preview's own, removed when it stops. */
  folder: string;
  /** A folder of templates overriding the bundled ones (relative to `cwd`), as `brief build --templates`. */
  templates?: string;
  /** Chrome or Chromium, passed on to the build as `brief build --browser` would. */
  browser?: string;
  /** Where each build's errors and its "rebuilt" line go (one line per call). */
  log: (line: string) => void;
}

/**
 * Builds the briefs into the preview's folder and remembers, per page (by slug), what the
 * last build said about it. `rebuild()` is the only thing that changes that memory; the
 * server reads it with `failure()` and `printJob()`.
 */
export class BuiltPages {
  /** The manifest entry of each brief whose last build failed, by slug. */
  readonly #failed = new Map<string, ManifestEntry>();
  /** Each source's slug when it last built: a file too broken to read still has its page. */
  readonly #lastSlug = new Map<string, string>();
  /** Each brief's print job from the build that last rendered it, by slug. */
  readonly #jobs = new Map<string, PrintJob>();

  constructor(private readonly options: BuiltPagesOptions) {}

  /** The folder the pages are in (absolute). */
  get folder(): string {
    return this.options.folder;
  }

  /**
   * Builds every brief again (milliseconds each; a series shares its counts; only files
   * whose content changed are rewritten), records each page's errors and print job, and
   * logs the errors and a `rebuilt N brief(s) in T ms` line.
   * @returns The build's manifest.
   * @throws What `build()` throws (a folder that cannot be written, say); nothing is recorded then.
   */
  async rebuild(): Promise<Manifest> {
    const started = Date.now();
    const jobs = new Map<string, PrintJob>();
    const manifest = await build({
      cwd: this.options.cwd,
      inputs: this.options.inputs,
      outDir: this.options.folder,
      formats: ['html'],
      templates: this.options.templates,
      browser: this.options.browser,
      log: () => undefined,
      // The page's print job, as `brief build` would print it.
      onPrintJob: (_source, job) => jobs.set(job.name.replace(/\.html$/, ''), job),
    });
    // A brief not rendered again (unchanged, or failed) keeps its last job.
    for (const [slug, job] of jobs) this.#jobs.set(slug, job);
    for (const brief of manifest.briefs) this.#record(brief);
    this.#report(manifest, Date.now() - started);
    return manifest;
  }

  /** The manifest entry (source and errors) of the page's brief if its last build failed; else undefined. */
  failure(slug: string): ManifestEntry | undefined {
    return this.#failed.get(slug);
  }

  /**
   * The print job of the page's last successful render, which prints the PDF a build
   * publishes; undefined if the page was never rendered or its brief's last build failed
   * (its PDF would be a stale one).
   */
  printJob(slug: string): PrintJob | undefined {
    return this.#failed.has(slug) ? undefined : this.#jobs.get(slug);
  }

  #record(brief: ManifestEntry): void {
    const slug = brief.slug ?? this.#lastSlug.get(brief.source);
    if (brief.ok && brief.slug) this.#lastSlug.set(brief.source, brief.slug);
    if (slug && !brief.ok) this.#failed.set(slug, brief);
    else if (slug) this.#failed.delete(slug);
  }

  #report(manifest: Manifest, ms: number): void {
    const { log } = this.options;
    for (const brief of manifest.briefs) for (const e of brief.errors ?? []) log(formatDiagnostic({ ...e, severity: 'error' }));
    // An incident file's own problems belong to no brief page: the log is where they show.
    for (const file of manifest.files ?? []) for (const e of file.errors ?? []) log(formatDiagnostic({ ...e, severity: 'error' }));
    log(`rebuilt ${manifest.briefs.length} brief(s) in ${ms} ms`);
  }
}
