import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { carriesFlashbriefMark } from '../../src/project/ownership.js';
import { projectWith, runCli } from '../helpers.js';

/*
 * issue 13: a file someone else put where one of a brief's files goes (output/<slug>.html)
 * blocks only itself: it is left and reported, and the brief's PDF and fragment are
 * written all the same, on this build and every later one.
 */

const BRIEF = 'title: Foreign\ndate: 2024-01-05\nslug: owned\ntopics: [Iraq]\ndevelopments: All quiet.\n';
const THEIRS = '<p>a page of the web team</p>\n';

describe("someone else's file at a brief's page", () => {
  it('is left and reported; the PDF and fragment are still written, build after build', async () => {
    const dir = projectWith({ 'owned.yaml': BRIEF });
    const output = path.join(dir, 'output');
    mkdirSync(output);
    writeFileSync(path.join(output, 'owned.html'), THEIRS);
    for (const round of [1, 2]) {
      if (round === 2) writeFileSync(path.join(dir, 'briefs', 'owned.yaml'), BRIEF.replace('All quiet.', 'Two strikes.'));
      const result = await runCli(['build', '--fragment'], { cwd: dir });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain('did not write output/owned.html: a file is there that flashbrief did not write');
      expect(readFileSync(path.join(output, 'owned.html'), 'utf8')).toBe(THEIRS);
      for (const rel of ['owned.pdf', 'owned.fragment.html']) {
        const bytes = readFileSync(path.join(output, rel));
        expect(carriesFlashbriefMark(rel, bytes), `${rel}, build ${round}`).toBe(true);
      }
      expect(readFileSync(path.join(output, 'owned.fragment.html'), 'utf8')).toContain(round === 1 ? 'All quiet.' : 'Two strikes.');
    }
    // Unchanged, the brief is still built and the file still reported: the record never made it the build's.
    const again = await runCli(['build', '--fragment', '--json'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(readFileSync(path.join(output, 'owned.html'), 'utf8')).toBe(THEIRS);
    const manifest = JSON.parse(again.stdout) as { briefs: { outputs: string[]; unchanged?: boolean }[] };
    expect(manifest.briefs[0]?.unchanged).toBeUndefined();
    expect(manifest.briefs[0]?.outputs).toEqual(['output/owned.fragment.html', 'output/owned.pdf']);
  }, 120_000);
});
