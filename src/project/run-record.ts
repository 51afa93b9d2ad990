import { lstatSync, statSync } from 'node:fs';
import { mkdir, open, readdir, rm } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { constants } from 'node:fs';
import path from 'node:path';
import { contentKey } from '../core/content-key.js';
import { stampOf, type PathStamp } from './input-log.js';
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

/** The path's stamp now, without following a link at the end of it (an output replaced by a link differs). */
function stampNow(file: string, follow: boolean): PathStamp {
  try {
    return stampOf(follow ? statSync(file) : lstatSync(file));
  } catch {
    return null;
  }
}

const same = (a: PathStamp, b: PathStamp): boolean => (a === null || b === null ? a === b : a[0] === b[0] && a[1] === b[1] && a[2] === b[2]);

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

interface RunRecordFile {
  format: 1;
  key: string;
  /** Milliseconds since the epoch: the first embargo to lift after the run's clock; null for none. */
  validUntil: number | null;
  inputs: [string, PathStamp][];
  outputs: [string, PathStamp][];
  /** The notices the run said about the project's files, said again by a run that reuses it. */
  notices: string[];
  manifest: Manifest;
}

/** What a build that reuses the record reports. */
export interface ReusedRun {
  manifest: Manifest;
  notices: string[];
}

/**
 * The recorded run of `dir`, when every stamp it lists is as it is now, its settings
 * are `settings` and `now` is before its first embargo lifts; otherwise undefined. Never
 * throws: a record that is missing, damaged or larger than `limit` bytes is no record.
 */
export async function reusableRun(file: string, settings: unknown, now: Date, limit: number): Promise<ReusedRun | undefined> {
  let record: RunRecordFile;
  try {
    const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    try {
      const info = await handle.stat();
      if (!info.isFile() || info.size > limit) return undefined;
      record = JSON.parse((await handle.readFile()).toString('utf8')) as RunRecordFile;
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
  if (record?.format !== 1 || record.key !== contentKey(settings) || !Array.isArray(record.inputs) || !Array.isArray(record.outputs)) return undefined;
  if (record.validUntil !== null && !(now.getTime() < record.validUntil)) return undefined;
  for (const [file, stamp] of record.inputs) if (!same(stampNow(file, true), stamp)) return undefined;
  for (const [file, stamp] of record.outputs) if (!same(stampNow(file, false), stamp)) return undefined;
  if (typeof record.manifest !== 'object' || record.manifest === null || !Array.isArray(record.notices)) return undefined;
  return { manifest: record.manifest, notices: record.notices };
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
  run: { settings: unknown; validUntil: number | undefined; inputs: ReadonlyMap<string, PathStamp>; outputs: readonly string[]; notices: readonly string[]; manifest: Manifest },
): Promise<void> {
  const record: RunRecordFile = {
    format: 1,
    key: contentKey(run.settings),
    validUntil: run.validUntil ?? null,
    inputs: [...run.inputs],
    outputs: [...new Set(run.outputs)].map((file) => [file, stampNow(file, false)]),
    notices: [...run.notices],
    manifest: run.manifest,
  };
  await mkdir(path.dirname(file), { recursive: true });
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
