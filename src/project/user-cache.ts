import { createHash } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/*
 * The user's cache folder: what one run computed that the next may reuse, kept apart from
 * the project and from the output folder (which is deployed). Everything in it is a hint:
 * a file that is missing, damaged or written by another version is computed again.
 */

/**
 * FLASHBRIEF_CACHE_DIR, else $XDG_CACHE_HOME/flashbrief, else ~/.cache/flashbrief: where
 * the XDG Base Directory specification puts a program's caches.
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.FLASHBRIEF_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'flashbrief');
}

/** A JSON codec for a value kept on disk. */
export interface Codec<T> {
  encode(value: T): unknown;
  /** Undefined for what is not a value of this kind (a damaged file): it is computed again. */
  decode(json: unknown): T | undefined;
}

/**
 * `compute()`'s value, kept in the cache folder under a hash of `key` (which must name
 * every input, the code's own text included): read from there when a run before this one
 * computed it. Synchronous, as its callers are: one small file read instead of the work.
 * A cache folder that cannot be read or written costs only the work.
 */
export function cachedOnDisk<T>(kind: string, key: readonly string[], codec: Codec<T>, compute: () => T): T {
  const found = readCached(kind, key, codec);
  if (found !== undefined) return found;
  const value = compute();
  keepCached(kind, key, codec, value);
  return value;
}

/** cachedOnDisk for work that is asynchronous (a module loaded only when the work is done). */
export async function cachedOnDiskAsync<T>(kind: string, key: readonly string[], codec: Codec<T>, compute: () => Promise<T>): Promise<T> {
  const found = readCached(kind, key, codec);
  if (found !== undefined) return found;
  const value = await compute();
  keepCached(kind, key, codec, value);
  return value;
}

const cacheFile = (kind: string, key: readonly string[]): string =>
  path.join(userCacheDir(), kind, `${createHash('sha256').update(key.join('\u0000')).digest('hex').slice(0, 40)}.json`);

/**
 * The most an entry may hold: a cleaned SVG of the largest image a brief may show
 * (images.ts IMAGE_MAX_BYTES, 10 MB) as JSON, with room to spare. A bigger file is not
 * one this code wrote, and is not read (a link to /dev/zero would never end).
 */
const ENTRY_MAX_BYTES = 64 * 1024 * 1024;

/** The value kept under `key`, or undefined when there is none that reads back whole. */
function readCached<T>(kind: string, key: readonly string[], codec: Codec<T>): T | undefined {
  try {
    const text = readEntry(cacheFile(kind, key));
    if (text === undefined) return undefined;
    // The value's text is stored with its hash: a file cut short or edited is computed again, never used.
    const { value, check } = JSON.parse(text) as { value?: unknown; check?: unknown };
    return check === digest(JSON.stringify(value)) ? codec.decode(value) : undefined;
  } catch {
    // Not there yet, or damaged: computed by the caller.
    return undefined;
  }
}

/**
 * An entry's text when it is a regular file of at most ENTRY_MAX_BYTES; else undefined.
 * Opened without waiting (O_NONBLOCK) and judged by the open handle, as files.ts reads
 * the project's inputs: a named pipe put in its place would otherwise block the open
 * itself, where no signal can stop the process.
 */
function readEntry(file: string): string | undefined {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    const info = fstatSync(fd);
    return info.isFile() && info.size <= ENTRY_MAX_BYTES ? readFileSync(fd, 'utf8') : undefined;
  } finally {
    closeSync(fd);
  }
}

function keepCached<T>(kind: string, key: readonly string[], codec: Codec<T>, value: T): void {
  const file = cacheFile(kind, key);
  try {
    makeFolders(path.dirname(file));
    // Written aside and renamed, so a process reading at the same time sees all or nothing.
    const temporary = `${file}.${process.pid}.tmp`;
    const encoded = codec.encode(value);
    writeFileSync(temporary, JSON.stringify({ value: encoded, check: digest(JSON.stringify(encoded)) }));
    renameSync(temporary, file);
  } catch {
    // A read-only or full cache folder: the next run computes it again.
  }
}

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * A folder and its missing parents, one level at a time: mkdirSync's recursive option
 * spins forever under /proc, where a parent exists but cannot hold the child (the same
 * loop files.ts ensureDir avoids). Throws the first level's error.
 */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let at = path.resolve(dir); !existsSync(at); at = path.dirname(at)) {
    if (path.dirname(at) === at) break;
    missing.unshift(at);
  }
  for (const level of missing) mkdirSync(level);
}
