import { statSync } from 'node:fs';
import { open, readdir, rm } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { constants } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { contentKey } from '../core/content-key.js';
import { ensureDir } from './files.js';
import { stampPath, type PathStamp } from './input-log.js';
import { userCacheDir } from './user-cache.js';
import type { Manifest } from './manifest.js';

/*
 * The no-change rebuild. A build that ended cleanly leaves, in the user's cache folder, a
 * record of the run as a whole: the stamp (size, modification time, inode) of every file
 * and folder it read, taken before the read, the stamp of every file it left in its
 * output folders, and its manifest. The next build with the same settings stats those
 * paths (no file is read, no brief parsed) and, when every stamp is as recorded and no
 * embargo has lifted since, reports that manifest with every brief unchanged: what a full
 * run would find, at the cost of a few thousand stat calls. Anything else, a stamp that
 * differs, a path that appeared or went, a record that cannot be read, is the ordinary
 * build, which keys each brief on its inputs (cache.ts) and writes a new record.
 *
 * Inputs are noted where they are read (files.ts readRegularFile and the folder
 * listings, templates.ts for template and font folders) into every run being recorded, so
 * a read is never missed: a run sharing the process with another notes the other's reads
 * too, which only makes its record more cautious.
 */

const same = (a: PathStamp, b: PathStamp): boolean => (a === null || b === null ? a === b : a.every((v, i) => v === b[i]));

/**
 * Where the record of the runs into a folder is kept: in the user's cache folder
 * (FLASHBRIEF_CACHE_DIR, else $XDG_CACHE_HOME/flashbrief, else ~/.cache/flashbrief, as the
 * XDG Base Directory spec places caches), named by a hash of the output folder and shard.
 * Never in the output folder itself: that folder is deployed, and the record names every
 * input (briefs under embargo and drafts with errors too) with this machine's paths.
 */
export function runRecordFile(outDir: string, shard: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(userCacheDir(env), 'runs', `${contentKey({ outDir: path.resolve(outDir), shard: shard ?? null })}.json`);
}

const Stamp = z.tuple([z.number(), z.number(), z.number(), z.number()]).readonly().nullable();
const Stamps = z.array(z.tuple([z.string(), Stamp]));
const Diagnostic = z.object({ file: z.string(), line: z.number(), column: z.number(), message: z.string(), severity: z.enum(['error', 'warning']) });
const Problems = { errors: z.array(Diagnostic).optional(), warnings: z.array(Diagnostic).optional() };

/**
 * The record file, checked whole when read: one of another version, or damaged in any
 * part, is no record (the build reads everything), never a crash or a wrong report.
 */
const RunRecordFile = z.object({
  format: z.literal(2),
  key: z.string(),
  /** Milliseconds since the epoch: the first embargo to lift after the run's clock; null for none. */
  validUntil: z.number().nullable(),
  inputs: Stamps,
  outputs: Stamps,
  /** The notices the run said about the project's files, said again by a run that reuses it. */
  notices: z.array(z.string()),
  /** The progress lines that a run reusing it says too: why a brief was held, why no feeds were written. */
  standing: z.array(z.string()),
  manifest: z.looseObject({
    ok: z.boolean(),
    briefs: z.array(
      z.looseObject({
        source: z.string(),
        slug: z.string().nullable(),
        ok: z.boolean(),
        outputs: z.array(z.string()),
        unchanged: z.boolean().optional(),
        tally: z.looseObject({ total: z.number() }).optional(),
        embargo: z.object({ until: z.string(), held: z.boolean() }).optional(),
        ...Problems,
      }),
    ),
    files: z.array(z.looseObject({ source: z.string(), ok: z.boolean(), ...Problems })).optional(),
    site: z.array(z.string()).optional(),
    assets: z.array(z.string()).optional(),
    errors: z.array(z.string()).optional(),
    config: z.string().nullable().optional(),
  }),
});
type RunRecordFile = z.infer<typeof RunRecordFile>;

/** What a build that reuses the record reports. */
export interface ReusedRun {
  manifest: Manifest;
  notices: string[];
  standing: string[];
}

/**
 * The recorded run of `dir`, when every stamp it lists is as it is now, its settings
 * are `settings` and `now` is before its first embargo lifts; otherwise undefined. Never
 * throws: a record that is missing, damaged or larger than `limit` bytes is no record.
 */
export async function reusableRun(file: string, settings: unknown, now: Date, limit: number): Promise<ReusedRun | undefined> {
  let json: unknown;
  try {
    const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    try {
      const info = await handle.stat();
      if (!info.isFile() || info.size > limit) return undefined;
      json = JSON.parse((await handle.readFile()).toString('utf8'));
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
  const parsed = RunRecordFile.safeParse(json);
  if (!parsed.success) return undefined;
  const record = parsed.data;
  if (record.key !== contentKey(settings)) return undefined;
  if (record.validUntil !== null && !(now.getTime() < record.validUntil)) return undefined;
  for (const [file, stamp] of record.inputs) if (!same(stampPath(file), stamp)) return undefined;
  for (const [file, stamp] of record.outputs) if (!same(stampPath(file, false), stamp)) return undefined;
  return { manifest: record.manifest as Manifest, notices: record.notices, standing: record.standing };
}

/** Removes a folder's record, so that a run that ends otherwise than cleanly is never reused. */
export async function dropRunRecord(file: string): Promise<void> {
  await rm(file, { force: true }).catch(() => undefined);
}

/**
 * Writes the record of a run that ended cleanly: its settings, inputs and notices, the
 * stamps of `outputs` (absolute paths: every file it left, the cache files included) as
 * they are now, and the manifest a run that changes nothing reports (`unchangedManifest`).
 * @throws OutputError when it cannot be written (the caller says nothing: the next build is only slower).
 */
export async function writeRunRecord(
  file: string,
  run: { settings: unknown; validUntil: number | undefined; inputs: ReadonlyMap<string, PathStamp>; outputs: readonly string[]; notices: readonly string[]; standing: readonly string[]; manifest: Manifest },
): Promise<void> {
  const record: RunRecordFile = {
    format: 2,
    key: contentKey(run.settings),
    validUntil: run.validUntil ?? null,
    inputs: [...run.inputs],
    outputs: [...new Set(run.outputs)].map((file) => [file, stampPath(file, false)]),
    notices: [...run.notices],
    standing: [...run.standing],
    manifest: run.manifest as RunRecordFile['manifest'],
  };
  // Level by level: a recursive mkdir spins forever under /proc (see files.ts ensureDir).
  await ensureDir(path.dirname(file));
  await writeFileAtomic(file, `${JSON.stringify(record)}\n`, { fsync: false });
  await pruneRecords(path.dirname(file));
}

/** How many records the cache folder keeps: those of the folders built most recently. */
const KEPT_RECORDS = 100;

/** Keeps the cache folder from growing with every output folder ever built: only the newest KEPT_RECORDS stay. */
async function pruneRecords(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  if (names.length <= KEPT_RECORDS) return;
  const aged = names.map((name) => ({ file: path.join(dir, name), at: statSync(path.join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0 }));
  aged.sort((a, b) => b.at - a.at);
  for (const { file } of aged.slice(KEPT_RECORDS)) await rm(file, { force: true }).catch(() => undefined);
}

/**
 * The manifest a build that changes nothing reports, from the one this run reports: a
 * brief written now is unchanged then, and nothing is removed again.
 */
export function unchangedManifest(manifest: Manifest): Manifest {
  return {
    ...manifest,
    // In the order entryFor makes an entry's keys: --json prints them as they are.
    briefs: manifest.briefs.map(({ removed: _removed, ...entry }) => {
      if (!entry.ok || entry.outputs.length === 0) return entry;
      const { source, slug, ok, outputs, ...rest } = entry;
      // `rest` may hold `unchanged` already: spread after it, it keeps this place.
      return { source, slug, ok, outputs, unchanged: true, ...rest };
    }),
  };
}
