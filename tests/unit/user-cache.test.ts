import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedOnDisk, cachedOnDiskAsync, type Codec } from '../../src/project/user-cache.js';
import { tempDir } from '../helpers.js';

/*
 * The user's cache folder holds hints: whatever sits where an entry should be (a named
 * pipe, a link to an endless device, a huge file, a folder), the value is computed again
 * at once, the process never blocks or reads without end, and the entry is written anew.
 */

const TEXT: Codec<string> = { encode: (v) => v, decode: (j) => (typeof j === 'string' ? j : undefined) };

const saved = process.env.FLASHBRIEF_CACHE_DIR;
afterEach(() => {
  process.env.FLASHBRIEF_CACHE_DIR = saved;
});

/** A cache folder with one entry of kind `test`, and that entry's path. */
function cacheWithEntry(): { dir: string; entry: string } {
  const dir = tempDir();
  process.env.FLASHBRIEF_CACHE_DIR = dir;
  expect(cachedOnDisk('test', ['k'], TEXT, () => 'computed')).toBe('computed');
  const [name] = readdirSync(path.join(dir, 'test'));
  return { dir, entry: path.join(dir, 'test', name as string) };
}

const PUT_IN_PLACE: Record<string, (entry: string) => void> = {
  'a named pipe': (entry) => execFileSync('mkfifo', [entry]),
  'a link to /dev/zero': (entry) => symlinkSync('/dev/zero', entry),
  'a 200 MB sparse file': (entry) => {
    writeFileSync(entry, '');
    truncateSync(entry, 200 * 1024 * 1024);
  },
  'a folder': (entry) => mkdirSync(entry),
  'a link to nothing': (entry) => symlinkSync('/no/such/file', entry),
};

describe("an entry of the user's cache that is not a file this code wrote", () => {
  it.each(Object.keys(PUT_IN_PLACE))('%s: computed again at once, and an entry written for the next run', async (what) => {
    const { entry } = cacheWithEntry();
    rmSync(entry);
    PUT_IN_PLACE[what]?.(entry);
    let computed = 0;
    const started = performance.now();
    expect(cachedOnDisk('test', ['k'], TEXT, () => (computed++, 'again'))).toBe('again');
    expect(await cachedOnDiskAsync('test', ['k'], TEXT, async () => (computed++, 'again'))).toMatch(/again/);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(computed).toBeGreaterThanOrEqual(1);
    // A folder in the way stays (it is not ours to remove); anything else is replaced by an entry.
    if (what !== 'a folder') expect(cachedOnDisk('test', ['k'], TEXT, () => 'not used')).toBe('again');
  });
});
