import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectWith, ROOT, runCli, runNode } from '../helpers.js';

/*
 * A shipped face claims (unicode-range) only the characters its file draws. The packages'
 * ranges are their subsets', not the fonts': Source Serif 4's latin slice claimed
 * U+2000-206F without drawing U+2010-2012 or U+202F, and the Latin Extended slices claimed
 * letters like U+0182 that no shipped file has, so `brief check` said they were covered.
 */

const FONTS_CSS = path.join(ROOT, 'templates', 'flash-brief', 'fonts.css');

describe('what the shipped faces claim', () => {
  it('check warns about characters the faces claimed but no shipped file draws', async () => {
    // U+0182 Ƃ and U+01C4 Ǆ (Latin Extended-B), U+2043 ⁃ (hyphen bullet): in a latin-ext or latin range, in no file.
    const dir = projectWith({ 'odd.yaml': 'title: Odd Letters\ndate: 2024-03-11\ndevelopments: |\n  Letters \u0182 and \u01c4, a bullet \u2043 here.\n' });
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^briefs\/odd\.yaml:4:11: warning: no shipped font has U\+0182 Ƃ, U\+01C4 Ǆ, U\+2043 ⁃:/m);
  });

  it('are what the generator writes from the font files (fonts.css is not edited by hand)', async () => {
    const before = readFileSync(FONTS_CSS, 'utf8');
    const result = await runNode(path.join(ROOT, 'scripts', 'font-faces.mjs'), [], { cwd: ROOT });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(FONTS_CSS, 'utf8')).toBe(before);
    // The latin slice of the body face no longer claims the dashes it lacks.
    const serif = /source-serif-4-latin-400-normal\.woff2\) format\("woff2"\);\n {2}unicode-range: ([^;]+);/.exec(before)?.[1] ?? '';
    expect(serif).toContain('U+2013-2014');
    expect(serif).not.toMatch(/U\+2000-206f/i);
  });
});
