import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureRealDir, removeOutput, writeOutput } from '../../src/project/files.js';
import { projectWith, runCli, tempDir } from '../helpers.js';

/*
 * issue 13: a symbolic link where the build needs a folder, at any depth inside the output
 * folder or the folder for embargoed briefs, is replaced by a real folder (the link alone
 * removed); nothing is ever written or removed through it, so the folder it points to is
 * left exactly as it was.
 */

const BRIEF = 'title: Linked\ndate: 2024-01-05\nslug: linked\ntopics: [Iraq]\ndevelopments: All quiet.\n';
const HELD = 'title: Held\ndate: 2024-01-06\nslug: held\ntopics: [Iraq]\nembargo: 2999-01-01T00:00Z\ndevelopments: Not yet.\n';

/** Every entry under a folder, relative to it, with its content for files (links not followed). */
function snapshot(dir: string): Record<string, string> {
  const all: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(e.parentPath, e.name);
    all[path.relative(dir, file)] = e.isFile() ? readFileSync(file, 'utf8') : e.isSymbolicLink() ? 'link' : 'folder';
  }
  return all;
}

describe('a linked folder inside the output folder', () => {
  it('is replaced by a real folder, and the folder it points to is left as it was (assets, topics, embargoed)', async () => {
    const dir = projectWith({ 'linked.yaml': BRIEF, 'held.yaml': HELD });
    const build = () => runCli(['build', '--html-only', '--embargoed-out', 'embargoed'], { cwd: dir });
    expect((await build()).code).toBe(0);
    const victim = tempDir('flashbrief-victim-');
    for (const sub of ['vassets', 'vtopics', 'vembargo']) mkdirSync(path.join(victim, sub));
    // Files of the names the build writes, which must survive.
    writeFileSync(path.join(victim, 'vtopics', 'iraq.html'), 'victim topic page\n');
    const css = readdirSync(path.join(dir, 'output', 'assets')).find((f) => f.endsWith('.css')) as string;
    writeFileSync(path.join(victim, 'vassets', css), 'victim stylesheet\n');
    writeFileSync(path.join(victim, 'vembargo', css), 'victim embargoed stylesheet\n');
    const before = snapshot(victim);
    rmSync(path.join(dir, 'output', 'assets'), { recursive: true });
    rmSync(path.join(dir, 'output', 'topics'), { recursive: true });
    rmSync(path.join(dir, 'embargoed', 'assets'), { recursive: true });
    symlinkSync(path.join(victim, 'vassets'), path.join(dir, 'output', 'assets'));
    symlinkSync(path.join(victim, 'vtopics'), path.join(dir, 'output', 'topics'));
    symlinkSync(path.join(victim, 'vembargo'), path.join(dir, 'embargoed', 'assets'));
    writeFileSync(path.join(dir, 'briefs', 'linked.yaml'), BRIEF.replace('All quiet.', 'Two strikes.'));
    writeFileSync(path.join(dir, 'briefs', 'held.yaml'), HELD.replace('Not yet.', 'Still not.'));
    const result = await build();
    expect(result.code, result.stderr).toBe(0);
    expect(snapshot(victim)).toEqual(before);
    for (const folder of ['output/assets', 'output/topics', 'embargoed/assets']) {
      const info = lstatSync(path.join(dir, folder));
      expect(info.isSymbolicLink(), folder).toBe(false);
      expect(info.isDirectory(), folder).toBe(true);
    }
    expect(readFileSync(path.join(dir, 'output', 'topics', 'iraq.html'), 'utf8')).toContain('Linked');
    expect(readFileSync(path.join(dir, 'output', 'assets', css), 'utf8')).not.toContain('victim');
    expect(readFileSync(path.join(dir, 'embargoed', 'assets', css), 'utf8')).not.toContain('victim');
  }, 60_000);

  it('is never followed to remove a file (removeOutput, as retracting an embargoed brief does)', async () => {
    const dir = projectWith({ 'linked.yaml': BRIEF });
    expect((await runCli(['build', '--html-only'], { cwd: dir })).code).toBe(0);
    // A page the build wrote, now behind a link to another folder.
    const victim = tempDir('flashbrief-victim-');
    writeFileSync(path.join(victim, 'iraq.html'), readFileSync(path.join(dir, 'output', 'topics', 'iraq.html')));
    rmSync(path.join(dir, 'output', 'topics'), { recursive: true });
    symlinkSync(victim, path.join(dir, 'output', 'topics'));
    const page = path.join(dir, 'output', 'topics', 'iraq.html');
    expect(await removeOutput(path.join(dir, 'output'), page)).toBe(false);
    expect(existsSync(path.join(victim, 'iraq.html'))).toBe(true);
  }, 60_000);
});

describe('ensureRealDir and writeOutput with `within`', () => {
  it('replaces a link at any depth, even a chain, and writes inside the real folder', async () => {
    const root = tempDir();
    const victim = tempDir('flashbrief-victim-');
    mkdirSync(path.join(victim, 'deep'), { recursive: true });
    writeFileSync(path.join(victim, 'deep', 'x.html'), 'theirs\n');
    mkdirSync(path.join(root, 'a'));
    symlinkSync(victim, path.join(root, 'a', 'b'));
    await writeOutput(path.join(root, 'a', 'b', 'deep', 'x.html'), 'ours\n', { within: root });
    expect(readFileSync(path.join(victim, 'deep', 'x.html'), 'utf8')).toBe('theirs\n');
    expect(lstatSync(path.join(root, 'a', 'b')).isDirectory()).toBe(true);
    expect(readFileSync(path.join(root, 'a', 'b', 'deep', 'x.html'), 'utf8')).toBe('ours\n');
  });

  it('leaves the root itself as the user made it: a root that is a link is written into', async () => {
    const real = tempDir();
    const holder = tempDir();
    symlinkSync(real, path.join(holder, 'out'));
    await ensureRealDir(path.join(holder, 'out'), path.join(holder, 'out', 'topics'));
    expect(lstatSync(path.join(real, 'topics')).isDirectory()).toBe(true);
  });

  it('refuses a file where a folder is needed, without removing it', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'topics'), 'a file\n');
    await expect(writeOutput(path.join(root, 'topics', 'x.html'), 'x', { within: root })).rejects.toThrow(/a file is in the way/);
    expect(readFileSync(path.join(root, 'topics'), 'utf8')).toBe('a file\n');
  });

  it('makes one folder for many files written at once into a linked folder', async () => {
    const root = tempDir();
    const victim = tempDir('flashbrief-victim-');
    symlinkSync(victim, path.join(root, 'assets'));
    await Promise.all(Array.from({ length: 40 }, (_, i) => writeOutput(path.join(root, 'assets', `f${i}.txt`), `${i}`, { within: root, durable: false })));
    expect(readdirSync(victim)).toEqual([]);
    expect(readdirSync(path.join(root, 'assets'))).toHaveLength(40);
  });
});
