import { build, NO_BRIEFS, type Manifest, type ManifestEntry } from '../project/build.js';
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
  /** brief.config.yaml to read (relative to `cwd`), as `brief build --config`. */
  config?: string;
  /** Chrome or Chromium, passed on to the build as `brief build --browser` would. */
  browser?: string;
  /** Where each build's errors and its "rebuilt" line go (one line per call); each distinct error once per build. */
  log: (line: string) => void;
  /**
   * Told which configuration the build used, in the words `brief build` prints it (`no
   * brief.config.yaml in this folder: the defaults apply`): after the first build, and
   * after a later one only when that changed. Default: not told.
   */
  notice?: (line: string) => void;
  /** Told of each page's print job as soon as the build makes it, before the page is written (to print its PDF ahead). */
  onPrintJob?: (job: PrintJob) => void;
}

/** A brief whose last build failed, and the page its errors show on (none if it never had a slug). */
export interface FailingBrief {
  entry: ManifestEntry;
  slug?: string;
}

/**
 * Builds the briefs into the preview's folder and remembers, per page (by slug), what the
 * last build said about it. `rebuild()` is the only thing that changes that memory; the
 * server reads it with `failure()`, `failing()`, `gone()` and `printJob()`.
 */
export class BuiltPages {
  /** Each page of the last build, by slug: its brief's manifest entry. */
  #pages = new Map<string, ManifestEntry>();
  /** The briefs of the last build that failed, in the manifest's order. */
  #failing: FailingBrief[] = [];
  /** Every slug any build had a page for: one not in the last build is gone, though its file stays. */
  readonly #seen = new Set<string>();
  /** Each source's slug when it last built: a file too broken to read still has its page. */
  #lastSlug = new Map<string, string>();
  /** Each brief's print job from the build that last rendered it, by slug. */
  readonly #jobs = new Map<string, PrintJob>();
  /** The configuration notices of the last build, as told (one string, to compare). */
  #notices = '';

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
    const notices: string[] = [];
    const manifest = await build({
      cwd: this.options.cwd,
      inputs: this.options.inputs,
      outDir: this.options.folder,
      formats: ['html'],
      templates: this.options.templates,
      config: this.options.config,
      browser: this.options.browser,
      // The preview's folder is private to this machine and served on loopback: briefs
      // under embargo are previewed like the others.
      embargoed: 'output',
      // The folder is removed when serve stops: nothing in it needs to survive a crash.
      flush: false,
      notice: (line) => notices.push(line),
      // The page's print job, as `brief build` would print it.
      onPrintJob: (_source, job) => {
        jobs.set(job.name.replace(/\.html$/, ''), job);
        this.options.onPrintJob?.(job);
      },
    });
    // A brief not rendered again (unchanged, or failed) keeps its last job.
    for (const [slug, job] of jobs) this.#jobs.set(slug, job);
    this.#record(manifest);
    this.#tell(notices);
    this.#report(manifest, Date.now() - started);
    return manifest;
  }

  /** The manifest entry (source and errors) of the page's brief if its last build failed; else undefined. */
  failure(slug: string): ManifestEntry | undefined {
    const entry = this.#pages.get(slug);
    return entry && !entry.ok ? entry : undefined;
  }

  /** The briefs whose last build failed, each with the slug of its page if it has one. */
  failing(): readonly FailingBrief[] {
    return this.#failing;
  }

  /**
   * Whether the page was built once but not by the last build: its brief was removed, or
   * its slug changed. Its file is still in the folder; it is not to be served.
   */
  gone(slug: string): boolean {
    return this.#seen.has(slug) && !this.#pages.has(slug);
  }

  /**
   * The print job of the page's last successful render, which prints the PDF a build
   * publishes; undefined if the page was never rendered, is gone, or its brief's last
   * build failed (its PDF would be a stale one).
   */
  printJob(slug: string): PrintJob | undefined {
    return this.#pages.get(slug)?.ok ? this.#jobs.get(slug) : undefined;
  }

  /** Each brief's page (its slug, or the one it last built with) and whether it failed; what is not in `manifest` is forgotten. */
  #record(manifest: Manifest): void {
    const pages = new Map<string, ManifestEntry>();
    const lastSlug = new Map<string, string>();
    const failing: FailingBrief[] = [];
    for (const brief of manifest.briefs) {
      const slug = brief.slug ?? this.#lastSlug.get(brief.source);
      const built = brief.ok && brief.slug ? brief.slug : this.#lastSlug.get(brief.source);
      if (built) lastSlug.set(brief.source, built);
      if (!brief.ok) failing.push(slug ? { entry: brief, slug } : { entry: brief });
      // Of two briefs on one slug (a clash), the page shows the one that failed.
      if (slug && pages.get(slug)?.ok !== false) pages.set(slug, brief);
    }
    for (const slug of pages.keys()) this.#seen.add(slug);
    this.#pages = pages;
    this.#lastSlug = lastSlug;
    this.#failing = failing;
  }

  /** The configuration notices, when they are not the ones told after the last build. */
  #tell(notices: readonly string[]): void {
    const said = notices.join('\n');
    if (said === this.#notices) return;
    this.#notices = said;
    for (const line of notices) this.options.notice?.(line);
  }

  #report(manifest: Manifest, ms: number): void {
    const { log } = this.options;
    // An incident file's own problems belong to no brief page: the log is where they show.
    const entries = [...manifest.briefs, ...(manifest.files ?? [])];
    // One problem can stop every brief (brief.config.yaml, places.yaml, a template): each
    // entry carries it, but it is printed once, as `brief build` prints it.
    const lines = new Set(entries.flatMap((entry) => (entry.errors ?? []).map((e) => formatDiagnostic({ ...e, severity: 'error' }))));
    for (const line of lines) log(line);
    log(`rebuilt ${manifest.briefs.length} brief(s) in ${ms} ms`);
    if (manifest.briefs.length === 0) log(NO_BRIEFS);
  }
}
