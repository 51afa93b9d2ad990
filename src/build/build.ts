import { existsSync } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { describeTarget, findBrowser, ManagedBrowser, type BrowserLocation, type BrowserTarget } from '../print/browser.js';
import { finishBrief, parseBrief, renderPage, type CompiledBrief, type CompileContext, type Renderable } from '../page/compile.js';
import { CONFIG_FILE, limitsOf, parseConfig, type Config } from '../core/config.js';
import { configFile, folderLayout } from './layout.js';
import { incidentFileProblems, parseIncidentFile, parsePlaces, type Collection, type ParsedBrief, type ParsedPlaces } from '../core/collection.js';
import { hasErrors, type Diagnostic, type YamlPositions } from '../core/diagnostics.js';
import { displayPath, findBriefFiles, OutputError, readText, writeOutput, yamlFilesIn, type ReadTextOptions } from './files.js';
import type { PrintJob } from '../print/pdf.js';
import { createPageRenderer, isEmbargoed, isTemplateException, type PageRenderer } from '../page/renderer.js';
import { createIndexRenderer, siteFiles, type SiteBrief } from '../site/site.js';
import type { Brief, Place } from '../core/schema.js';
import type { Tally } from '../core/tally.js';
import { BUNDLED_TEMPLATES, hashedName, loadTemplates, type Template } from './templates.js';
import { VERSION } from './version.js';
import { BuildCache } from './cache.js';
import { contentKey } from '../core/content-key.js';
import { untimed, type Profile } from './profile.js';
import { briefSettings, pageSizeOf, siteSettings } from '../core/settings.js';

export type Format = 'html' | 'pdf';

export interface BuildOptions {
  /** Brief files or folders of them. Default: briefs/. */
  inputs?: readonly string[];
  /** Where relative paths start. Default: the process's working directory. */
  cwd?: string;
  /** Default: output/. */
  outDir?: string;
  /** Default: both. */
  formats?: readonly Format[];
  pageSize?: 'Letter' | 'A4';
  /** Path of a Chrome or Chromium to use instead of looking for one. */
  browser?: string;
  /** A running browser's DevTools endpoint (ws://… or http://host:port) to print with instead of launching one. */
  browserWs?: string;
  /** Pages printed at once. Default: 2, or 1 on a single core. */
  concurrency?: number;
  /** Milliseconds one brief may take to print. */
  timeout?: number;
  /** Cancels the run: the browser is closed and nothing half-written is left. */
  signal?: AbortSignal;
  /** A folder of templates whose files override the bundled ones, file by file. */
  templates?: string;
  /** Also write <slug>.fragment.html (the brief alone, scoped) for pasting into a CMS. */
  fragment?: boolean;
  /** The clock embargoes are judged by. Default: now. */
  now?: Date;
  /** Progress lines for people (stderr in the CLI). */
  log?: (line: string) => void;
  /** Rebuild every brief, ignoring what the last build left (the incremental cache). */
  force?: boolean;
  /**
   * Build only part i of n (1-based) of the briefs, for a CI matrix or a batch scheduler.
   * Tallies still count the whole collection, and every shard writes the same site pages,
   * so the outputs of all shards merge into one folder.
   */
  shard?: { index: number; count: number };
  /** Collects time per stage and peak memory (`--profile`). */
  profile?: Profile;
  /**
   * Called with the print job of every brief rendered in this run (by source file), before
   * any is printed: what `serve` prints its PDF previews from, so a preview is the PDF a
   * build publishes.
   */
  onPrintJob?: (source: string, job: PrintJob) => void;
  /** Called once per brief as it is finished (built, unchanged or failed), for progress bars. */
  onBrief?: (entry: ManifestEntry, done: number, total: number) => void;
}

/**
 * A positioned problem as the manifest lists it: the contract's `file`, `line`, `column`
 * and `message`, plus `severity` (added), so an entry keeps its kind wherever it is copied.
 */
export interface ManifestDiagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface ManifestEntry {
  source: string;
  slug: string | null;
  ok: boolean;
  outputs: string[];
  tally?: Tally;
  errors?: ManifestDiagnostic[];
  /** Added to the contract's shape: problems that do not stop the build. */
  warnings?: ManifestDiagnostic[];
  /** Added to the contract's shape: the outputs of the last build still stand (nothing it depends on changed). */
  unchanged?: boolean;
}

/**
 * Added to the contract's shape: a file other than a brief that the run read and checked
 * (an incident file), with its own problems. They are listed here once, not in every
 * brief they concern; a brief they stop says so with an error of its own.
 */
export interface FileEntry {
  source: string;
  ok: boolean;
  errors?: ManifestDiagnostic[];
  warnings?: ManifestDiagnostic[];
}

/** The contract's `brief build --json` shape. */
export interface Manifest {
  ok: boolean;
  briefs: ManifestEntry[];
  /** Added to the contract's shape: every incident file of the folders, checked (brief-format "Every file is checked"). */
  files?: FileEntry[];
  /** Added to the contract's shape: the site pages, feeds and sitemap written. */
  site?: string[];
  /** Added to the contract's shape: the shared, content-named assets the pages use. */
  assets?: string[];
  /** Added to the contract's shape: problems of the run rather than of one brief (an index that could not be written). */
  errors?: string[];
  /** Added to the contract's shape, with --profile: milliseconds per stage and peak memory. */
  profile?: ReturnType<Profile['summary']>;
}

const toManifestDiagnostic = ({ file, line, column, message, severity }: Diagnostic): ManifestDiagnostic => ({ file, line, column, message, severity });

/** A brief that compiled without errors: ready to write. */
type Ready = CompiledBrief & { renderable: Renderable; slug: string; brief: Brief };

interface Prepared {
  config: Config;
  /** brief.config.yaml has no errors (or there is none). */
  configOk: boolean;
  logo?: { key: string; bytes: Buffer };
  cwd: string;
  compiled: CompiledBrief[];
  everyBrief: CompiledBrief[];
  templates: Map<string, Template>;
  places: Place[];
  /** The incident files beside the briefs' folders, each once with its own problems. */
  files: FileEntry[];
}

/**
 * Finds and reads every brief, and with them what their tallies may draw on: the other
 * briefs of their folder (series), incidents/*.yaml and places.yaml beside that folder.
 * Then the pure core runs per brief, and clashing slugs are rejected.
 */
async function prepare(options: BuildOptions, pages: boolean, fresh?: (slug: string, key: string) => boolean): Promise<Prepared> {
  const time = options.profile?.time ?? untimed;
  const cwd = options.cwd ?? process.cwd();
  const all = await findBriefFiles(options.inputs ?? ['briefs'], cwd);
  // Round robin over the files in a fixed order: every shard gets its share, deterministically.
  const { shard } = options;
  const files = shard ? all.filter((_, i) => i % shard.count === shard.index - 1) : all;
  const templates = await loadTemplates(options.templates ? [path.resolve(cwd, options.templates), BUNDLED_TEMPLATES] : [BUNDLED_TEMPLATES], { cwd });
  // A template with errors renders nothing: the briefs that use it fail with its errors.
  const pageRenderers = new Map<string, PageRenderer>([...templates].filter(([, t]) => !hasErrors(t.diagnostics)).map(([name, t]) => [name, createPageRenderer(t)]));
  const templateDiagnostics = new Map([...templates].filter(([, t]) => t.diagnostics.length > 0).map(([name, t]) => [name, t.diagnostics]));
  const configPath = configFile(cwd);
  const configText = await readOptional(configPath, { shown: displayPath(configPath, cwd), signal: options.signal });
  const { config, diagnostics: configProblems, source: configSource } = readConfig(configText, displayPath(configPath, cwd));
  const limits = limitsOf(config);
  /** Reading options for an input file: abortable, and refused past the size limit before reading. */
  const reading = (file: string) => ({ shown: displayPath(file, cwd), signal: options.signal, maxChars: limits.fileChars });
  if (config.template !== undefined && !templates.has(config.template)) {
    configProblems.push((configSource as YamlPositions).error(['template'], `template "${config.template}" does not exist; available: ${[...templates.keys()].sort().join(', ')}`));
  }
  // The logo is read once and becomes a content-named asset like the template's own.
  let logo: { key: string; bytes: Buffer } | undefined;
  if (config.logo) {
    const bytes = await readFile(path.resolve(cwd, config.logo)).catch(() => undefined);
    if (bytes) logo = { key: `assets/${hashedName(path.basename(config.logo), bytes)}`, bytes };
    else configProblems.push((configSource as YamlPositions).error(['logo'], `logo ${config.logo} does not exist (paths are relative to ${displayPath(cwd, process.cwd()) || '.'})`));
  }
  // A template's fingerprint covers its text and, through their content-named keys, its assets.
  const fingerprints = new Map(
    [...templates].map(([name, t]) => [name, contentKey({ layout: t.layout, index: t.index, partials: t.partials, assets: [...t.assets.keys()].sort() })]),
  );
  const context: CompileContext = {
    pageRenderers,
    templateDiagnostics,
    pages,
    time,
    cache: fresh && { fingerprint: (name) => fingerprints.get(name) ?? '', fresh },
    fragment: options.fragment === true,
    options: {
      pageSize: pageSizeOf(options.pageSize, config),
      generator: `flashbrief ${VERSION}`,
      config,
      pdf: (options.formats ?? ['html', 'pdf']).includes('pdf'),
      now: options.now ?? new Date(),
      logo: logo?.key,
    },
  };

  const parsed = new Map<string, ParsedBrief>();
  /**
   * One brief read and parsed inside its own boundary: whatever goes wrong becomes that
   * brief's error, and the others go on. Only Ctrl-C stops the run.
   */
  const read = async (file: string) => {
    options.signal?.throwIfAborted();
    const existing = parsed.get(file);
    if (existing) return existing;
    const shown = displayPath(file, cwd);
    let brief: ParsedBrief;
    try {
      const text = await readText(file, reading(file));
      brief = 'text' in text ? parseBrief(text.text, shown, limits, time) : unreadable(shown, text.diagnostic);
    } catch (err) {
      if (options.signal?.aborted) throw err;
      brief = unreadable(shown, internalError(shown, err));
    }
    parsed.set(file, brief);
    return brief;
  };
  const collections = new Map<string, Collection>();
  for (const folder of new Set(files.map((f) => path.dirname(f)))) {
    const layout = folderLayout(folder);
    const placesFile = layout.places;
    const placesText = await readOptional(placesFile, reading(placesFile));
    collections.set(folder, {
      briefs: await Promise.all((await yamlFilesIn(folder)).map(read)),
      incidentFiles: await Promise.all(
        (await yamlFilesIn(layout.incidents)).map(async (f) => {
          const text = await readText(f, reading(f));
          const shown = displayPath(f, cwd);
          return 'text' in text ? parseIncidentFile(text.text, shown) : { ...parseIncidentFile('', shown), diagnostics: [text.diagnostic] };
        }),
      ),
      places: placesText === undefined ? undefined : readPlaces(placesText, displayPath(placesFile, cwd)),
      shared: configProblems,
    });
  }
  const compiled: CompiledBrief[] = [];
  for (const file of files) {
    const parsed = await read(file);
    try {
      compiled.push(finishBrief(parsed, collections.get(path.dirname(file)) as Collection, context));
    } catch (err) {
      // A bug met by one brief must not take the others down: it fails alone, said plainly.
      compiled.push({ file: parsed.file, diagnostics: [...parsed.diagnostics, internalError(parsed.file, err)] });
    }
  }
  rejectSlugClashes(compiled);
  const places = [...collections.values()].flatMap((c) => c.places?.places ?? []);
  // The site lists every brief of the folders, built in this run or not: building one
  // brief must not shrink the index to one entry.
  const byFile = new Map(compiled.map((c) => [c.file, c]));
  const siblings = { ...context, pages: false };
  const everyBrief = [...collections.values()].flatMap((collection) =>
    collection.briefs.map((b) => {
      const built = byFile.get(b.file);
      if (built) return built;
      try {
        return finishBrief(b, collection, siblings);
      } catch {
        return { file: b.file, diagnostics: [] } as CompiledBrief;
      }
    }),
  );
  const incidentFiles = [...collections.values()].flatMap((collection) => incidentFileProblems(collection).map(({ file, diagnostics }) => fileEntry(file, diagnostics)));
  return { config, configOk: !hasErrors(configProblems), cwd, compiled, everyBrief, templates, places, logo, files: incidentFiles };
}

function fileEntry(source: string, diagnostics: readonly Diagnostic[]): FileEntry {
  const problems = problemsOf(diagnostics);
  return { source, ok: !problems.errors, ...problems };
}

/** The `files` key of a manifest: present when the folders have incident files. */
const filesPart = (files: FileEntry[]) => (files.length > 0 ? { files } : {});

/** The configuration, or none: the project runs without one. */
function readConfig(text: ReadResult | undefined, file: string): { config: Config; diagnostics: Diagnostic[]; source?: YamlPositions } {
  if (text === undefined) return { config: {}, diagnostics: [] };
  return 'text' in text ? parseConfig(text.text, file) : { config: {}, diagnostics: [text.diagnostic] };
}

function readPlaces(text: ReadResult, file: string): ParsedPlaces {
  return 'text' in text ? parsePlaces(text.text, file) : { ...parsePlaces('[]', file), diagnostics: [text.diagnostic] };
}

type ReadResult = Awaited<ReturnType<typeof readText>>;

/** A file the project may do without (brief.config.yaml, places.yaml): undefined when there is none. */
async function readOptional(file: string, options: ReadTextOptions): Promise<ReadResult | undefined> {
  // lstat, so a link that points nowhere is reported rather than taken for no file.
  const exists = await lstat(file).then(
    () => true,
    () => false,
  );
  return exists ? readText(file, options) : undefined;
}

/** A brief whose bytes are not text: it has an error and nothing else. */
function unreadable(file: string, diagnostic: Diagnostic): ParsedBrief {
  return { ...parseBrief('', file), data: undefined, diagnostics: [diagnostic] };
}

/**
 * A page that could not be rendered. Templates are checked before any brief is rendered,
 * but what depends on the data (a partial chosen at run time) can still fail: that is the
 * template's mistake, said as such; anything else is a bug of ours.
 */
function renderFailure(file: string, err: unknown): Diagnostic {
  // A stack overflow while rendering is a template that includes itself in a way the check could not see.
  const overflow = err instanceof RangeError && /call stack/i.test(err.message);
  if (!isTemplateException(err) && !overflow) return internalError(file, err);
  return { file, line: 1, column: 1, message: `the template could not render this brief: ${err.message.split('\n')[0]}`, severity: 'error' };
}

/**
 * A bug in flashbrief met while handling one brief: that brief fails with words that say
 * it is ours to fix (and the first line of the stack, for the report), the others go on.
 */
export function internalError(file: string, err: unknown): Diagnostic {
  const e = err instanceof Error ? err : new Error(String(err));
  const where = e.stack?.split('\n').find((l) => l.trim().startsWith('at '))?.trim();
  return {
    file,
    line: 1,
    column: 1,
    message: `unexpected error in flashbrief while handling this brief (please report it): ${e.name}: ${e.message}${where ? ` (${where})` : ''}`,
    severity: 'error',
  };
}

/** Two briefs writing the same file would silently overwrite each other. */
function rejectSlugClashes(compiled: CompiledBrief[]): void {
  const first = new Map<string, CompiledBrief>();
  for (const c of compiled) {
    if (!c.slug) continue;
    const earlier = first.get(c.slug);
    if (!earlier) {
      first.set(c.slug, c);
      continue;
    }
    c.diagnostics.push({
      file: c.file,
      ...(c.slugAt ?? { line: 1, column: 1 }),
      message: `slug "${c.slug}" is already used by ${earlier.file}; give this brief its own slug`,
      severity: 'error',
    });
    delete c.renderable;
  }
}

function entryFor(c: CompiledBrief, outputs: string[], extra: Diagnostic[] = []): ManifestEntry {
  const problems = problemsOf([...c.diagnostics, ...extra]);
  const entry: ManifestEntry = { source: c.file, slug: c.slug ?? null, ok: !problems.errors, outputs };
  if (c.cached) entry.unchanged = true;
  if (c.tally) entry.tally = c.tally;
  return { ...entry, ...problems };
}

/** Diagnostics as the manifest lists them: `errors` and `warnings`, each only when there are any. */
function problemsOf(diagnostics: readonly Diagnostic[]): { errors?: ManifestDiagnostic[]; warnings?: ManifestDiagnostic[] } {
  const errors = diagnostics.filter((d) => d.severity === 'error').map(toManifestDiagnostic);
  const warnings = diagnostics.filter((d) => d.severity === 'warning').map(toManifestDiagnostic);
  return { ...(errors.length > 0 ? { errors } : {}), ...(warnings.length > 0 ? { warnings } : {}) };
}

/**
 * Every brief compiled but not rendered, with the places beside them: what `brief tally`
 * and `brief export` count from, the same records a build counts.
 */
export async function analyze(options: Omit<BuildOptions, 'formats' | 'outDir'> = {}): Promise<{ compiled: CompiledBrief[]; places: Place[] }> {
  const { compiled, places } = await prepare(options, false);
  return { compiled, places };
}

/** Validates every brief without writing anything: what `brief check` runs. */
export async function check(options: Omit<BuildOptions, 'formats' | 'outDir'> = {}): Promise<Manifest> {
  const { compiled, files } = await prepare(options, false);
  const briefs = compiled.map((c) => entryFor(c, []));
  return { ok: briefs.every((b) => b.ok) && files.every((f) => f.ok), briefs, ...filesPart(files) };
}

/**
 * One run: every brief is compiled; those without errors are written as HTML and/or PDF.
 * A brief is written only when all its formats succeeded, each file atomically, so a
 * failed brief keeps its previous outputs and never leaves a half-written file.
 */
export async function build(options: BuildOptions = {}): Promise<Manifest> {
  const formats = new Set(options.formats ?? ['html', 'pdf']);
  const log = options.log ?? (() => undefined);
  // Look for a local browser up front. Missing, it is an error (with instructions) only
  // once there is something to print and no remote browser, which the configuration
  // read below may name.
  const location = formats.has('pdf') && !options.browserWs ? await findBrowser({ explicit: options.browser }).catch((err: unknown) => err as Error) : undefined;

  const profile = options.profile;
  const time = profile?.time ?? untimed;
  const outDir = path.resolve(options.cwd ?? process.cwd(), options.outDir ?? 'output');
  /** The files a brief leaves in the output folder, relative to it. */
  const outputsOf = (slug: string) => [
    ...(formats.has('html') ? [`${slug}.html`] : []),
    ...(options.fragment ? [`${slug}.fragment.html`] : []),
    ...(formats.has('pdf') ? [`${slug}.pdf`] : []),
  ];
  const cache = await BuildCache.open(outDir, options.force !== true, options.shard && `${options.shard.index}-of-${options.shard.count}`);
  if (cache.damaged) log(`${displayPath(path.join(outDir, cache.name), options.cwd ?? process.cwd())} could not be read: every brief is rebuilt`);
  const { config, configOk, cwd, compiled, everyBrief, templates, logo, files } = await prepare(options, true, (slug, key) => cache.fresh(slug, key, outputsOf(slug)));
  const out = (rel: string) => path.join(outDir, rel);
  const shown = (rel: string) => displayPath(out(rel), cwd);

  const ready = compiled.filter((c): c is Ready => c.renderable !== undefined && c.slug !== undefined && c.brief !== undefined);
  const entries = new Map<CompiledBrief, ManifestEntry>(compiled.map((c) => [c, entryFor(c, [])]));
  let done = 0;
  const finished = (c: CompiledBrief, entry: ManifestEntry) => {
    entries.set(c, entry);
    options.onBrief?.(entry, ++done, compiled.length);
  };
  for (const c of compiled) {
    if (c.cached && c.slug) {
      // Unchanged since the last build: its outputs stand as they are.
      finished(c, entryFor(c, outputsOf(c.slug).map(shown)));
      log(`unchanged ${c.file}`);
    } else if (hasErrors(c.diagnostics) || !('html' in c)) {
      if (c.slug) cache.forget(c.slug);
      finished(c, entryFor(c, []));
    }
  }

  const templateOf = (c: Ready) => templates.get(briefSettings(c.brief, config).template) as Template;
  /** What a page links to: its template's assets and the logo. */
  const assetsOf = (template: Template) => (logo ? new Map([...template.assets, [logo.key, logo.bytes]]) : template.assets);
  /**
   * How a brief is printed: its page, the assets it links to and the PDF's metadata. The
   * one definition, so serve's preview PDF is the PDF a build publishes.
   */
  const printJobOf = (c: Ready, page: (c: Ready) => string = (r) => renderPage(r, 'page', time) as string): PrintJob => ({
    name: `${c.slug}.html`,
    html: () => page(c),
    assets: assetsOf(templateOf(c)),
    metadata: {
      title: c.brief.title,
      authors: (c.brief.authors ?? []).map((a) => a.name),
      subject: c.summaryText,
      keywords: c.brief.topics ?? [],
      date: c.brief.date,
      creator: `flashbrief ${VERSION}`,
      lang: briefSettings(c.brief, config).lang,
    },
  });
  if (options.onPrintJob) for (const c of ready) options.onPrintJob(c.file, printJobOf(c));

  // Assets first: a page is never on disk before the stylesheet and fonts it links to.
  const assets = new Set<string>();
  if (formats.has('html') || options.fragment) {
    for (const template of new Set(ready.map(templateOf))) {
      for (const [rel, bytes] of assetsOf(template)) {
        await writeOutput(out(rel), bytes);
        assets.add(shown(rel));
      }
    }
  }

  /** A brief's files, or, when one cannot be written, an error for that brief alone. */
  // A page is made when it is first needed (to print, or to write) and dropped once
  // written, so a brief printed and written is rendered once, and only the briefs in
  // flight are held.
  const pages = new Map<Ready, string>();
  const pageOf = (c: Ready): string => {
    let page = pages.get(c);
    if (page === undefined) pages.set(c, (page = renderPage(c, 'page', time) as string));
    return page;
  };
  /** A brief that could not be finished: it fails alone, keeping its previous outputs. */
  const fail = (c: Ready, failure: Diagnostic, written: string[] = []) => {
    pages.delete(c);
    finished(c, entryFor(c, written, [failure]));
    cache.forget(c.slug);
  };
  const writeBrief = async (c: Ready, pdf?: Uint8Array) => {
    const files: [string, string | Uint8Array][] = [];
    try {
      if (formats.has('html')) files.push([`${c.slug}.html`, pageOf(c)]);
      const fragment = renderPage(c, 'fragment', time);
      if (fragment !== undefined) files.push([`${c.slug}.fragment.html`, fragment]);
    } catch (err) {
      fail(c, renderFailure(c.file, err));
      return;
    }
    pages.delete(c);
    if (pdf) files.push([`${c.slug}.pdf`, pdf]);
    const written: string[] = [];
    try {
      const write = async () => {
        for (const [rel, data] of files) {
          await writeOutput(out(rel), data);
          written.push(shown(rel));
        }
      };
      await (profile ? profile.timeAsync('write', write) : write());
    } catch (err) {
      if (options.signal?.aborted) throw err;
      const failure = err instanceof OutputError ? { file: c.file, line: 1, column: 1, message: err.describe(cwd), severity: 'error' as const } : internalError(c.file, err);
      fail(c, failure, written);
      return;
    }
    // The record is what lets the next build skip this brief; failing to stamp it only costs a rebuild.
    if (c.cacheKey) await cache.record(c.slug, c.cacheKey, files.map(([rel]) => rel)).catch(() => cache.forget(c.slug));
    finished(c, entryFor(c, written));
    log(`built ${c.file} -> ${written.join(', ')}`);
  };

  const endpoint = options.browserWs ?? config.browser_ws;
  if (!formats.has('pdf') || ready.length === 0) {
    for (const c of ready) await writeBrief(c);
  } else {
    if (location instanceof Error && !endpoint) throw location;
    const target: BrowserTarget = endpoint ? { endpoint } : (location as BrowserLocation);
    log(`printing ${ready.length} PDF(s) with ${describeTarget(target)}`);
    // pdf-lib, like Puppeteer, is loaded only for runs that print.
    const { printAll } = await import('../print/pdf.js');
    const browser = new ManagedBrowser(target, { signal: options.signal, log });
    try {
      const jobs: PrintJob[] = ready.map((c) => printJobOf(c, pageOf));
      const defaultConcurrency = Math.min(2, availableParallelism());
      const started = performance.now();
      const writing = profile?.totals.get('write') ?? 0;
      await printAll(
        browser,
        jobs,
        { concurrency: options.concurrency ?? defaultConcurrency, timeout: options.timeout ?? 60_000, signal: options.signal, log },
        async (index, result) => {
          const c = ready[index] as Ready;
          if (result.ok) await writeBrief(c, result.pdf);
          else fail(c, { file: c.file, line: 1, column: 1, message: result.error, severity: 'error' });
        },
      );
      // Printing's own share of the phase: its wall time less the writes made meanwhile.
      profile?.add('print', performance.now() - started - ((profile.totals.get('write') ?? 0) - writing));
    } finally {
      await browser.close();
    }
  }

  const briefs = compiled.map((c) => entries.get(c) as ManifestEntry);
  const runErrors: string[] = [];
  let site: string[] = [];
  try {
    // The site's pages are made from the configuration (its title, address, template):
    // with errors in it they would be wrong for every brief, so they are left as they were.
    if (formats.has('html') && !configOk) log(`${CONFIG_FILE} has errors: the index, topic pages and feeds are left as they were`);
    else if (formats.has('html')) site = await writeSite();
  } catch (err) {
    // The briefs' own results still count and are reported; the site is the run's problem.
    if (options.signal?.aborted) throw err;
    runErrors.push(err instanceof OutputError ? err.describe(cwd) : `the site index could not be made: unexpected error in flashbrief (please report it): ${(err as Error).message}`);
  }
  await cache.save().catch(() => undefined);
  return {
    ok: briefs.every((b) => b.ok) && files.every((f) => f.ok) && runErrors.length === 0,
    briefs,
    ...filesPart(files),
    ...(site.length > 0 ? { site } : {}),
    ...(assets.size > 0 ? { assets: [...assets].sort() } : {}),
    ...(runErrors.length > 0 ? { errors: runErrors } : {}),
  };

  /** index.html, topic pages and, with a site URL, feeds and sitemap, for every good brief. */
  async function writeSite(): Promise<string[]> {
    const found = templates.get(siteSettings(config).template);
    // A template with errors has failed its briefs already; its index is not attempted.
    const template = found && !hasErrors(found.diagnostics) ? found : undefined;
    const render = template && createIndexRenderer(template);
    if (!template || !render) return [];
    const now = options.now ?? new Date();
    const listings = new Map<string, SiteBrief>();
    for (const c of everyBrief) {
      if (c.brief && c.slug && !hasErrors(c.diagnostics)) {
        // An embargoed brief is built (for editors) but stays out of the index, feeds and sitemap.
        if (!isEmbargoed(c.brief, now)) listings.set(c.file, listingOf(c as CompiledBrief & { brief: Brief; slug: string }));
        continue;
      }
      // A brief with errors keeps its page in the output folder, and so its place on the site.
      const last = cache.lastListing(c.file);
      if (last) {
        listings.set(c.file, last);
        log(`${c.file} has errors: the index and feeds keep its last good version`);
      } else if (cache.damaged) {
        log(`${c.file} has errors, and without a readable build cache its last good version is unknown: it is left off the index and feeds until it builds`);
      }
    }
    cache.setListings(listings);
    if (!config.site?.url) log('no site.url in brief.config.yaml: feeds and sitemap are not written');
    const files = siteFiles([...listings.values()], config, render, template.stylesheet, `flashbrief ${VERSION}`, logo?.key);
    for (const [rel, bytes] of assetsOf(template)) {
      await writeOutput(out(rel), bytes);
      assets.add(shown(rel));
    }
    for (const [rel, text] of files) await writeOutput(out(rel), text);
    return [...files.keys()].map(shown);
  }

  /** How a good brief is listed on the index, topic pages and feeds. */
  function listingOf(c: CompiledBrief & { brief: Brief; slug: string }): SiteBrief {
    return {
        slug: c.slug,
        title: c.brief.title,
        label: briefSettings(c.brief, config).label,
        date: c.brief.date,
        summary: c.summaryText,
        topics: c.brief.topics ?? [],
        authors: (c.brief.authors ?? []).map((a) => a.name),
        tally: c.tally,
        // A shard cannot see the PDFs other shards print; their merged folder will have them.
        pdf: options.shard ? formats.has('pdf') : existsSync(out(`${c.slug}.pdf`)),
        updated: (c.brief.corrections ?? []).map((x) => x.date).sort().at(-1),
    };
  }
}
