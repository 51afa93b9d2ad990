import { createReadStream, existsSync, lstatSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeNamedFile } from '../../src/project/files.js';
import { mkfifoSync, ROOT, runCli, tempDir } from '../helpers.js';

/*
 * issue 13: `brief schema --out X` and `brief export -o X` write X as shell redirection
 * would. A pipe or device is opened and written into, never renamed over (`--out
 * /dev/full` had turned the device into a regular file); a symbolic link is followed to
 * the file it names, which is written, and the link stays.
 */

/** Everything a reader of the named pipe gets until the writer closes it. */
function readAll(fifo: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    createReadStream(fifo, 'utf8')
      .on('data', (d) => (text += String(d)))
      .on('end', () => resolve(text))
      .on('error', reject);
  });
}

describe('a user-named output file that is not a regular file', () => {
  it('--out /dev/stdout prints the JSON', async () => {
    const result = await runCli(['schema', '--out', '/dev/stdout']);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { $schema: string }).$schema).toMatch(/json-schema/);
  });

  it.skipIf(!existsSync('/dev/full'))('--out /dev/full says the device is full, exit 3, and leaves the device a device', async () => {
    const result = await runCli(['schema', '--out', '/dev/full']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('could not write /dev/full: no space is left on the device');
    expect(result.stderr).not.toMatch(/unexpected error/);
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('a named pipe is written into, its reader gets the JSON, and it stays a pipe (schema and export)', async () => {
    const fifo = path.join(tempDir(), 'out.json');
    mkfifoSync(fifo);
    const [text, result] = await Promise.all([readAll(fifo), runCli(['schema', 'config', '--out', fifo])]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(text)).toHaveProperty('properties');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    const [rows, exported] = await Promise.all([readAll(fifo), runCli(['export', '--format', 'json', '-o', fifo], { cwd: ROOT })]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(Array.isArray(JSON.parse(rows))).toBe(true);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  }, 30_000);

  it('a named pipe nobody reads yet is waited on, and the wait ends when asked (Ctrl-C)', async () => {
    const fifo = path.join(tempDir(), 'out.json');
    mkfifoSync(fifo);
    const controller = new AbortController();
    const writing = writeNamedFile(fifo, '{"late": true}\n', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stopped')), 200);
    await expect(writing).rejects.toThrow('stopped');
    // A reader that comes late gets the whole text.
    const late = writeNamedFile(fifo, '{"late": true}\n');
    await new Promise((r) => setTimeout(r, 150));
    const [text] = await Promise.all([readAll(fifo), late]);
    expect(JSON.parse(text)).toEqual({ late: true });
  });
});

describe('a user-named output file that is a symbolic link', () => {
  it('is followed, as `>` follows it: the file it names is written and the link stays', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'real.json'), 'old\n');
    symlinkSync('real.json', path.join(dir, 'link.json'));
    const result = await runCli(['schema', '--out', 'link.json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(lstatSync(path.join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(dir, 'link.json'))).toBe('real.json');
    expect(JSON.parse(readFileSync(path.join(dir, 'real.json'), 'utf8'))).toHaveProperty('$schema');
  });

  it('that leads nowhere is an error in plain words, exit 3, and the link is left', async () => {
    const dir = tempDir();
    symlinkSync('missing/nowhere.json', path.join(dir, 'link.json'));
    const result = await runCli(['schema', '--out', 'link.json'], { cwd: dir });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('could not write link.json: a symbolic link that leads nowhere');
    expect(readlinkSync(path.join(dir, 'link.json'))).toBe('missing/nowhere.json');
  });
});
