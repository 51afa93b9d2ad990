import { constants, statSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { writeOutput } from './files.js';

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
 * The cache file. Its frame is checked on reading, and each entry on its own when it is
 * used: a file damaged by hand, by a crash or by another version means "rebuild" (the
 * briefs whose entries are damaged, or every brief when the frame is), never a crash.
 * `listings` holds the last good site listing of each brief, by its source file; `site`
 * the site's files (index, topic pages, feeds, sitemap) the last build wrote, relative
 * to the folder.
 */
interface CacheFile {
  format: 1;
  briefs: Record<string, Entry>;
  listings: Record<string, SiteListing>;
  site: string[];
}

/** A JSON object as parsed (its keys own properties, "__proto__" too). */
type Members = Readonly<Record<string, unknown>>;

/** The checked member of a JSON object, or null for one that is damaged, or undefined for none; memoized per key. */
function checker<T>(record: Members, schema: z.ZodType<T>): (key: string) => T | null | undefined {
  const checked = new Map<string, T | null>();
  return (key) => {
    if (!Object.hasOwn(record, key)) return undefined;
    let value = checked.get(key);
    if (value === undefined) {
      const parsed = schema.safeParse(record[key]);
      checked.set(key, (value = parsed.success ? parsed.data : null));
    }
    return value;
  };
}

/** A JSON value that is an object (not an array), else undefined. */
const membersOf = (value: unknown): Members | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Members) : undefined);

/** Lives in the output folder, so deleting the folder starts afresh. */
export const CACHE_FILE = '.flashbrief-cache.json';

/** The smallest size limit of the cache file, in bytes, whatever the number of briefs. */
const CACHE_MIN_LIMIT = 16 * 1024 * 1024;
/**
 * The room a cache file is allowed per brief, in bytes. A real entry and listing take
 * about 1.5 KB; a listing keeps the brief's tally, whose lists of places and days can
 * make it tens of kilobytes.
 */
const CACHE_BYTES_PER_BRIEF = 64 * 1024;

/**
 * How large, in bytes, the cache file of a project of `briefs` briefs may be before it is
 * refused unread: 16 MiB, or 64 KiB per brief when that is more. A file past it cannot be
 * a record of this project's builds, and reading it would cost time and memory out of
 * all proportion (JSON is parsed in one piece, blocking even Ctrl-C).
 */
export function cacheSizeLimit(briefs: number): number {
  return Math.max(CACHE_MIN_LIMIT, briefs * CACHE_BYTES_PER_BRIEF);
}

/** Why the cache file was not read: every brief is rebuilt. */
export type CacheRefusal =
  | { kind: 'unreadable' }
  | { kind: 'folder' }
  | { kind: 'link' }
  | { kind: 'too large'; bytes: number; limit: number };

class Refused extends Error {
  constructor(readonly refusal: CacheRefusal) {
    super(refusal.kind);
  }
}

/**
 * The cache file's bytes, never through a link (O_NOFOLLOW: the record is the build's own
 * file in the output folder, and a link in its place may lead anywhere), never blocking on
 * what is not a regular file, and refused by its size before a byte is read.
 * @throws Refused; the system's error (ENOENT when there is none); the signal's reason when aborted.
 */
async function readCacheFile(file: string, limit: number, signal?: AbortSignal): Promise<Buffer> {
  signal?.throwIfAborted();
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY | constants.O_NOFOLLOW);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new Refused({ kind: 'link' });
    throw err;
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new Refused({ kind: 'folder' });
    if (!info.isFile()) throw new Refused({ kind: 'unreadable' });
    if (info.size > limit) throw new Refused({ kind: 'too large', bytes: info.size, limit });
    const bytes = await handle.readFile({ signal });
    // A file that grew after the look at its size is refused all the same.
    if (bytes.length > limit) throw new Refused({ kind: 'too large', bytes: bytes.length, limit });
    return bytes;
  } finally {
    await handle.close();
  }
}

/** The stamp of an output as it is on disk now, or undefined when it is not there. */
function stampOf(file: string): OutputStamp | undefined {
  const info = statSync(file, { throwIfNoEntry: false });
  return info && { size: info.size, mtimeMs: info.mtimeMs };
}

/** Options of {@link BuildCache.open}. */
export interface CacheOpenOptions {
  /** Whether entries may vouch for briefs (false with --force). */
  enabled: boolean;
  /** `i-of-n` for a shard's own record. */
  shard?: string;
  /** The largest cache file read, in bytes (see cacheSizeLimit). */
  limit?: number;
  signal?: AbortSignal;
}

/**
 * The record of the builds of one folder. Its entries are checked only when a brief of the
 * build asks for its own (and every output's stamp is taken then), so a record holding a
 * great many entries of briefs long gone costs a parse and little else; a full build
 * drops them (`prune`).
 */
export class BuildCache {
  /** This build's changes to the record: a new entry, or undefined for one removed. */
  private readonly changes = new Map<string, Entry | undefined>();
  private listings: Map<string, SiteListing> | undefined;
  /** Which entries and listings a full build keeps (see prune); all when undefined. */
  private keep: { slugs: ReadonlySet<string>; sources: ReadonlySet<string> } | undefined;
  private readonly entry: (slug: string) => Entry | null | undefined;
  private readonly listing: (source: string) => SiteListing | null | undefined;
  private readonly stamps = new Map<string, OutputStamp | undefined>();
  /** The site's files the last build recorded. */
  private readonly previousSite: ReadonlySet<string>;
  /** Which entries name a file, built when first asked (see owns). */
  private namers: Map<string, string[]> | undefined;
  /** Slugs of this build's briefs whose entries were found damaged. */
  private readonly damagedSlugs = new Set<string>();
  /** Why the file was not read, when it was there but could not be: every brief is rebuilt. */
  readonly refusal: CacheRefusal | undefined;

  /** The cache file was there but could not be read (not JSON, another version, not a file, a link, too large): every brief is rebuilt. */
  get damaged(): boolean {
    return this.refusal !== undefined;
  }

  /** How many entries of the briefs asked about so far (see fresh) were damaged: those briefs are rebuilt. */
  get damagedEntries(): number {
    return this.damagedSlugs.size;
  }

  /** Its name in the output folder. */
  get name(): string {
    return this.file;
  }

  private constructor(
    private readonly outDir: string,
    private readonly file: string,
    private readonly enabled: boolean,
    private readonly recorded: Members,
    private readonly previousListings: Members,
    /** The site's files as this build leaves them. */
    private site: string[],
    refusal: CacheRefusal | undefined,
  ) {
    this.entry = checker(recorded, Entry);
    this.listing = checker(previousListings, SiteListing);
    this.refusal = refusal;
    this.previousSite = new Set(site);
  }

  /**
   * The last build's record in `outDir`. A file that is not there means an empty record; one
   * that cannot be read (see CacheRefusal) an empty record and `refusal` saying why.
   * @throws the signal's reason when aborted.
   */
  static async open(outDir: string, options: CacheOpenOptions): Promise<BuildCache> {
    // Each shard keeps its own record, so the shards' output folders merge without a clash.
    const file = options.shard ? CACHE_FILE.replace(/\.json$/, `.${options.shard}.json`) : CACHE_FILE;
    let briefs: Members = {};
    let listings: Members = {};
    let site: string[] = [];
    let refusal: CacheRefusal | undefined;
    try {
      const data = JSON.parse((await readCacheFile(path.join(outDir, file), options.limit ?? CACHE_MIN_LIMIT, options.signal)).toString('utf8')) as unknown;
      // The frame only: entries are checked when a brief asks for its own.
      const frame = membersOf(data);
      const found = membersOf(frame?.briefs);
      const listed = frame?.listings === undefined ? {} : membersOf(frame.listings);
      const files = frame?.site ?? [];
      if (frame?.format === 1 && found && listed && Array.isArray(files)) {
        briefs = found;
        listings = listed;
        site = files.filter((rel): rel is string => typeof rel === 'string');
      } else refusal = { kind: 'unreadable' };
    } catch (err) {
      if (options.signal?.aborted) throw options.signal.reason;
      // No cache means build everything; one that is there but cannot be read means the same, said once.
      if (err instanceof Refused) refusal = err.refusal;
      else if ((err as NodeJS.ErrnoException).code !== 'ENOENT') refusal = { kind: 'unreadable' };
    }
    return new BuildCache(outDir, file, options.enabled, briefs, listings, site, refusal);
  }

  /** A recorded output's stamp as it is on disk now, taken once. */
  private stamp(rel: string): OutputStamp | undefined {
    if (!this.stamps.has(rel)) this.stamps.set(rel, stampOf(path.join(this.outDir, rel)));
    return this.stamps.get(rel);
  }

  /** A brief's entry in the last build's record, checked; a damaged one is counted. */
  private recordedEntry(slug: string): Entry | undefined {
    const entry = this.entry(slug);
    if (entry === null) this.damagedSlugs.add(slug);
    return entry ?? undefined;
  }

  /** A brief's entry as this build leaves it. */
  private nextEntry(slug: string): Entry | undefined {
    return this.changes.has(slug) ? this.changes.get(slug) : this.recordedEntry(slug);
  }

  /**
   * True when the brief was built with this key and every output it needs is on disk as
   * the build left it (a deleted or edited output is rebuilt). A fresh brief keeps its entry.
   * Never with --force.
   */
  fresh(slug: string, key: string, outputs: readonly string[]): boolean {
    const entry = this.recordedEntry(slug);
    if (!this.enabled || !entry || entry.key !== key) return false;
    return outputs.every((rel) => {
      const was = Object.hasOwn(entry.files, rel) ? entry.files[rel] : undefined;
      const now = this.stamp(rel);
      return was !== undefined && now !== undefined && now.size === was.size && now.mtimeMs === was.mtimeMs;
    });
  }

  /** What the build just wrote for a brief, stamped as it now is on disk. */
  async record(slug: string, key: string, outputs: readonly string[]): Promise<void> {
    const files: Record<string, OutputStamp> = Object.create(null) as Record<string, OutputStamp>;
    for (const rel of outputs) {
      const info = await stat(path.join(this.outDir, rel));
      files[rel] = { size: info.size, mtimeMs: info.mtimeMs };
    }
    this.changes.set(slug, { key, files });
  }

  /**
   * A brief that failed is built again next time, whatever its key. The files its entry
   * names stay recorded as the build's (a failed brief keeps its last outputs), so that
   * `written` still knows them.
   */
  forget(slug: string): void {
    const entry = this.nextEntry(slug);
    // An empty key matches no brief's key (a hash), so the entry vouches for nothing.
    this.changes.set(slug, entry && Object.keys(entry.files).length > 0 ? { key: '', files: entry.files } : undefined);
  }

  /**
   * The files the last build recorded for a brief, relative to the folder: `unchanged`
   * are still as the build left them (size and modification time), `changed` have been
   * replaced or edited since. Files no longer there are in neither. What a build may
   * remove of a brief is only what it wrote: the `unchanged` ones.
   */
  written(slug: string): { unchanged: string[]; changed: string[] } {
    const entry = this.entry(slug) ?? undefined;
    const unchanged: string[] = [];
    const changed: string[] = [];
    for (const [rel, was] of Object.entries(entry?.files ?? {})) {
      const now = this.stamp(rel);
      if (now === undefined) continue;
      (now.size === was.size && now.mtimeMs === was.mtimeMs ? unchanged : changed).push(rel);
    }
    return { unchanged, changed };
  }

  /** A brief whose files were taken out of the folder: no entry, and no place on the site, until it is written again. */
  retract(slug: string, source: string): void {
    this.changes.set(slug, undefined);
    this.listings ??= this.checkedListings();
    this.listings.delete(source);
  }

  /**
   * After a build of every brief (not of named files only, nor with briefs that were not
   * read): entries for briefs that are no longer there (`slugs`), and listings of source
   * files no longer there (`sources`), are dropped, so the file does not grow with every
   * brief ever renamed or deleted.
   */
  prune(slugs: ReadonlySet<string>, sources: ReadonlySet<string>): void {
    this.keep = { slugs, sources };
  }

  /**
   * Whether an earlier build recorded writing the file at `rel` (relative to the folder):
   * one of the build's own, which it may replace (see ownership.ts for the files it
   * knows by their marks when the record is gone).
   */
  owns(rel: string): boolean {
    if (this.previousSite.has(rel)) return true;
    if (!this.namers) {
      // Which entries name each file, by a plain walk; the entries themselves are checked
      // below, only for the file asked about.
      this.namers = new Map();
      for (const [slug, entry] of Object.entries(this.recorded)) {
        const files = (entry as { files?: unknown } | null)?.files;
        if (typeof files !== 'object' || files === null) continue;
        for (const name of Object.keys(files)) this.namers.set(name, [...(this.namers.get(name) ?? []), slug]);
      }
    }
    return (this.namers.get(rel) ?? []).some((slug) => {
      const entry = this.entry(slug);
      return entry !== null && entry !== undefined && Object.hasOwn(entry.files, rel);
    });
  }

  /** The site's files this build wrote, relative to the folder: the next build's to replace. */
  recordSite(files: readonly string[]): void {
    this.site = [...files].sort();
  }

  /** How the brief from this source file was last listed on the site, if it ever was. */
  lastListing(source: string): SiteListing | undefined {
    return this.listing(source) ?? undefined;
  }

  /** Whether the record had a listing for this source file that was damaged: its last good version is unknown. */
  listingDamaged(source: string): boolean {
    return this.listing(source) === null;
  }

  /** The good listings of the record (of these sources only, when given), checked now: when the site is not written, they are kept as they were. */
  private checkedListings(sources?: ReadonlySet<string>): Map<string, SiteListing> {
    const good = new Map<string, SiteListing>();
    for (const source of sources ?? Object.keys(this.previousListings)) {
      const listing = this.listing(source);
      if (listing) good.set(source, listing);
    }
    return good;
  }

  /** The site's listings as this build leaves them, by source file; sources no longer listed are dropped. */
  setListings(listings: ReadonlyMap<string, SiteListing>): void {
    this.listings = new Map(listings);
  }

  /**
   * Writes the record as this build leaves it: the entries of the last build that were not
   * replaced, removed or pruned and are not damaged, and this build's.
   * @throws OutputError (or ForeignFileError) when it cannot be written.
   */
  async save(): Promise<void> {
    const keep = this.keep;
    const briefs: [string, Entry][] = [];
    // After a full build only its briefs can have entries: the others are not looked at.
    for (const slug of new Set([...(keep ? keep.slugs : Object.keys(this.recorded)), ...this.changes.keys()])) {
      if (keep && !keep.slugs.has(slug)) continue;
      const entry = this.nextEntry(slug);
      if (entry) briefs.push([slug, entry]);
    }
    const listings = [...(this.listings ?? this.checkedListings(keep?.sources))].filter(([source]) => !keep || keep.sources.has(source));
    const sorted = <T>(entries: [string, T][]) => Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
    const data: CacheFile = { format: 1, briefs: sorted(briefs), listings: sorted(listings), site: this.site };
    await writeOutput(path.join(this.outDir, this.file), `${JSON.stringify(data)}\n`, { within: this.outDir });
  }
}
