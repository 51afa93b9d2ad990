import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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
  const hash = createHash('sha256').update(key.join('\u0000')).digest('hex').slice(0, 40);
  const file = path.join(userCacheDir(), kind, `${hash}.json`);
  try {
    const found = codec.decode(JSON.parse(readFileSync(file, 'utf8')));
    if (found !== undefined) return found;
  } catch {
    // Not there yet, or damaged: computed below.
  }
  const value = compute();
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    // Written aside and renamed, so a process reading at the same time sees all or nothing.
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(codec.encode(value)));
    renameSync(temporary, file);
  } catch {
    // A read-only or full cache folder: the next run computes it again.
  }
  return value;
}
