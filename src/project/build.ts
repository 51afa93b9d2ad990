import { statSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { lstat, open, readdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { BrowserNotFoundError, describeTarget, findBrowser, ManagedBrowser, type BrowserLocation, type BrowserTarget } from '../print/browser.js';
import { pageAssets, printJobOf } from '../print/print-job.js';
import type { PrintJob } from '../print/pdf.js';
import { renderPage, type CompiledBrief } from '../page/compile.js';
import { embargoLifts, isEmbargoed } from '../page/renderer.js';
import { createIndexRenderer, siteFiles, type SiteBrief } from '../site/site.js';
import { CONFIG_FILE } from '../core/config.js';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../core/diagnostics.js';
import { formatDateTime } from '../core/format.js';
import type { Brief, Place } from '../core/schema.js';
import { briefSettings, browserEndpoint, formatsOf, printSettings, siteSettings } from '../core/settings.js';
import { checkConfiguredFiles, checkEmbargoFolder, checkOutputFolder, inputsOf, projectLayout, within, type ProjectLayout } from './layout.js';
import { displayPath, findBriefFiles, ForeignFileError, OutputError, removeOutput, writeOutput } from './files.js';
import { carriesFlashbriefMark } from './ownership.js';
import type { Template } from './templates.js';
import { VERSION } from './version.js';
import { BuildCache, cacheSizeLimit, type CacheRefusal } from './cache.js';
import { untimed, type Timer } from './profile.js';
import { entryFor, filesPart, type FileEntry, type Manifest, type ManifestEntry } from './manifest.js';
import { printFailure, renderFailure, writeFailure } from './failures.js';
import { isReady, prepare, type Freshness, type Prepared, type Ready } from './prepare.js';
import type { BuildOptions, Format } from './options.js';
import { DANGLING_LINK, stampPath, withInputsNoted, type PathStamp } from './input-log.js';
import { userCacheDir } from './user-cache.js';
import { dropRunRecord, reusableRun, runRecordFile, unchangedManifest, writeRunRecord, type ReusedRun } from './run-record.js';

// The library's build API, importable from here wherever its parts live.
export type { BuildOptions, EmbargoedOutputs, Format } from './options.js';
export type { FileEntry, Manifest, ManifestDiagnostic, ManifestEntry } from './manifest.js';
export { NO_BRIEFS } from './manifest.js';
export { internalError } from './failures.js';

/*
 * A build run, step by step: prepare the project (read and compile every brief, reject
 * clashing slugs: prepare.ts), take briefs under embargo out of the output folder, settle
 * the briefs that will not be written, hand serve the print jobs, write the shared
 * assets, print and write the briefs, write the site, then the manifest. Each step is a
 * function of the run (what it was asked and what it read, fixed once prepared) and its
 * progress (the one state the steps change).
 *
 * Embargo: the output folder is what gets deployed, so a brief under embargo is never
 * written there (but for serve's private preview). It goes to the folder for embargoed
 * briefs when one is given, or nowhere ("held"); the first build after its embargo lifts
 * writes it into the output folder, since its cache key holds its embargo state at the
 * run's clock (compile.ts pageKey), as do the keys of the briefs that link to it.
 */

/** A folder the run writes briefs into, with the record of what earlier builds left there. */
interface Destination {
  /** Absolute. */
  dir: string;
  cache: BuildCache;
}

/** What one build run works with: settled once the project is prepared, then only read. */
interface Run {
  options: BuildOptions;
  formats: ReadonlySet<Format>;
  log: (line: string) => void;
  time: Timer;
  /** The clock embargoes are judged by, read once: every step of the run agrees on it. */
  now: Date;
  /** The output folder, absolute. */
  outDir: string;
  cache: BuildCache;
  /** The output folder as a destination: where every brief not under embargo goes. */
  output: Destination;
  /**
   * Where briefs under embargo go: the folder for them (`--embargoed-out`), the output
   * folder itself (serve's preview: `run.output`), or nowhere.
   */
  embargoed: Destination | 'held';
  project: Prepared;
}

/** What a run has done so far: the only state its steps change, passed to each of them. */
interface Progress {
  /** Each brief's manifest entry; the last one set is the one the manifest lists. */
  entries: Map<CompiledBrief, ManifestEntry>;
  /** How many times a brief was finished (onBrief's count), of `total` briefs. */
  done: number;
  readonly total: number;
  /** The shared assets written, as shown to the user. */
  assets: Set<string>;
  /** Files of a brief an earlier build wrote and this one removed (as shown): see retractEmbargoed. */
  removed: Map<CompiledBrief, string[]>;
  /**
   * The HTML of the briefs in flight. It is made when first needed (to print, or to
   * write) and dropped once written, so a brief printed and written is rendered once and
   * only the briefs in flight are held.
   */
  html: Map<Ready, string>;
  /** The briefs' files written so far, absolute: flushed to disk together at the end (flushWritten). */
  written: string[];
  /** Progress lines that hold as long as the inputs do (a brief held, no feeds): said again by a run that reuses this one. */
  standing: string[];
  /** Paths the site's pages depend on besides the inputs read (each brief's PDF, linked from the index when there): stamped for the record. */
  siteInputs: Map<string, PathStamp>;
}

/** One output file: its path relative to the output folder, and its contents. */
type OutputFile = [string, string | Uint8Array];

/**
 * Every brief compiled but not rendered, with the places beside them: what `brief tally`
 * and `brief export` count from, the same records a build counts. Throws only when the
 * run cannot start (see prepare).
 */
export async function analyze(options: Omit<BuildOptions, 'formats' | 'outDir'> = {}): Promise<{ compiled: CompiledBrief[]; places: Place[]; files: FileEntry[] }> {
  const { compiled, places, files } = await prepare(options, false);
  return { compiled, places, files };
}

/**
 * Validates every brief without writing anything: what `brief check` runs. The manifest
 * lists every brief with its problems (no outputs) and every incident file; `ok` is false
 * when any has an error.
 */
export async function check(options: Omit<BuildOptions, 'formats' | 'outDir'> = {}): Promise<Manifest> {
  const { compiled, files, configFile } = await prepare(options, false);
  const briefs = compiled.map((c) => entryFor(c, []));
  return { ok: briefs.every((b) => b.ok) && files.every((f) => f.ok), briefs, ...filesPart(files), config: configFile };
}

/**
 * One run: every brief is compiled; those without errors are written as HTML and/or PDF.
 * A brief is written only when all its formats succeeded, each file atomically, so a
 * failed brief keeps its previous outputs and never leaves a half-written file. Returns
 * the manifest (paths in it relative to `options.cwd`). A brief's failure is in its
 * entry, a site that cannot be written in `errors`; it throws when the run cannot start
 * (no inputs, no templates, no browser to print with: BrowserNotFoundError, also for an
 * explicit browser setting that names none though nothing needs printing; a remote browser
 * that cannot be reached: BrowserUnreachableError) or is aborted through `options.signal`.
 */
export async function build(options: BuildOptions = {}): Promise<Manifest> {
  const formats = new Set(formatsOf(options.formats));
  const log = options.log ?? (() => undefined);
  // Look for a local browser up front. Missing, it is an error (with instructions) only
  // once there is something to print and no remote browser, which the configuration
  // read below may name.
  const location = formats.has('pdf') && !options.browserWs ? await findBrowser({ explicit: options.browser }).catch((err: unknown) => err as Error) : undefined;
  const layout = projectLayout(options.cwd ?? process.cwd(), options);
  const inputs = inputsOf(layout, options.inputs);
  await checkOutputFolder(layout, inputs);
  const embargoDir = typeof options.embargoed === 'object' ? path.resolve(layout.cwd, options.embargoed.dir) : undefined;
  if (embargoDir !== undefined) await checkEmbargoFolder(layout, inputs, embargoDir);
  const now = options.now ?? new Date();
  const outDir = layout.output;
  const limit = cacheSizeLimit(await briefCount(layout, inputs));
  // Nothing changed since the last run that ended cleanly: its manifest, without a file read (run-record.ts).
  const shardName = options.shard && `${options.shard.index}-of-${options.shard.count}`;
  const recordFile = runRecordFile(outDir, shardName);
  const settings = runSettings(options, layout, inputs, formats, embargoDir);
  // Serve's previews need every print job, and --profile the stages: neither takes nor leaves a record; --force leaves one.
  const recordable = !options.onPrintJob && !options.profile && !(location instanceof Error) && !cacheInOutput(outDir, log);
  const reused = recordable && options.force !== true ? await reusableRun(recordFile, settings, now, limit) : undefined;
  if (reused) return replayRun(reused, options);
  // From here on the last record no longer stands: it goes before anything is written.
  await dropRunRecord(recordFile);
  const cache = await openCache(options, outDir, limit, log);
  const output: Destination = { dir: outDir, cache };
  const embargoed = options.embargoed === 'output' ? output : embargoDir === undefined ? 'held' : { dir: embargoDir, cache: await openCache(options, embargoDir, limit, log) };
  // A brief's last outputs stand only in the folder it goes to now; a held brief has none.
  const fresh: Freshness = (slug, key, underEmbargo) => {
    const to = underEmbargo ? embargoed : output;
    return to !== 'held' && to.cache.fresh(slug, key, outputsOf(formats, options.fragment, slug));
  };
  const notices: string[] = [];
  const notice = options.notice ?? log;
  const { value: project, inputs: read } = await withInputsNoted(() => prepare({ ...options, now, notice: (line) => (notices.push(line), notice(line)) }, true, fresh));
  // The logo and font files are known once the configuration is read; nothing is written yet.
  const configured = [project.config.logo, ...(project.config.fonts?.files ?? [])].flatMap((f) => (f === undefined ? [] : [path.resolve(layout.root, f)]));
  await checkConfiguredFiles(layout, configured, embargoDir);
  const destinations = [output, ...(embargoed !== 'held' && embargoed !== output ? [embargoed] : [])];
  for (const to of destinations) reportDamagedEntries(options, to, log);
  const run: Run = { options, formats, log, time: options.profile?.time ?? untimed, now, outDir, cache, output, embargoed, project };
  const { compiled } = project;
  const progress: Progress = { entries: new Map(compiled.map((c) => [c, entryFor(c, [])])), done: 0, total: compiled.length, assets: new Set(), removed: new Map(), html: new Map(), written: [], standing: [], siteInputs: new Map() };
  const ready = compiled.filter(isReady);

  // Each stage ends by looking at the signal: Ctrl-C stops the run between them too, not
  // only while a page is printing.
  const stopped = () => options.signal?.throwIfAborted();
  let site: Awaited<ReturnType<typeof writeSiteOf>>;
  try {
    await retractEmbargoed(run, progress);
    settleUnwritten(run, progress);
    offerPrintJobs(run, ready);
    await writeBriefAssets(run, progress, ready);
    stopped();
    await printAndWrite(run, progress, ready, location);
    stopped();
    site = await writeSiteOf(run, progress);
    stopped();
    await retractImages(run, progress);
    stopped();
  } catch (err) {
    // Stopped: the briefs written so far are recorded (not pruned, the build is not whole),
    // so the next build need not write them again. Saving is quick and atomic.
    if (options.signal?.aborted) {
      if (options.flush !== false) await flushWritten(destinations.map((d) => d.dir), progress.written);
      for (const { cache: c } of destinations) await c.save().catch(() => undefined);
    }
    throw err;
  }
  // Without its cache files saved, a run is not one a later run may stand on (see writeRunRecord below).
  let saved = true;
  // The briefs' files were written without a flush each: one flush of them all, before the
  // record that vouches for them is saved (see flushWritten).
  if (options.flush !== false) await flushWritten(destinations.map((d) => d.dir), progress.written);
  for (const { dir, cache: c } of destinations) {
    if (everyBriefBuilt(layout.cwd, inputs)) c.prune(new Set(compiled.flatMap((b) => (b.slug ? [b.slug] : []))), new Set(project.everyBrief.map((b) => b.file)));
    // Failing to write the record only costs the next build its shortcuts: said once, not an error.
    // (A folder in its place was said when it was opened.)
    await c.save().catch((err: unknown) => {
      saved = false;
      if (c.refusal?.kind !== 'folder') log(`${cacheName(options, dir, c)} could not be written (${(err as Error).message}): the next build rebuilds every brief`);
    });
  }
  const manifest = manifestOf(run, progress, site);
  if (recordable && saved && endedCleanly(run, manifest)) {
    const written = [...manifest.briefs.flatMap((b) => b.outputs), ...(manifest.site ?? []), ...(manifest.assets ?? [])].map((f) => path.resolve(layout.cwd, f));
    const caches = destinations.map(({ dir, cache: c }) => path.join(dir, c.name));
    const validUntil = Math.min(...project.everyBrief.flatMap((c) => (c.brief && isEmbargoed(c.brief, now) ? [embargoLifts(c.brief) as number] : [])));
    await writeRunRecord(recordFile, {
      settings,
      validUntil: Number.isFinite(validUntil) ? validUntil : undefined,
      inputs: new Map([...read, ...progress.siteInputs]),
      outputs: [...written, ...caches],
      notices,
      standing: progress.standing,
      manifest: unchangedManifest(manifest),
    }).catch(() => undefined);
  }
  return manifest;
}

/**
 * Everything that decides a run's outputs but the files it reads (those are stamped):
 * the version, the folders, the flags. The clock is not here: the record says until
 * when it holds (the first embargo to lift).
 */
function runSettings(options: BuildOptions, layout: ProjectLayout, inputs: readonly string[], formats: ReadonlySet<Format>, embargoDir: string | undefined): unknown {
  const { cwd, root, config, templates, output } = layout;
  return {
    version: VERSION,
    layout: { cwd, root, config, templates, output },
    inputs,
    formats: [...formats].sort(),
    embargoed: options.embargoed === 'output' ? 'output' : (embargoDir ?? 'hold'),
    fragment: options.fragment === true,
    pageSize: options.pageSize ?? null,
    shard: options.shard ?? null,
    browser: options.browser ?? null,
    browserWs: options.browserWs ?? null,
    // The site's lists are sorted in the process's locale (site.ts): another locale, another order.
    locale: new Intl.Collator().resolvedOptions().locale,
  };
}

/**
 * A run whose result a later one may report again: every brief either built (or unchanged)
 * or stopped by its own errors, which the same inputs give again; not one that failed to
 * print or write, nor a site that could not be written, which may go otherwise next time.
 */
function endedCleanly(run: Run, manifest: Manifest): boolean {
  if (manifest.errors !== undefined || run.options.signal?.aborted) return false;
  // manifestOf lists the entries in the order of `compiled`.
  return run.project.compiled.every((c, i) => {
    const entry = manifest.briefs[i];
    return entry !== undefined && entry.ok === !hasErrors(c.diagnostics);
  });
}

/** A progress line that holds as long as the run's inputs do: logged, and kept for the run's record. */
function sayStanding(run: Run, progress: Progress, line: string): void {
  progress.standing.push(line);
  run.log(line);
}

/**
 * Whether the user's cache folder lies in the output folder, which is deployed: the run's
 * record names every input, embargoed briefs too, so none is written there (said once).
 */
function cacheInOutput(outDir: string, log: (line: string) => void): boolean {
  const cache = userCacheDir();
  const inside = within(path.resolve(cache), path.resolve(outDir));
  if (inside) log(`the cache folder ${cache} is inside the output folder, which is deployed: no record of the run is kept there (set FLASHBRIEF_CACHE_DIR elsewhere)`);
  return inside;
}

/** What a run that reuses the record says, with --verbose. */
export const NOTHING_CHANGED = 'nothing changed since the last build';

/** A recorded run's report, given as a run would give it: its notices said again, each brief's entry passed to onBrief. */
function replayRun({ manifest, notices, standing }: ReusedRun, options: BuildOptions): Manifest {
  const notice = options.notice ?? options.log;
  for (const line of notices) notice?.(line);
  for (const line of standing) options.log?.(line);
  // The lines a run that finds every brief unchanged logs (settleUnwritten), then why it read nothing.
  for (const entry of manifest.briefs) if (entry.unchanged) options.log?.(`unchanged ${entry.source}`);
  options.log?.(`${NOTHING_CHANGED}: the last build's report stands (${manifest.briefs.length} brief${manifest.briefs.length === 1 ? '' : 's'}; --force rebuilds)`);
  manifest.briefs.forEach((entry, i) => options.onBrief?.(entry, i + 1, manifest.briefs.length));
  return manifest;
}

/**
 * The run built every brief of its folders (every input is a folder, as by default), not
 * named files only: then a cache entry for a brief it did not meet is for one that is gone.
 * (A shard's cache file holds only its share, which is what the run compiled.)
 */
function everyBriefBuilt(cwd: string, inputs: readonly string[]): boolean {
  return inputs.every((input) => {
    try {
      return statSync(path.resolve(cwd, input)).isDirectory();
    } catch {
      return false;
    }
  });
}

/** The cache file's name as the user is shown it. */
const cacheName = (options: BuildOptions, dir: string, cache: BuildCache): string => displayPath(path.join(dir, cache.name), options.cwd ?? process.cwd());

/**
 * How many briefs the project has, for the cache file's size limit: those of the run's
 * inputs, or of the project's default folders when they hold more (a build of one named
 * file keeps the record of the whole project). None when they cannot be listed.
 */
async function briefCount(layout: ProjectLayout, inputs: readonly string[]): Promise<number> {
  const count = (list: readonly string[]) => findBriefFiles(list, layout.cwd).then((files) => files.length, () => 0);
  return Math.max(await count(inputs), await count(inputsOf(layout, undefined)));
}

/** Why a cache file was not read, in a line. */
function refusalText(refusal: CacheRefusal): string {
  switch (refusal.kind) {
    case 'folder':
      return 'is a folder, not the build\'s record: every brief is rebuilt, and no record is kept until the folder is moved away';
    case 'link':
      return 'is a symbolic link, which is not followed: every brief is rebuilt, and the link is replaced by the build\'s record';
    case 'too large':
      return `is ${megabytes(refusal.bytes)}, more than a record of this project's briefs can be (${megabytes(refusal.limit)} at most), so it is not read: every brief is rebuilt and the record written afresh`;
    case 'unreadable':
      return 'could not be read: every brief is rebuilt';
  }
}

const megabytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/**
 * The incremental cache of a destination folder, its file at most `limit` bytes (see
 * cacheSizeLimit); one that cannot be read means every brief is rebuilt, and the log says so.
 */
async function openCache(options: BuildOptions, outDir: string, limit: number, log: (line: string) => void): Promise<BuildCache> {
  const shard = options.shard && `${options.shard.index}-of-${options.shard.count}`;
  const cache = await BuildCache.open(outDir, { enabled: options.force !== true, shard, limit, signal: options.signal });
  if (cache.refusal) log(`${cacheName(options, outDir, cache)} ${refusalText(cache.refusal)}`);
  return cache;
}

/** Once the briefs have asked for their entries: those found damaged, whose briefs are built again, in one line. */
function reportDamagedEntries(options: BuildOptions, { dir, cache }: Destination, log: (line: string) => void): void {
  const n = cache.damagedEntries;
  if (n > 0) log(`${cacheName(options, dir, cache)} has ${n} damaged ${n === 1 ? 'entry' : 'entries'}: ${n === 1 ? 'its brief is' : 'their briefs are'} built again`);
}

/** The files a brief leaves in the output folder, relative to it. */
function outputsOf(formats: ReadonlySet<Format>, fragment: boolean | undefined, slug: string): string[] {
  return [...(formats.has('html') ? [`${slug}.html`] : []), ...(fragment ? [`${slug}.fragment.html`] : []), ...(formats.has('pdf') ? [`${slug}.pdf`] : [])];
}

/**
 * Whether the build may replace what is at `rel` in a destination, when it differs from
 * what the build would write: only a file an earlier build recorded, or one that carries
 * a flashbrief output's mark (ownership.ts). Anything else was put there by someone else.
 */
const mayReplace = (rel: string, to: Destination) => (existing: Buffer) => to.cache.owns(rel) || carriesFlashbriefMark(rel, existing);

/** The site files left because someone else's file was there; the rest were written. */
class SiteFilesLeft extends Error {
  constructor(
    readonly left: readonly ForeignFileError[],
    readonly written: readonly string[],
  ) {
    super(`${left.length} site file(s) left`);
  }
}

/** A destination-relative path, absolute (in the output folder unless another is named). */
const out = (run: Run, rel: string, to: Destination = run.output): string => path.join(to.dir, rel);

/** A destination-relative path as the user is shown it: relative to the working directory. */
const shown = (run: Run, rel: string, to: Destination = run.output): string => displayPath(out(run, rel, to), run.project.cwd);

/** Whether a brief is under embargo at the run's clock (one that did not validate cannot be known to be). */
const underEmbargo = (run: Run, c: CompiledBrief): c is CompiledBrief & { brief: Brief & { embargo: string } } => c.brief !== undefined && isEmbargoed(c.brief, run.now);

/** Where a brief's files go in this run: the output folder, the folder for embargoed briefs, or nowhere. */
const destinationOf = (run: Run, c: CompiledBrief): Destination | 'held' => (underEmbargo(run, c) ? run.embargoed : run.output);

/** The record of the folder a brief's files go to; none for a held brief. */
const cacheOf = (run: Run, c: CompiledBrief): BuildCache | undefined => {
  const to = destinationOf(run, c);
  return to === 'held' ? undefined : to.cache;
};

/**
 * A brief's entry is final (for now): recorded, and counted for onBrief. A brief under
 * embargo says so and whether it was held; files removed for it are listed.
 */
function finish(run: Run, progress: Progress, c: CompiledBrief, entry: ManifestEntry): void {
  const removed = progress.removed.get(c) ?? [];
  const full: ManifestEntry = {
    ...entry,
    ...(underEmbargo(run, c) ? { embargo: { until: c.brief.embargo, held: destinationOf(run, c) === 'held' } } : {}),
    ...(removed.length > 0 ? { removed } : {}),
  };
  progress.entries.set(c, full);
  run.options.onBrief?.(full, ++progress.done, progress.total);
}

/** "October 25, 2023, 06:00 UTC": an embargo's time, as the page shows it. */
const embargoTime = (brief: { embargo: string }): string => formatDateTime(brief.embargo);

/**
 * Before anything is written, files earlier builds wrote go where the embargo now puts
 * them: a brief under embargo leaves the output folder (it was built before it had its
 * embargo, or before the embargo was moved later), and a brief whose embargo has lifted
 * leaves the folder for embargoed briefs (it is written to the output folder instead).
 * Only files the build's record names, still as the build left them, are removed: a file
 * the build did not write is never deleted. One that stays in the output folder while its
 * brief is under embargo (edited since, or left by a build that kept no record) is a
 * warning at the brief's `embargo` key, since deploying the folder would publish it.
 * Nothing happens in serve's preview, whose folder nobody deploys.
 */
async function retractEmbargoed(run: Run, progress: Progress): Promise<void> {
  if (run.embargoed === run.output) return;
  // A run of named files shares the record with the rest of the folder, so the other
  // briefs are seen to as well; a shard's record holds only its own briefs.
  const briefs = run.options.shard ? run.project.compiled : run.project.everyBrief;
  const ofRun = new Set(run.project.compiled);
  // Two briefs on one slug (a clash, an error of the later one) share its files: those of
  // a slug that a brief outside the embargo also has are that brief's, and stay.
  const slugsOf = (embargoed: boolean) => new Set(run.project.everyBrief.flatMap((c) => (c.slug && c.brief && underEmbargo(run, c) === embargoed ? [c.slug] : [])));
  const [published, withheld] = [slugsOf(false), slugsOf(true)];
  for (const c of briefs) {
    if (!c.slug || !c.brief) continue;
    if (underEmbargo(run, c)) {
      if (published.has(c.slug)) continue;
      const removed = await removeWritten(run, run.output, c.slug);
      run.cache.retract(c.slug, c.file);
      if (removed.length > 0) {
        progress.removed.set(c, removed);
        run.log(`removed ${removed.join(', ')}: ${c.file} is under embargo until ${embargoTime(c.brief)}`);
      }
      for (const warning of await leftoverWarnings(run, c, c.slug)) {
        // A brief of the run reports it with its other problems; another brief of the folder in a notice.
        if (ofRun.has(c)) c.diagnostics.push(warning);
        else (run.options.notice ?? run.log)(formatDiagnostic(warning));
      }
    } else if (run.embargoed !== 'held' && ofRun.has(c) && !hasErrors(c.diagnostics) && !withheld.has(c.slug)) {
      // Published by this run (or never embargoed): its embargoed copy, if a build left one, goes.
      const removed = await removeWritten(run, run.embargoed, c.slug);
      run.embargoed.cache.retract(c.slug, c.file);
      if (removed.length > 0) {
        progress.removed.set(c, removed);
        run.log(`removed ${removed.join(', ')}: ${c.file} is no longer under embargo`);
      }
    }
  }
}

/**
 * After the pages are written: the images of briefs just taken out of the output folder
 * (retractEmbargoed), when no page left there shows them any more. An image is shared by
 * every brief that shows the same bytes, so one is removed only when no brief that stays
 * shows it and no page in the folder (those kept from earlier builds included) names it,
 * and only when it holds exactly the bytes the build made of the project's image. Each
 * is added to the `removed` of the briefs it was for.
 */
async function retractImages(run: Run, progress: Progress): Promise<void> {
  const retracted = [...progress.removed.keys()].filter((c) => underEmbargo(run, c));
  const candidates = new Set(retracted.flatMap((c) => c.images ?? []));
  for (const c of run.project.compiled) if (destinationOf(run, c) === run.output) for (const rel of c.images ?? []) candidates.delete(rel);
  if (candidates.size === 0) return;
  const entries = await readdir(run.outDir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (candidates.size === 0) return;
    if (!entry.isFile() || !entry.name.endsWith('.html')) continue;
    const text = await readFile(path.join(entry.parentPath, entry.name), 'utf8').catch(() => '');
    for (const rel of candidates) if (text.includes(path.posix.basename(rel))) candidates.delete(rel);
  }
  for (const rel of candidates) {
    const bytes = run.project.images.get(rel);
    const there = await readFile(out(run, rel)).catch(() => undefined);
    if (!bytes || !there || !there.equals(bytes)) continue;
    if (!(await removeOutput(run.outDir, out(run, rel)))) continue;
    for (const c of retracted.filter((b) => b.images?.includes(rel))) {
      const entry = progress.entries.get(c);
      if (entry) progress.entries.set(c, { ...entry, removed: [...(entry.removed ?? []), shown(run, rel)] });
    }
    run.log(`removed ${shown(run, rel)}: only briefs under embargo show it`);
  }
}

/** Removes the files of a brief that the destination's record says a build wrote and that are still as it left them; returns them, as shown. */
async function removeWritten(run: Run, from: Destination, slug: string): Promise<string[]> {
  const removed: string[] = [];
  for (const rel of from.cache.written(slug).unchanged) {
    // One that cannot be removed stays, and is then warned about as any file left there.
    // Never through a linked folder: what it points to is not the build's.
    if (await removeOutput(from.dir, out(run, rel, from))) removed.push(shown(run, rel, from));
  }
  return removed;
}

/** A warning for each file of an embargoed brief still in the output folder after its removal. */
async function leftoverWarnings(run: Run, c: CompiledBrief & { brief: Brief & { embargo: string } }, slug: string): Promise<Diagnostic[]> {
  const warnings: Diagnostic[] = [];
  const at = c.positions?.locateKey([], 'embargo') ?? { line: 1, column: 1 };
  const folder = displayPath(run.outDir, run.project.cwd);
  for (const rel of outputsOf(new Set(['html', 'pdf']), true, slug)) {
    if (!(await lstat(out(run, rel)).catch(() => undefined))) continue;
    warnings.push({
      file: c.file,
      ...at,
      severity: 'warning',
      message:
        `this brief is under embargo until ${embargoTime(c.brief)}, but ${shown(run, rel)} is still there and would be published with ${folder}: ` +
        'the build did not write it as it is now (it was changed since, or written before the build kept a record), so it was left; delete it before the folder is deployed',
    });
  }
  return warnings;
}

/**
 * Before anything is written: an unchanged brief keeps its last outputs; every other
 * brief is entered with none, and the cache forgets it, until it is written.
 */
function settleUnwritten(run: Run, progress: Progress): void {
  for (const c of run.project.compiled) {
    const to = destinationOf(run, c);
    if (c.cached && c.slug && to !== 'held') {
      // Unchanged since the last build: its outputs stand as they are.
      finish(run, progress, c, entryFor(c, outputsOf(run.formats, run.options.fragment, c.slug).map((rel) => shown(run, rel, to))));
      run.log(`unchanged ${c.file}`);
    } else if (c.renderable === undefined) {
      // A brief that cannot be rendered is finished now, failed; a ready one is finished
      // once, when it is written or fails.
      if (c.slug) cacheOf(run, c)?.forget(c.slug);
      finish(run, progress, c, entryFor(c, []));
    }
  }
}

/** The template a ready brief is rendered with. */
const templateOf = (run: Run, c: Ready): Template => run.project.templates.get(briefSettings(c.brief, run.project.config).template) as Template;

/** How a ready brief is printed, with `html` making its page (print-job.ts: the one definition). */
function printJob(run: Run, c: Ready, html: () => string): PrintJob {
  const { logo, fontFiles, config } = run.project;
  return printJobOf({ brief: c, html, templateAssets: templateOf(run, c).assets, logo, fonts: fontFiles, images: imagesOf(run, c), config, version: VERSION });
}

/** A brief's local images, by output-relative path, with their bytes. */
function imagesOf(run: Run, c: CompiledBrief): Map<string, Buffer> {
  return new Map((c.images ?? []).flatMap((key) => {
    const bytes = run.project.images.get(key);
    return bytes ? [[key, bytes] as const] : [];
  }));
}

/** Serve's previews (onPrintJob) get every ready brief's print job before any is printed; each renders its page afresh. */
function offerPrintJobs(run: Run, ready: readonly Ready[]): void {
  const { onPrintJob } = run.options;
  if (onPrintJob) for (const c of ready) onPrintJob(c.file, printJob(run, c, () => renderPage(c, 'page', run.time) as string));
}

/** A template's assets, the logo and the project's font files, written to a destination (the output folder unless named) and listed as written. */
async function writeAssets(run: Run, progress: Progress, template: Template, to: Destination = run.output): Promise<void> {
  // Hundreds of font slices: written several at a time, as each write waits for the disk.
  const queue = [...pageAssets(template.assets, run.project.logo, run.project.fontFiles)];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [rel, bytes] = next;
      try {
        await writeOutput(out(run, rel, to), bytes, { durable: false, mayReplace: mayReplace(rel, to), within: to.dir });
      } catch (err) {
        queue.length = 0; // the disk refused one: the others stop too
        throw err;
      }
      progress.assets.add(shown(run, rel, to));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/**
 * The assets of every template the ready briefs use, and the briefs' images, when HTML is
 * written: each into the folder its briefs go to, so that an image only a brief under
 * embargo shows never reaches the output folder.
 */
async function writeBriefAssets(run: Run, progress: Progress, ready: readonly Ready[]): Promise<void> {
  // Assets first: a page is never on disk before the stylesheet, fonts and images it links to.
  if (!run.formats.has('html') && !run.options.fragment) return;
  const destinations = new Set<Destination>([run.output, ...(run.embargoed === 'held' ? [] : [run.embargoed])]);
  for (const to of destinations) {
    const going = ready.filter((c) => destinationOf(run, c) === to);
    for (const template of new Set(going.map((c) => templateOf(run, c)))) await writeAssets(run, progress, template, to);
    // An unchanged brief's images too: its page links to them, and they cost one write each.
    const briefs = run.project.compiled.filter((c) => (c.renderable !== undefined || c.cached) && destinationOf(run, c) === to);
    for (const [rel, bytes] of new Map(briefs.flatMap((c) => [...imagesOf(run, c)]))) {
      await writeOutput(out(run, rel, to), bytes, { mayReplace: mayReplace(rel, to), within: to.dir });
      progress.assets.add(shown(run, rel, to));
    }
  }
}

/** A ready brief's HTML document, rendered when first asked for and then held until it is written. */
function htmlOf(run: Run, progress: Progress, c: Ready): string {
  let html = progress.html.get(c);
  if (html === undefined) progress.html.set(c, (html = renderPage(c, 'page', run.time) as string));
  return html;
}

/** A brief that could not be finished: it fails alone, keeping its previous outputs, and is built again next time. */
function failBrief(run: Run, progress: Progress, c: Ready, failure: Diagnostic, written: string[] = []): void {
  progress.html.delete(c);
  finish(run, progress, c, entryFor(c, written, [failure]));
  cacheOf(run, c)?.forget(c.slug);
}

/** A brief's HTML files (the page when HTML is written, the fragment when asked for), or why they could not be rendered. */
function renderedFiles(run: Run, progress: Progress, c: Ready): OutputFile[] | Diagnostic {
  const files: OutputFile[] = [];
  try {
    if (run.formats.has('html')) files.push([`${c.slug}.html`, htmlOf(run, progress, c)]);
    const fragment = renderPage(c, 'fragment', run.time);
    if (fragment !== undefined) files.push([`${c.slug}.fragment.html`, fragment]);
  } catch (err) {
    return renderFailure(c.file, err);
  }
  progress.html.delete(c);
  return files;
}

/**
 * Writes files in order into a destination, each atomically, and stops at the first that
 * fails: what was written before it (as shown, and relative to the destination), and why.
 * A file someone else put where one goes (ForeignFileError) is left, listed in `left`, and
 * the others are still written: it blocks only itself.
 */
async function writeFiles(
  run: Run,
  progress: Progress,
  files: readonly OutputFile[],
  to: Destination,
): Promise<{ written: string[]; rels: string[]; left: ForeignFileError[] } & ({ failed: false } | { failed: true; error: unknown })> {
  const written: string[] = [];
  const rels: string[] = [];
  const left: ForeignFileError[] = [];
  try {
    for (const [rel, data] of files) {
      try {
        // Not flushed one by one (a flush each was a fifth of a 1,000-brief build): see flushWritten.
        await writeOutput(out(run, rel, to), data, { durable: false, mayReplace: mayReplace(rel, to), within: to.dir });
      } catch (err) {
        if (!(err instanceof ForeignFileError)) throw err;
        left.push(err);
        continue;
      }
      written.push(shown(run, rel, to));
      rels.push(rel);
      progress.written.push(out(run, rel, to));
    }
    return { written, rels, left, failed: false };
  } catch (error) {
    return { written, rels, left, failed: true, error };
  }
}

/**
 * A ready brief's files (with its PDF when printed), or, when one cannot be rendered or
 * written, an error for that brief alone. `notes` are warnings met on the way (a PDF
 * longer than its template promises), listed with the brief's own. A file of someone
 * else's where one of its files goes is left and is an error of the brief, at its name;
 * its other files are written all the same, and it is built again next time.
 */
async function writeBrief(run: Run, progress: Progress, c: Ready, pdf?: Uint8Array, notes: Diagnostic[] = []): Promise<void> {
  const to = destinationOf(run, c);
  if (to === 'held') return holdBrief(run, progress, c);
  const files = renderedFiles(run, progress, c);
  if (!Array.isArray(files)) return failBrief(run, progress, c, files);
  if (pdf) files.push([`${c.slug}.pdf`, pdf]);
  const { profile, signal } = run.options;
  const result = profile ? await profile.timeAsync('write', () => writeFiles(run, progress, files, to)) : await writeFiles(run, progress, files, to);
  const left = result.left.map((err) => writeFailure(c.file, err, run.project.cwd));
  if (result.failed) {
    if (signal?.aborted) throw result.error;
    return failBrief(run, progress, c, writeFailure(c.file, result.error, run.project.cwd), result.written);
  }
  // The record is what lets the next build skip this brief; failing to stamp it only costs a rebuild.
  // A file left for someone else is not recorded (it is not the build's to replace), and
  // the brief is built again next time, so that it is reported until it is moved.
  if (c.cacheKey) await to.cache.record(c.slug, c.cacheKey, result.rels).catch(() => to.cache.forget(c.slug));
  if (left.length > 0) to.cache.forget(c.slug);
  finish(run, progress, c, entryFor(c, result.written, [...left, ...notes]));
  const embargo = underEmbargo(run, c) && to !== run.output ? ` (under embargo until ${embargoTime(c.brief)}, so not in ${displayPath(run.outDir, run.project.cwd)})` : '';
  run.log(`built ${c.file}${embargo} -> ${result.written.join(', ') || 'nothing'}`);
}

/**
 * A brief under embargo with no folder to go to: rendered, so that a template's failure
 * on it is found now rather than on the day it is published, but neither printed nor
 * written. Its entry lists no outputs and says it was held.
 */
function holdBrief(run: Run, progress: Progress, c: Ready & { brief: { embargo?: string } }): void {
  try {
    renderPage(c, 'page', run.time);
    renderPage(c, 'fragment', run.time);
  } catch (err) {
    return failBrief(run, progress, c, renderFailure(c.file, err));
  }
  progress.html.delete(c);
  finish(run, progress, c, entryFor(c, []));
  const folder = displayPath(run.outDir, run.project.cwd);
  sayStanding(run, progress, `held ${c.file} until ${embargoTime({ embargo: c.brief.embargo ?? '' })} (embargo): not written to ${folder}; --embargoed-out <dir> writes it to a folder of its own`);
}

const PAGE_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/**
 * A warning when a brief's PDF has more pages than its template promises (template.json
 * `pages`): the build cannot shorten a brief, but must not hand out three pages of a
 * one-page update in silence. At the brief's `template` key, else at its developments.
 */
async function pageLimitWarnings(run: Run, c: Ready, pdf: Uint8Array, pageCount: (pdf: Uint8Array) => Promise<number>): Promise<Diagnostic[]> {
  const template = templateOf(run, c);
  if (template.pages === undefined) return [];
  const pages = await pageCount(pdf);
  if (pages <= template.pages) return [];
  const limit = `${PAGE_WORDS[template.pages] ?? template.pages} page${template.pages === 1 ? '' : 's'}`;
  const at = c.positions?.locateKey([], c.brief.template === undefined ? 'developments' : 'template') ?? { line: 1, column: 1 };
  return [
    {
      file: c.file,
      ...at,
      severity: 'warning',
      message: `template ${template.name} is ${limit}, but this brief printed on ${pages}: shorten the developments or use flash-brief`,
    },
  ];
}

/**
 * Writes the ready briefs; when PDFs are asked for, prints them first, with the browser at
 * the endpoint settings resolve (flag, then brief.config.yaml) or else the local one
 * found at the start (`location`: an Error when there is none, thrown here when there is
 * something to print, and whenever an explicit setting names no browser).
 */
async function printAndWrite(run: Run, progress: Progress, ready: readonly Ready[], location: BrowserLocation | Error | undefined): Promise<void> {
  const endpoint = browserEndpoint(run.options.browserWs, run.project.config);
  // A --browser (or its variables) that names no browser is a mistake to fix, not only
  // when a brief happens to need printing: unchanged briefs do not hide it.
  if (run.formats.has('pdf') && !endpoint && location instanceof BrowserNotFoundError && location.setting !== undefined) throw location;
  // A held brief is not printed: its PDF would go nowhere.
  for (const c of ready.filter((b) => destinationOf(run, b) === 'held')) holdBrief(run, progress, c);
  const written = ready.filter((c) => destinationOf(run, c) !== 'held');
  if (!run.formats.has('pdf') || written.length === 0) {
    for (const c of written) await writeBrief(run, progress, c);
    return;
  }
  if (location instanceof Error && !endpoint) throw location;
  // Said before anything is sent (and with --json too): every page printed there,
  // embargoed briefs included when they are written, leaves this machine for that host.
  if (endpoint) (run.options.notice ?? run.log)(`printing with ${describeTarget({ endpoint })} (--browser-ws or browser_ws): the HTML of every brief printed (embargoed ones too, with --embargoed-out) is sent to it`);
  const target: BrowserTarget = endpoint ? { endpoint } : (location as BrowserLocation);
  run.log(`printing ${written.length} PDF(s) with ${describeTarget(target)}`);
  await printBriefs(run, progress, written, target);
}

/** Prints every ready brief with the browser at `target`, writing each as its PDF arrives; the browser is closed however it ends. */
async function printBriefs(run: Run, progress: Progress, ready: readonly Ready[], target: BrowserTarget): Promise<void> {
  const { options, log } = run;
  // pdf-lib, like Puppeteer, is loaded only for runs that print.
  const { printAll, pageCount } = await import('../print/pdf.js');
  const browser = new ManagedBrowser(target, { signal: options.signal, log });
  try {
    // The browser is started (or a remote one reached) once, before any brief is printed:
    // one that will not start or cannot be reached stops the run (BrowserLaunchError,
    // BrowserUnreachableError) instead of failing every brief.
    await browser.get();
    const jobs = ready.map((c) => printJob(run, c, () => htmlOf(run, progress, c)));
    const { concurrency, timeout } = printSettings(options, availableParallelism());
    const profile = options.profile;
    const started = performance.now();
    const writing = profile?.totals.get('write') ?? 0;
    await printAll(browser, jobs, { concurrency, timeout, signal: options.signal, log }, async (index, result) => {
      // A PDF that arrives after Ctrl-C is not written: the run stops where it is.
      options.signal?.throwIfAborted();
      const c = ready[index] as Ready;
      if (result.ok) await writeBrief(run, progress, c, result.pdf, await pageLimitWarnings(run, c, result.pdf, pageCount));
      else failBrief(run, progress, c, printFailure(c.file, result.error));
    });
    // Printing's own share of the phase: its wall time less the writes made meanwhile.
    profile?.add('print', performance.now() - started - ((profile.totals.get('write') ?? 0) - writing));
  } finally {
    await browser.close();
  }
}

/**
 * The site pages written (as shown), and the run's errors: none when the site could be
 * written or was not to be (no HTML, or a configuration with errors).
 */
async function writeSiteOf(run: Run, progress: Progress): Promise<{ site: string[]; errors: string[] }> {
  const { formats, project } = run;
  try {
    // The site's pages are made from the configuration (its title, address, template):
    // with errors in it they would be wrong for every brief, so they are left as they were.
    if (formats.has('html') && !project.configOk) sayStanding(run, progress, `${CONFIG_FILE} has errors: the index, topic pages and feeds are left as they were`);
    else if (formats.has('html')) return { site: await writeSite(run, progress), errors: [] };
    return { site: [], errors: [] };
  } catch (err) {
    // The briefs' own results still count and are reported; the site is the run's problem.
    if (run.options.signal?.aborted) throw err;
    if (err instanceof SiteFilesLeft) return { site: [...err.written], errors: err.left.map((e) => e.describe(project.cwd)) };
    const message = err instanceof OutputError ? err.describe(project.cwd) : `the site index could not be made: unexpected error in flashbrief (please report it): ${(err as Error).message}`;
    return { site: [], errors: [message] };
  }
}

/** index.html, topic pages and, with a site URL, feeds and sitemap, for every good brief. Returns the files written, as shown. */
async function writeSite(run: Run, progress: Progress): Promise<string[]> {
  const { config, templates, logo } = run.project;
  const found = templates.get(siteSettings(config).template);
  // A template with errors has failed its briefs already; its index is not attempted.
  const template = found && !hasErrors(found.diagnostics) ? found : undefined;
  const render = template && createIndexRenderer(template);
  if (!template || !render) return [];
  const listings = siteListings(run, progress);
  run.cache.setListings(listings);
  if (!config.site?.url) sayStanding(run, progress, 'no site.url in brief.config.yaml: feeds and sitemap are not written');
  const files = siteFiles([...listings.values()], config, render, template.stylesheet, `flashbrief ${VERSION}`, logo?.key);
  await writeAssets(run, progress, template);
  // A site file someone else put there (a hand-written index.html) is left and said; the
  // other pages are still written.
  const written: string[] = [];
  const foreign: ForeignFileError[] = [];
  for (const [rel, text] of files) {
    try {
      // Without a flush per file, as for the assets: every build makes each site file whole
      // and compares, so one cut short by a crash is written again (2,000 topic pages: ~10 s of flushes).
      await writeOutput(out(run, rel), text, { durable: false, mayReplace: mayReplace(rel, run.output), within: run.outDir });
      written.push(rel);
    } catch (err) {
      if (!(err instanceof ForeignFileError)) throw err;
      foreign.push(err);
    }
  }
  run.cache.recordSite(written);
  if (foreign.length > 0) throw new SiteFilesLeft(foreign, written.map((rel) => shown(run, rel)));
  return written.map((rel) => shown(run, rel));
}

/** What the site lists, by source file: every good brief not under embargo, and the last good version of a brief with errors. */
function siteListings(run: Run, progress: Progress): Map<string, SiteBrief> {
  const { cache } = run;
  const listings = new Map<string, SiteBrief>();
  for (const c of run.project.everyBrief) {
    // A brief under embargo stays out of the index, feeds and sitemap, and so does the
    // version listed before it had its embargo, even while it has errors.
    if (underEmbargo(run, c)) continue;
    if (c.brief && c.slug && !hasErrors(c.diagnostics)) {
      listings.set(c.file, listingOf(run, progress, c as CompiledBrief & { brief: Brief; slug: string }));
      continue;
    }
    // A brief with errors keeps its page in the output folder, and so its place on the site.
    const last = cache.lastListing(c.file);
    if (last) {
      listings.set(c.file, last);
      sayStanding(run, progress, `${c.file} has errors: the index and feeds keep its last good version`);
    } else if (cache.damaged || cache.listingDamaged(c.file)) {
      sayStanding(run, progress, `${c.file} has errors, and without a readable build cache its last good version is unknown: it is left off the index and feeds until it builds`);
    }
  }
  return listings;
}

/** How a good brief is listed on the index, topic pages and feeds. */
function listingOf(run: Run, progress: Progress, c: CompiledBrief & { brief: Brief; slug: string }): SiteBrief {
  const pdf = out(run, `${c.slug}.pdf`);
  // Whether the index links a PDF depends on the file (a link that leads nowhere is none):
  // one look, which the run's record keeps as an input of the site.
  const stamp = run.options.shard ? undefined : stampPath(pdf);
  if (stamp !== undefined) progress.siteInputs.set(pdf, stamp);
  return {
    slug: c.slug,
    title: c.brief.title,
    label: briefSettings(c.brief, run.project.config).label,
    date: c.brief.date,
    summary: c.summaryText,
    topics: c.brief.topics ?? [],
    authors: (c.brief.authors ?? []).map((a) => a.name),
    tally: c.tally,
    // A shard cannot see the PDFs other shards print; their merged folder will have them.
    pdf: stamp === undefined ? run.formats.has('pdf') : stamp !== null && stamp[0] !== DANGLING_LINK,
    updated: (c.brief.corrections ?? []).map((x) => x.date).sort().at(-1),
  };
}

/**
 * Flushes the files the run wrote to disk, all at once, before the cache record that
 * vouches for them is saved: `sync -f` (syncfs(2), GNU coreutils) on each destination's
 * file system, else an fsync of each file. Each file was written whole and renamed into
 * place, so a reader never sees half of one; a crash before this flush may lose the newest
 * files' contents, but the saved record still holds the last build's stamps, so the next
 * build writes those briefs again. One flush instead of one per file: a fifth of the time
 * of a 1,000-brief HTML build went to waiting on them.
 */
async function flushWritten(dirs: readonly string[], files: readonly string[]): Promise<void> {
  if (files.length === 0) return;
  const synced = await Promise.all(dirs.map((dir) => new Promise<boolean>((resolve) => execFile('sync', ['-f', dir], (err) => resolve(!err)))));
  if (synced.every(Boolean)) return;
  for (const file of files) {
    const handle = await open(file, 'r').catch(() => undefined);
    await handle?.sync().catch(() => undefined);
    await handle?.close();
  }
}

/** The run's manifest: every brief's entry in input order, the incident files, the site and assets written, the run's errors. */
function manifestOf(run: Run, progress: Progress, { site, errors }: { site: string[]; errors: string[] }): Manifest {
  const briefs = run.project.compiled.map((c) => progress.entries.get(c) as ManifestEntry);
  const { files } = run.project;
  const { assets } = progress;
  return {
    ok: briefs.every((b) => b.ok) && files.every((f) => f.ok) && errors.length === 0,
    briefs,
    ...filesPart(files),
    ...(site.length > 0 ? { site } : {}),
    ...(assets.size > 0 ? { assets: [...assets].sort() } : {}),
    ...(errors.length > 0 ? { errors } : {}),
    config: run.project.configFile,
  };
}
