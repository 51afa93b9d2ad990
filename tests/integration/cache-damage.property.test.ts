import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/project/build.js';
import { FIXTURES, projectWith } from '../helpers.js';

/*
 * The build cache is a hint, never a danger: whatever is in it (any JSON value where an
 * entry should be, a file cut short, entries of briefs long gone), a build succeeds,
 * rebuilds what the cache cannot vouch for, says so in at most one line, and leaves a
 * cache the next build can use. A full build drops the entries of briefs that are gone.
 */

const good = readFileSync(path.join(FIXTURES, 'cases', 'until-placeholder-crash', 'briefs', 'good.yaml'), 'utf8');
const SLUG = /^slug: (\S+)/m.exec(good)?.[1] as string;
const cacheOf = (dir: string) => path.join(dir, 'output', '.flashbrief-cache.json');

/** A project built once, so its cache holds a good entry and listing for its one brief; and a second brief, not yet built. */
async function builtProject(): Promise<{ dir: string; cache: { format: 1; briefs: Record<string, unknown>; listings: Record<string, unknown> } }> {
  const dir = projectWith({ 'good.yaml': good, 'other.yaml': good.replace(`slug: ${SLUG}`, 'slug: other-brief') });
  const first = await build({ cwd: dir, formats: ['html'] });
  expect(first.ok).toBe(true);
  return { dir, cache: JSON.parse(readFileSync(cacheOf(dir), 'utf8')) };
}

/** Builds with the given cache text: the build succeeds, logs at most one line about the cache, and the next build finds both briefs unchanged. */
async function buildWith(dir: string, text: string): Promise<{ rebuilt: boolean }> {
  writeFileSync(cacheOf(dir), text);
  const lines: string[] = [];
  const manifest = await build({ cwd: dir, formats: ['html'], log: (line) => lines.push(line) });
  expect(manifest.ok).toBe(true);
  expect(lines.filter((l) => l.includes('.flashbrief-cache.json')).length).toBeLessThanOrEqual(1);
  expect(readFileSync(path.join(dir, 'output', `${SLUG}.html`), 'utf8')).toContain('</html>');
  const again = await build({ cwd: dir, formats: ['html'] });
  expect(again.briefs.map((b) => b.unchanged)).toEqual([true, true]);
  return { rebuilt: manifest.briefs.find((b) => b.slug === SLUG)?.unchanged !== true };
}

describe('a damaged build cache means rebuild, never a crash', () => {
  it('any JSON value in place of a brief entry or listing (property)', async () => {
    const { dir, cache } = await builtProject();
    const entry = cache.briefs[SLUG] as { key: string; files: Record<string, unknown> };
    const listingKey = Object.keys(cache.listings)[0] as string;
    // Whole entries replaced, or one field of a good entry, or one output's stamp.
    const damage = fc.oneof(
      fc.jsonValue().map((v) => ({ briefs: { ...cache.briefs, [SLUG]: v } })),
      fc.jsonValue().map((v) => ({ briefs: { ...cache.briefs, [SLUG]: { ...entry, key: v } } })),
      fc.jsonValue().map((v) => ({ briefs: { ...cache.briefs, [SLUG]: { ...entry, files: v } } })),
      fc.jsonValue().map((v) => ({ briefs: { ...cache.briefs, [SLUG]: { ...entry, files: { [`${SLUG}.html`]: v } } } })),
      fc.jsonValue().map((v) => ({ briefs: v })),
      fc.jsonValue().map((v) => ({ listings: { ...cache.listings, [listingKey]: v } })),
      fc.jsonValue().map((v) => ({ listings: v })),
      fc.jsonValue().map((v) => ({ format: v })),
    );
    await fc.assert(
      fc.asyncProperty(damage, async (change) => {
        await buildWith(dir, JSON.stringify({ ...cache, ...change }));
      }),
      { numRuns: 40 },
    );
  }, 240_000);

  it('{"briefs":{"x":null}} and other damaged shapes: only the damaged entry is rebuilt, said in one line when it is a brief of the build', async () => {
    const { dir, cache } = await builtProject();
    const other = cache.briefs['other-brief'];
    for (const [text, said] of [
      // "x" is no brief of this build: nothing is rebuilt for it, so nothing is said, and the full build drops it.
      [JSON.stringify({ ...cache, briefs: { ...cache.briefs, x: null } }), []],
      [JSON.stringify({ ...cache, briefs: { x: null, 'other-brief': other, [SLUG]: { key: 7, files: [] } } }), ['output/.flashbrief-cache.json has 1 damaged entry: its brief is built again']],
      [JSON.stringify({ ...cache, briefs: { 'other-brief': other, [SLUG]: { key: 'k', files: { a: { size: '1', mtimeMs: null } } } } }), ['output/.flashbrief-cache.json has 1 damaged entry: its brief is built again']],
    ] as const) {
      writeFileSync(cacheOf(dir), text);
      const lines: string[] = [];
      const manifest = await build({ cwd: dir, formats: ['html'], log: (line) => lines.push(line) });
      expect(manifest.ok).toBe(true);
      expect(lines.filter((l) => l.includes('.flashbrief-cache.json'))).toEqual(said);
      // What is said is what happens: the damaged brief is built, the other brief's good entry still holds.
      expect(manifest.briefs.find((b) => b.slug === SLUG)?.unchanged).toBe(said.length === 0 ? true : undefined);
      expect(manifest.briefs.find((b) => b.slug === 'other-brief')?.unchanged).toBe(true);
      expect(Object.keys((JSON.parse(readFileSync(cacheOf(dir), 'utf8')) as { briefs: object }).briefs).sort()).toEqual(['other-brief', SLUG].sort());
    }
  });

  it('damaged listings are not said to rebuild anything: the briefs stay unchanged, and the site is written afresh', async () => {
    const { dir, cache } = await builtProject();
    const listings = Object.fromEntries(Object.keys(cache.listings).map((k) => [k, null]));
    writeFileSync(cacheOf(dir), JSON.stringify({ ...cache, listings }));
    const lines: string[] = [];
    const manifest = await build({ cwd: dir, formats: ['html'], log: (line) => lines.push(line) });
    expect(manifest.ok).toBe(true);
    expect(lines.filter((l) => l.includes('.flashbrief-cache.json'))).toEqual([]);
    expect(manifest.briefs.map((b) => b.unchanged)).toEqual([true, true]);
    const after = JSON.parse(readFileSync(cacheOf(dir), 'utf8')) as { listings: Record<string, unknown> };
    expect(Object.values(after.listings).every((l) => l !== null)).toBe(true);
  });

  it('a cache file cut short anywhere', async () => {
    const { dir } = await builtProject();
    const text = readFileSync(cacheOf(dir), 'utf8');
    const cuts = fc.sample(fc.integer({ min: 0, max: text.length - 2 }), { numRuns: 12, seed: 13 });
    for (const cut of [0, 1, ...cuts]) {
      const { rebuilt } = await buildWith(dir, text.slice(0, cut));
      expect(rebuilt).toBe(true);
    }
  }, 120_000);
});

describe('entries of briefs that are gone are pruned', () => {
  const stale = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`gone-${i}`, { key: `k${i}`, files: { [`gone-${i}.html`]: { size: 1, mtimeMs: 1 } } }]));

  it('a full build drops them and stays correct', async () => {
    const { dir, cache } = await builtProject();
    writeFileSync(cacheOf(dir), JSON.stringify({ ...cache, briefs: { ...cache.briefs, ...stale(2000) } }));
    const manifest = await build({ cwd: dir, formats: ['html'] });
    expect(manifest.ok).toBe(true);
    // The stale entries do not make the real briefs stale: both are unchanged.
    expect(manifest.briefs.map((b) => b.unchanged)).toEqual([true, true]);
    const after = JSON.parse(readFileSync(cacheOf(dir), 'utf8')) as { briefs: Record<string, unknown> };
    expect(Object.keys(after.briefs).sort()).toEqual(['other-brief', SLUG].sort());
    expect(readFileSync(cacheOf(dir), 'utf8').length).toBeLessThan(5000);
  });

  it('a deleted brief loses its entry at the next full build', async () => {
    const { dir } = await builtProject();
    rmSync(path.join(dir, 'briefs', 'other.yaml'));
    expect((await build({ cwd: dir, formats: ['html'] })).ok).toBe(true);
    const after = JSON.parse(readFileSync(cacheOf(dir), 'utf8')) as { briefs: Record<string, unknown> };
    expect(Object.keys(after.briefs)).toEqual([SLUG]);
  });

  it('a build of named files keeps the entries of the briefs it did not build', async () => {
    const { dir, cache } = await builtProject();
    writeFileSync(cacheOf(dir), JSON.stringify({ ...cache, briefs: { ...cache.briefs, ...stale(3) } }));
    const manifest = await build({ cwd: dir, formats: ['html'], inputs: ['briefs/good.yaml'] });
    expect(manifest.ok).toBe(true);
    const after = JSON.parse(readFileSync(cacheOf(dir), 'utf8')) as { briefs: Record<string, unknown> };
    expect(Object.keys(after.briefs)).toContain('gone-2');
    expect(Object.keys(after.briefs)).toContain('other-brief');
    expect(existsSync(path.join(dir, 'output', 'other-brief.html'))).toBe(true);
  });
});
