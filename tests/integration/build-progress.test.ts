import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, type ManifestEntry } from '../../src/project/build.js';
import { projectWith } from '../helpers.js';

const brief = (n: number, extra = '') =>
  `title: Brief ${n}\ndate: 2023-10-2${n}\nslug: brief-${n}\ndevelopments: Text {{tally.total}}.${extra}\n`;

/** Every onBrief call of one build: the entry's source, its ok, and the counters. */
async function progressOf(dir: string) {
  const calls: { source: string; ok: boolean; done: number; total: number }[] = [];
  const manifest = await build({
    cwd: dir,
    formats: ['html'],
    log: () => undefined,
    onBrief: (entry: ManifestEntry, done, total) => calls.push({ source: entry.source, ok: entry.ok, done, total }),
  });
  return { calls, manifest };
}

describe('onBrief reports each brief once per build', () => {
  it('built, failed and unchanged briefs are each finished exactly once, counting 1..total', async () => {
    const dir = projectWith({
      'a.yaml': brief(1),
      'b.yaml': brief(2),
      'c.yaml': brief(3, '\nauthors: nope\n'),
    });
    const first = await progressOf(dir);
    expect(first.calls.map((c) => c.done)).toEqual([1, 2, 3]);
    expect(first.calls.every((c) => c.total === 3)).toBe(true);
    expect(first.calls.map((c) => c.source).sort()).toEqual(['briefs/a.yaml', 'briefs/b.yaml', 'briefs/c.yaml']);
    expect(first.calls.find((c) => c.source === 'briefs/c.yaml')?.ok).toBe(false);

    // Second build: a unchanged, b edited, c still failing.
    writeFileSync(path.join(dir, 'briefs/b.yaml'), brief(2, '\n\nsummary: Edited.'));
    const second = await progressOf(dir);
    expect(second.calls.map((c) => c.done)).toEqual([1, 2, 3]);
    expect(second.manifest.briefs.find((b) => b.source === 'briefs/a.yaml')?.unchanged).toBe(true);
    expect(second.manifest.briefs.find((b) => b.source === 'briefs/b.yaml')?.outputs).toEqual(['output/brief-2.html']);
  });
});
