import { stat } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { readRegularFile, writeOutput } from './files.js';

/*
 * The incremental build. A brief's outputs are a function of what its page is rendered
 * from: the brief, the incidents its tally draws on (its own and, in a series, those of
 * earlier briefs and incident files), the places, the configuration, the template's
 * files, the options and the tool's version. Those are hashed into one key; when the key
 * and the files on disk are those of the last build, the brief is neither rendered nor
 * printed. Keying on the inputs themselves, rather than on which files changed, makes
 * series exact: editing an earlier brief's incidents changes the key of exactly the later
 * briefs whose tallies include them.
 */

const OutputStamp = z.object({ size: z.number(), mtimeMs: z.number() });
type OutputStamp = z.infer<typeof OutputStamp>;

const Entry = z.object({
  key: z.string(),
  /** Output paths relative to the output folder, as they were left by the build. */
  files: z.record(z.string(), OutputStamp),
});
type Entry = z.infer<typeof Entry>;

/**
 * How a brief was last listed on the site (index, topic pages, feeds, sitemap), kept so
 * that a brief that fails keeps its place there, as its page stays in the output folder:
 * one typo must not take a published brief off the index and out of subscribers' feeds.
 */
const SiteListing = z.object({
  slug: z.string(),
  title: z.string(),
  label: z.string(),
  date: z.string(),
  summary: z.string().optional(),
  topics: z.array(z.string()),
  authors: z.array(z.string()),
  // Only what the index prints of a tally (see site.ts keyTally); the rest is kept as it was.
  tally: z.looseObject({ total: z.number(), since: z.string().nullable(), until: z.string() }).optional(),
  pdf: z.boolean(),
  updated: z.string().optional(),
});
export type SiteListing = z.infer<typeof SiteListing>;

/**
 * The cache file's frame. It is checked on reading, and each entry on its own: a file
 * damaged by hand, by a crash or by another version means "rebuild" (the briefs whose
 * entries are damaged, or every brief when the frame is), never a crash.
 */
const CacheFrame = z.object({
  format: z.literal(1),
  briefs: z.record(z.string(), z.unknown()),
  /** The last good site listing of each brief, by its source file. */
  listings: z.record(z.string(), z.unknown()).optional(),
  /** The site's files (index, topic pages, feeds, sitemap) the last build wrote, relative to the folder. */
  site: z.array(z.unknown()).optional(),
});
interface CacheFile {
  format: 1;
  briefs: Record<string, Entry>;
  listings: Record<string, SiteListing>;
  site: string[];
}

/** The entries of a record that have the expected shape (in a prototype-free object, so "__proto__" is a key like any other), and how many did not. */
function goodEntries<T>(record: Record<string, unknown> | undefined, schema: z.ZodType<T>): { good: Record<string, T>; bad: number } {
  const good = Object.create(null) as Record<string, T>;
  let bad = 0;
  for (const [key, value] of Object.entries(record ?? {})) {
    const parsed = schema.safeParse(value);
    if (parsed.success) good[key] = parsed.data;
    else bad++;
  }
  return { good, bad };
}

/** Lives in the output folder, so deleting the folder starts afresh. */
export const CACHE_FILE = '.flashbrief-cache.json';

export class BuildCache {
  /** What the next build will find: the last build's entries, updated as this one goes. */
  private readonly next: Record<string, Entry>;
  private listings: Record<string, SiteListing>;
  /**
   * The cache file was there but could not be read (not JSON, another version, not a
   * file): every brief is rebuilt.
   */
  damaged = false;
  /** Entries of the cache file that were damaged and dropped: those briefs are rebuilt. */
  damagedEntries = 0;
  /** Its name in the output folder. */
  get name(): string {
    return this.file;
  }

  private constructor(
    private readonly outDir: string,
    private readonly file: string,
    /** The entries that may vouch for a brief: none with --force. */
    private readonly previous: Record<string, Entry>,
    /** Every entry read, --force or not: which files earlier builds wrote (see `written`). */
    private readonly recorded: Record<string, Entry>,
    private readonly stamps: Map<string, OutputStamp | undefined>,
    private readonly previousListings: Record<string, SiteListing>,
    /** Every file an earlier build recorded writing: a brief's outputs and the site's files. */
    private readonly owned: ReadonlySet<string>,
    /** The site's files as this build leaves them. */
    private site: string[],
  ) {
    // Briefs outside this run (another shard, files not named) keep their entries, and
    // with --force too: an entry also says which files the build wrote.
    this.next = { ...recorded };
    this.listings = { ...previousListings };
  }

  /** The last build's record, with the current size and time of every output it names. */
  static async open(outDir: string, enabled: boolean, shard?: string): Promise<BuildCache> {
    // Each shard keeps its own record, so the shards' output folders merge without a clash.
    const file = shard ? CACHE_FILE.replace(/\.json$/, `.${shard}.json`) : CACHE_FILE;
    let recorded: Record<string, Entry> = {};
    let listings: Record<string, SiteListing> = {};
    let site: string[] = [];
    let damaged: boolean;
    let damagedEntries = 0;
    try {
      // A regular file only: a named pipe in its place would block the build forever.
      const parsed = CacheFrame.safeParse(JSON.parse((await readRegularFile(path.join(outDir, file))).toString('utf8')));
      if (parsed.success) {
        const entries = goodEntries(parsed.data.briefs, Entry);
        const listed = goodEntries(parsed.data.listings, SiteListing);
        // --force rebuilds every brief, but a brief that fails still keeps its place on the
        // site, and the build still knows which files it wrote.
        recorded = entries.good;
        listings = listed.good;
        site = (parsed.data.site ?? []).filter((rel): rel is string => typeof rel === 'string');
        damaged = false;
        damagedEntries = entries.bad + listed.bad;
      } else damaged = true;
    } catch (err) {
      // No cache means build everything; one that is there but cannot be read means the same, said once.
      damaged = (err as NodeJS.ErrnoException).code !== 'ENOENT';
    }
    // Every stat is made up front, in parallel, so checking a thousand briefs is quick.
    const names = [...new Set(Object.values(recorded).flatMap((e) => Object.keys(e.files)))];
    const stamps = new Map<string, OutputStamp | undefined>();
    await Promise.all(
      names.map(async (rel) => {
        const info = await stat(path.join(outDir, rel)).catch(() => undefined);
        stamps.set(rel, info && { size: info.size, mtimeMs: info.mtimeMs });
      }),
    );
    const cache = new BuildCache(outDir, file, enabled ? recorded : {}, recorded, stamps, listings, new Set([...names, ...site]), site);
    cache.damaged = damaged;
    cache.damagedEntries = damagedEntries;
    return cache;
  }

  /**
   * True when the brief was built with this key and every output it needs is on disk as
   * the build left it (a deleted or edited output is rebuilt). A fresh brief keeps its entry.
   */
  fresh(slug: string, key: string, outputs: readonly string[]): boolean {
    const entry = this.previous[slug];
    if (!entry || entry.key !== key) return false;
    const ok = outputs.every((rel) => {
      const was = entry.files[rel];
      const now = this.stamps.get(rel);
      return was !== undefined && now !== undefined && now.size === was.size && now.mtimeMs === was.mtimeMs;
    });
    return ok;
  }

  /** What the build just wrote for a brief, stamped as it now is on disk. */
  async record(slug: string, key: string, outputs: readonly string[]): Promise<void> {
    const files: Record<string, OutputStamp> = {};
    for (const rel of outputs) {
      const info = await stat(path.join(this.outDir, rel));
      files[rel] = { size: info.size, mtimeMs: info.mtimeMs };
    }
    this.next[slug] = { key, files };
  }

  /**
   * A brief that failed is built again next time, whatever its key. The files its entry
   * names stay recorded as the build's (a failed brief keeps its last outputs), so that
   * `written` still knows them.
   */
  forget(slug: string): void {
    const entry = this.next[slug];
    // An empty key matches no brief's key (a hash), so the entry vouches for nothing.
    if (entry && Object.keys(entry.files).length > 0) this.next[slug] = { key: '', files: entry.files };
    else delete this.next[slug];
  }

  /**
   * The files the last build recorded for a brief, relative to the folder: `unchanged`
   * are still as the build left them (size and modification time), `changed` have been
   * replaced or edited since. Files no longer there are in neither. What a build may
   * remove of a brief is only what it wrote: the `unchanged` ones.
   */
  written(slug: string): { unchanged: string[]; changed: string[] } {
    const entry = Object.hasOwn(this.recorded, slug) ? this.recorded[slug] : undefined;
    const unchanged: string[] = [];
    const changed: string[] = [];
    for (const [rel, was] of Object.entries(entry?.files ?? {})) {
      const now = this.stamps.get(rel);
      if (now === undefined) continue;
      (now.size === was.size && now.mtimeMs === was.mtimeMs ? unchanged : changed).push(rel);
    }
    return { unchanged, changed };
  }

  /** A brief whose files were taken out of the folder: no entry, and no place on the site, until it is written again. */
  retract(slug: string, source: string): void {
    delete this.next[slug];
    delete this.listings[source];
  }

  /**
   * After a build of every brief (not of named files only, nor with briefs that were not
   * read): entries for briefs that are no longer there are dropped, so the file does not
   * grow with every brief ever renamed or deleted.
   */
  prune(slugs: ReadonlySet<string>): void {
    for (const slug of Object.keys(this.next)) if (!slugs.has(slug)) delete this.next[slug];
  }

  /**
   * Whether an earlier build recorded writing the file at `rel` (relative to the folder):
   * one of the build's own, which it may replace (see ownership.ts for the files it
   * knows by their marks when the record is gone).
   */
  owns(rel: string): boolean {
    return this.owned.has(rel);
  }

  /** The site's files this build wrote, relative to the folder: the next build's to replace. */
  recordSite(files: readonly string[]): void {
    this.site = [...files].sort();
  }

  /** How the brief from this source file was last listed on the site, if it ever was. */
  lastListing(source: string): SiteListing | undefined {
    return Object.hasOwn(this.previousListings, source) ? this.previousListings[source] : undefined;
  }

  /** The site's listings as this build leaves them, by source file; sources no longer listed are dropped. */
  setListings(listings: ReadonlyMap<string, SiteListing>): void {
    this.listings = Object.fromEntries(listings);
  }

  async save(): Promise<void> {
    const sorted = <T>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
    const data: CacheFile = { format: 1, briefs: sorted(this.next), listings: sorted(this.listings), site: this.site };
    await writeOutput(path.join(this.outDir, this.file), `${JSON.stringify(data)}\n`, { within: this.outDir });
  }
}
