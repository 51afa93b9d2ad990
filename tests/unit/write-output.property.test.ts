import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeOutput } from '../../src/project/files.js';
import { tempDir } from '../helpers.js';

/*
 * writeOutput remembers the byte arrays it wrote or found in place, with each file's
 * stamp, and looks at such a file again with one lstat (serve's rebuilds write a
 * template's 500 font slices each time). Whatever happened to the file in between, the
 * next write of the same array leaves exactly those bytes in a regular file; only a file
 * nobody touched is left alone (same inode, not written again).
 */

type Meddling = 'none' | 'overwrite' | 'same size, times put back' | 'remove' | 'chmod' | 'link to another file' | 'truncate';

const MEDDLINGS: Meddling[] = ['none', 'overwrite', 'same size, times put back', 'remove', 'chmod', 'link to another file', 'truncate'];

function meddle(file: string, how: Meddling, elsewhere: string): void {
  const before = statSync(file, { throwIfNoEntry: false });
  switch (how) {
    case 'none':
      return;
    case 'overwrite':
      writeFileSync(file, 'something else entirely');
      return;
    case 'same size, times put back': {
      // touch -r copies the times to the nanosecond, as a backup tool restoring a file does.
      const times = `${elsewhere}.times`;
      writeFileSync(times, '');
      execFileSync('touch', ['-r', file, times]);
      const bytes = readFileSync(file);
      writeFileSync(file, Buffer.from(bytes.map((b) => b ^ 0xff)));
      execFileSync('touch', ['-r', times, file]);
      expect(statSync(file).mtimeMs).toBe(before?.mtimeMs);
      return;
    }
    case 'remove':
      rmSync(file, { force: true });
      return;
    case 'chmod':
      chmodSync(file, 0o600);
      return;
    case 'link to another file':
      rmSync(file, { force: true });
      writeFileSync(elsewhere, 'not ours');
      symlinkSync(elsewhere, file);
      return;
    case 'truncate':
      writeFileSync(file, '');
      return;
  }
}

describe('writeOutput of the same bytes again', () => {
  it('leaves those bytes in a regular file whatever was done to it, and an untouched file untouched (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.array(fc.constantFrom(...MEDDLINGS), { minLength: 1, maxLength: 5 }), async (bytes, steps) => {
        const dir = tempDir();
        const file = path.join(dir, 'out', 'assets', 'font.0123456789.woff2');
        const elsewhere = path.join(dir, 'elsewhere.txt');
        try {
          await writeOutput(file, bytes, { durable: false, within: path.join(dir, 'out') });
          for (const how of steps) {
            const inode = lstatSync(file, { throwIfNoEntry: false })?.ino;
            meddle(file, how, elsewhere);
            await writeOutput(file, bytes, { durable: false, within: path.join(dir, 'out') });
            const now = lstatSync(file);
            expect(now.isFile(), how).toBe(true);
            expect(Buffer.compare(readFileSync(file), Buffer.from(bytes)), how).toBe(0);
            if (how === 'none' || how === 'chmod') expect(now.ino, how).toBe(inode);
          }
          // The file a link pointed to is never written through.
          if (steps.includes('link to another file')) expect(readFileSync(elsewhere, 'utf8')).toBe('not ours');
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 120 },
    );
  });

  it('compares the bytes when another array with the same content comes, and writes a changed one', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.css');
    await writeOutput(file, Buffer.from('body{}'), { durable: false });
    const inode = lstatSync(file).ino;
    await writeOutput(file, Buffer.from('body{}'), { durable: false });
    expect(lstatSync(file).ino).toBe(inode);
    await writeOutput(file, Buffer.from('body{color:red}'), { durable: false });
    expect(readFileSync(file, 'utf8')).toBe('body{color:red}');
  });
});
