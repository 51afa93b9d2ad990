import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProjectWatcher } from '../../src/serve/watcher.js';
import { tempDir } from '../helpers.js';

/*
 * A template override folder is edited like a brief, with the same editors: saves that
 * write a copy and rename it over, saves that overwrite in place, and a file removed and
 * written again. Each save two folders down must be one call, every time (Node 20's
 * recursive fs.watch on Linux missed about half of them).
 */

/** Long enough for fs.watch to report and the watcher to settle (60 ms) on a busy machine. */
const QUIET_MS = 300;
const SAVES = 12;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const watchers: ProjectWatcher[] = [];
afterEach(() => {
  for (const w of watchers.splice(0)) w.close();
});

/** dir/ with briefs/ and a template override my/flash-brief/partials/masthead.hbs, watched as `brief serve --templates my` watches it. */
async function watching() {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'briefs'));
  const partials = path.join(dir, 'my', 'flash-brief', 'partials');
  mkdirSync(partials, { recursive: true });
  const partial = path.join(partials, 'masthead.hbs');
  writeFileSync(partial, '<header>0</header>\n');
  const calls = { count: 0 };
  watchers.push(new ProjectWatcher({ cwd: dir, inputs: ['briefs'], templates: 'my' }, () => (calls.count += 1)));
  await sleep(100);
  calls.count = 0;
  return { dir, partials, partial, calls };
}

/** Waits until `calls` has counted one more (or QUIET_MS * 5), then QUIET_MS more, for a second call that should not come. */
async function settled(calls: { count: number }, before: number) {
  for (let waited = 0; calls.count === before && waited < QUIET_MS * 5; waited += 10) await sleep(10);
  await sleep(QUIET_MS);
  return calls.count - before;
}

/** Each save's number of calls, one save after another. */
async function callsPerSave(calls: { count: number }, save: (n: number) => void): Promise<number[]> {
  const counts: number[] = [];
  for (let n = 1; n <= SAVES; n++) {
    const before = calls.count;
    save(n);
    counts.push(await settled(calls, before));
  }
  return counts;
}

const once = Array<number>(SAVES).fill(1);

describe('the project watcher, on a template override folder', () => {
  it('calls once for every save that renames a copy over a partial two folders down', async () => {
    const { partial, calls } = await watching();
    const counts = await callsPerSave(calls, (n) => {
      const copy = `${partial}.tmp${n}`;
      writeFileSync(copy, `<header>${n}</header>\n`);
      renameSync(copy, partial);
    });
    expect(counts).toEqual(once);
  });

  it('calls once for every save that overwrites a partial in place', async () => {
    const { partial, calls } = await watching();
    expect(await callsPerSave(calls, (n) => writeFileSync(partial, `<header>${n}</header>\n`))).toEqual(once);
  });

  it('calls once for every partial removed and written again', async () => {
    const { partial, calls } = await watching();
    const counts = await callsPerSave(calls, (n) => {
      rmSync(partial);
      writeFileSync(partial, `<header>${n}</header>\n`);
    });
    expect(counts).toEqual(once);
  });

  it('watches a folder made after it started, and one removed and made again, and leaves no watcher on a removed one', async () => {
    const { dir, partials, calls } = await watching();
    const openWatchers = () => process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;
    const started = openWatchers();

    // A new template's folders, made at once (mkdir -p): one change, then saves two folders down are seen.
    const added = path.join(dir, 'my', 'brief-index', 'partials');
    mkdirSync(added, { recursive: true });
    expect(await settled(calls, 0)).toBe(1);
    for (let n = 1; n <= 3; n++) {
      const before = calls.count;
      writeFileSync(path.join(added, 'footer.hbs'), `<footer>${n}</footer>\n`);
      expect(await settled(calls, before), `save ${n} in a new folder`).toBe(1);
    }
    expect(openWatchers()).toBe(started + 2);

    // partials/ removed with its file, then made again: the watcher goes on, and sees saves in it.
    let before = calls.count;
    rmSync(partials, { recursive: true });
    expect(await settled(calls, before)).toBeGreaterThanOrEqual(1);
    await sleep(50);
    expect(openWatchers()).toBe(started + 1);
    before = calls.count;
    mkdirSync(partials);
    writeFileSync(path.join(partials, 'masthead.hbs'), '<header>again</header>\n');
    expect(await settled(calls, before)).toBe(1);
    before = calls.count;
    writeFileSync(path.join(partials, 'masthead.hbs'), '<header>again and again</header>\n');
    expect(await settled(calls, before)).toBe(1);

    // The whole template folder removed, then made again.
    before = calls.count;
    rmSync(path.join(dir, 'my'), { recursive: true });
    expect(await settled(calls, before)).toBeGreaterThanOrEqual(1);
    before = calls.count;
    mkdirSync(partials, { recursive: true });
    expect(await settled(calls, before)).toBe(1);
    before = calls.count;
    writeFileSync(path.join(partials, 'masthead.hbs'), '<header>back</header>\n');
    expect(await settled(calls, before)).toBe(1);
  });
});
