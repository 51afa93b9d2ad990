import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProjectWatcher } from '../../src/serve/watcher.js';
import { tempDir } from '../helpers.js';

/*
 * The watcher alone, on real files: serve.test.ts shows that an edit to each kind of file
 * reloads the page; this shows the rest of the contract, which a page cannot: one call per
 * save, one for a burst, none for files the build does not read, none after close().
 */

/** Long enough for fs.watch to report and the watcher to settle (60 ms) on a busy machine. */
const QUIET_MS = 400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** dir/ is where serve starts; the project is dir/proj, with a template override in proj/tpl. */
function project() {
  const dir = tempDir();
  const proj = path.join(dir, 'proj');
  for (const sub of ['briefs/sub', 'incidents', 'tpl/flash-brief/partials']) mkdirSync(path.join(proj, sub), { recursive: true });
  mkdirSync(path.join(dir, 'briefs'));
  const files = {
    brief: path.join(proj, 'briefs', 'a.yaml'),
    incidents: path.join(proj, 'incidents', 'feed.yaml'),
    places: path.join(proj, 'places.yaml'),
    config: path.join(dir, 'brief.config.yaml'),
    partial: path.join(proj, 'tpl', 'flash-brief', 'partials', 'masthead.hbs'),
  };
  for (const file of Object.values(files)) writeFileSync(file, 'x: 1\n');
  return { dir, proj, files };
}

const watchers: ProjectWatcher[] = [];
afterEach(() => {
  for (const w of watchers.splice(0)) w.close();
});

/** A watcher as `brief serve proj/briefs --templates proj/tpl` run in dir/ starts it, and its call count. */
async function watching(dir: string) {
  const calls = { count: 0 };
  watchers.push(new ProjectWatcher({ cwd: dir, inputs: ['proj/briefs'], templates: 'proj/tpl' }, () => (calls.count += 1)));
  // fs.watch is armed on return, but let any event of the set-up itself pass first.
  await sleep(100);
  calls.count = 0;
  return calls;
}

/** Waits until `calls` has counted one more (or QUIET_MS * 5), then QUIET_MS more, for a second call that should not come. */
async function settled(calls: { count: number }, before: number) {
  for (let waited = 0; calls.count === before && waited < QUIET_MS * 5; waited += 20) await sleep(20);
  await sleep(QUIET_MS);
  return calls.count - before;
}

describe('the project watcher', () => {
  it('calls once for a save to each file the build reads, started from another folder', async () => {
    const { dir, files } = project();
    const calls = await watching(dir);
    for (const [kind, file] of Object.entries(files)) {
      const before = calls.count;
      writeFileSync(file, `edited: ${kind}\n`);
      expect(await settled(calls, before), kind).toBe(1);
    }
  });

  it('does not call for files the build does not read', async () => {
    const { dir, proj } = project();
    const calls = await watching(dir);
    const ignored = [
      path.join(proj, 'briefs', 'notes.txt'),
      // Briefs are read from the folder itself, not its subfolders.
      path.join(proj, 'briefs', 'sub', 'b.yaml'),
      path.join(proj, 'incidents', 'README.md'),
      path.join(proj, 'other.yaml'),
      path.join(proj, 'places.yaml.bak'),
      // The places and briefs of the folder serve started in are not the project's.
      path.join(dir, 'places.yaml'),
      path.join(dir, 'briefs', 'c.yaml'),
      path.join(dir, 'other.yaml'),
    ];
    for (const file of ignored) writeFileSync(file, 'x: 2\n');
    await sleep(QUIET_MS);
    expect(calls.count).toBe(0);
  });

  it('calls once for a burst of saves across several files', async () => {
    const { dir, files } = project();
    const calls = await watching(dir);
    writeFileSync(files.brief, 'x: 3\n');
    writeFileSync(files.incidents, 'x: 3\n');
    writeFileSync(files.places, 'x: 3\n');
    writeFileSync(files.config, 'x: 3\n');
    expect(await settled(calls, 0)).toBe(1);
  });

  it('does not call after close(), for a save still settling or a later one', async () => {
    const { dir, files } = project();
    const calls = await watching(dir);
    writeFileSync(files.brief, 'x: 4\n');
    // Let fs.watch report the save, so it is settling (not yet called) when close() comes.
    await sleep(30);
    watchers[0]?.close();
    writeFileSync(files.places, 'x: 4\n');
    await sleep(QUIET_MS);
    expect(calls.count).toBe(0);
  });

  it('watches what exists when a folder beside the briefs is missing', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'briefs'));
    const calls = { count: 0 };
    watchers.push(new ProjectWatcher({ cwd: dir, inputs: ['briefs'], templates: 'no-such-folder' }, () => (calls.count += 1)));
    await sleep(100);
    writeFileSync(path.join(dir, 'briefs', 'a.yaml'), 'x: 5\n');
    expect(await settled(calls, 0)).toBe(1);
  });

  it('sees incidents/ created after it started, then the files saved in it', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'briefs'));
    const calls = { count: 0 };
    watchers.push(new ProjectWatcher({ cwd: dir, inputs: ['briefs'] }, () => (calls.count += 1)));
    await sleep(100);
    mkdirSync(path.join(dir, 'incidents'));
    expect(await settled(calls, 0)).toBe(1);
    writeFileSync(path.join(dir, 'incidents', 'feed.yaml'), 'x: 6\n');
    expect(await settled(calls, 1)).toBe(1);
  });

  it('watches a brief file given by name as that file, with the incidents and places beside its folder', async () => {
    const { dir, proj, files } = project();
    const calls = { count: 0 };
    watchers.push(new ProjectWatcher({ cwd: dir, inputs: ['proj/briefs/a.yaml'] }, () => (calls.count += 1)));
    await sleep(100);
    writeFileSync(path.join(proj, 'briefs', 'other.yaml'), 'x: 7\n');
    expect(await settled(calls, 0)).toBe(0);
    for (const file of [files.brief, files.incidents, files.places]) {
      const before = calls.count;
      writeFileSync(file, 'x: 8\n');
      expect(await settled(calls, before), file).toBe(1);
    }
  });
});
