import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serve } from '../../src/serve/serve.js';
import { FIXTURES, runCli, tempDir } from '../helpers.js';

/*
 * A preview that cannot start leaves nothing behind: no watcher (which would keep
 * `brief serve` from exiting after its error) and no build folder.
 */

/** Watchers this process holds open (fs.watch handles). */
const openWatchers = () => process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let previewTmp: string;
let savedTmp: string | undefined;
beforeEach(() => {
  // serve() makes its build folder in os.tmpdir(), which reads TMPDIR: one of the test's own.
  previewTmp = tempDir();
  savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = previewTmp;
});
afterEach(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
});

function project(): string {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'briefs'));
  cpSync(path.join(FIXTURES, 'valid', 'minimal.yaml'), path.join(dir, 'briefs', 'a.yaml'));
  return dir;
}

describe('brief serve, when it cannot start', () => {
  it('rejects a port in use with words that say what to change, and leaves no watcher or folder', async () => {
    const dir = project();
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const before = openWatchers();
    try {
      await expect(serve({ cwd: dir, port: (busy.address() as AddressInfo).port })).rejects.toThrow(/another program uses that port; choose another with --port/);
    } finally {
      busy.close();
    }
    // A closed watcher's handle is released on a later turn of the event loop.
    await sleep(50);
    expect(openWatchers()).toBe(before);
    expect(readdirSync(previewTmp).filter((n) => n.startsWith('flashbrief-serve-'))).toEqual([]);
  });

  it("rejects a first build that throws with the build's error, and leaves no folder", async () => {
    const dir = project();
    await expect(serve({ cwd: dir, inputs: ['no-such-folder'], port: 0 })).rejects.toThrow('no-such-folder: no such file or folder');
    expect(readdirSync(previewTmp).filter((n) => n.startsWith('flashbrief-serve-'))).toEqual([]);
  });

  it.each([
    ['0.0.0.0', /cannot serve on 0\.0\.0\.0:0: that is every address of this machine, its network ones included; the preview listens on this machine only/],
    ['::', /cannot serve on :::0: that is every address of this machine, its network ones included; the preview listens on this machine only/],
    ['flashbrief-preview.invalid', /cannot serve on flashbrief-preview\.invalid:0: no address of this machine has that name \(ENOTFOUND|EAI_AGAIN\); the preview listens on this machine only/],
  ])('refuses --host %s in plain words (no network address, no name that resolves to none), and leaves no folder', async (host, said) => {
    const dir = project();
    await expect(serve({ cwd: dir, host, port: 0 })).rejects.toThrow(said);
    expect(readdirSync(previewTmp).filter((n) => n.startsWith('flashbrief-serve-'))).toEqual([]);
  });

  it('through the CLI: exit 3 and the same words, never an unexpected error', async () => {
    const dir = project();
    for (const host of ['0.0.0.0', 'flashbrief-preview.invalid']) {
      const result = await runCli(['serve', '--host', host, '--port', '0'], { cwd: dir });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`cannot serve on ${host}:0`);
      expect(result.stderr).not.toContain('unexpected error');
    }
  }, 60_000);
});
