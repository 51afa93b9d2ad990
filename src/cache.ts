import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
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

/** A stable hash of any JSON-able value. */
export function contentKey(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}

const OutputStamp = z.object({ size: z.number(), mtimeMs: z.number() });
type OutputStamp = z.infer<typeof OutputStamp>;

const Entry = z.object({
  key: z.string(),
  /** Output paths relative to the output folder, as they were left by the build. */
  files: z.record(z.string(), OutputStamp),
});
type Entry = z.infer<typeof Entry>;

/**
 * The cache file's shape. It is checked on reading: a file damaged by hand, by a crash
 * or by another version must mean "rebuild", never a crash.
 */
const CacheFile = z.object({ format: z.literal(1), briefs: z.record(z.string(), Entry) });
type CacheFile = z.infer<typeof CacheFile>;

/** Lives in the output folder, so deleting the folder starts afresh. */
export const CACHE_FILE = '.flashbrief-cache.json';

export class BuildCache {
  /** What the next build will find: the last build's entries, updated as this one goes. */
  private readonly next: Record<string, Entry>;

  private constructor(
    private readonly outDir: string,
    private readonly file: string,
    private readonly previous: Record<string, Entry>,
    private readonly stamps: Map<string, OutputStamp | undefined>,
  ) {
    // Briefs outside this run (another shard, files not named) keep their entries.
    this.next = { ...previous };
  }

  /** The last build's record, with the current size and time of every output it names. */
  static async open(outDir: string, enabled: boolean, shard?: string): Promise<BuildCache> {
    // Each shard keeps its own record, so the shards' output folders merge without a clash.
    const file = shard ? CACHE_FILE.replace(/\.json$/, `.${shard}.json`) : CACHE_FILE;
    let briefs: Record<string, Entry> = {};
    if (enabled) {
      try {
        const parsed = CacheFile.safeParse(JSON.parse(await readFile(path.join(outDir, file), 'utf8')));
        // Object.create(null): a slug such as "__proto__" is a key like any other.
        if (parsed.success) briefs = Object.assign(Object.create(null) as Record<string, Entry>, parsed.data.briefs);
      } catch {
        // no cache, or an unreadable one: build everything
      }
    }
    // Every stat is made up front, in parallel, so checking a thousand briefs is quick.
    const names = [...new Set(Object.values(briefs).flatMap((e) => Object.keys(e.files)))];
    const stamps = new Map<string, OutputStamp | undefined>();
    await Promise.all(
      names.map(async (rel) => {
        const info = await stat(path.join(outDir, rel)).catch(() => undefined);
        stamps.set(rel, info && { size: info.size, mtimeMs: info.mtimeMs });
      }),
    );
    return new BuildCache(outDir, file, briefs, stamps);
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

  /** A brief that failed is built again next time, whatever its key. */
  forget(slug: string): void {
    delete this.next[slug];
  }

  async save(): Promise<void> {
    const sorted = Object.fromEntries(Object.entries(this.next).sort(([a], [b]) => a.localeCompare(b)));
    await writeOutput(path.join(this.outDir, this.file), `${JSON.stringify({ format: 1, briefs: sorted } satisfies CacheFile)}\n`);
  }
}
