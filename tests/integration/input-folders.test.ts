import { copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, projectWith, runCli } from '../helpers.js';

/*
 * issue 13: an output folder (or --embargoed-out folder) that is or holds anything the
 * build reads is refused before anything is written: `--out incidents` would have put the
 * site beside raw incident files, and `--out branding` deployed the uncleaned logo.
 */

const BRIEF = 'title: Kept\ndate: 2024-01-05\nslug: kept\ntopics: [Iraq]\ndevelopments: All quiet.\n';
const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n';

/** A project with every kind of input: briefs, incidents/, places.yaml, a logo, a font file, a templates folder. */
function fullProject(): string {
  const dir = projectWith({ 'kept.yaml': BRIEF });
  mkdirSync(path.join(dir, 'incidents'));
  writeFileSync(path.join(dir, 'incidents', 'raw.yaml'), 'series: raw\nincidents: []\n');
  writeFileSync(path.join(dir, 'places.yaml'), '[]\n');
  mkdirSync(path.join(dir, 'branding'));
  writeFileSync(path.join(dir, 'branding', 'logo.svg'), LOGO);
  mkdirSync(path.join(dir, 'fonts'));
  copyFileSync(path.join(FIXTURES, 'brand-fonts', 'QT-Regular.woff2'), path.join(dir, 'fonts', 'QT-Regular.woff2'));
  mkdirSync(path.join(dir, 'templates'));
  writeFileSync(path.join(dir, 'brief.config.yaml'), 'logo: branding/logo.svg\nfonts:\n  files: [fonts/QT-Regular.woff2]\n');
  return dir;
}

describe('a folder to write into that is or holds an input', () => {
  it.each([
    [['--out', 'incidents'], 'the output folder incidents is incidents, which the build reads'],
    [['--out', 'branding'], 'the output folder branding holds branding/logo.svg, which the build reads'],
    [['--out', 'fonts'], 'the output folder fonts holds fonts/QT-Regular.woff2, which the build reads'],
    [['--out', 'templates', '--templates', 'templates'], 'the output folder templates is templates, which the build reads'],
    [['--out', 'briefs/kept.yaml'], 'the output folder briefs/kept.yaml is briefs/kept.yaml, which the build reads'],
    [['--out', 'branding-link'], 'the output folder branding-link holds branding/logo.svg'],
    [['--embargoed-out', 'branding'], 'the folder for embargoed briefs (--embargoed-out) branding holds branding/logo.svg'],
    [['--embargoed-out', 'incidents'], 'the folder for embargoed briefs (--embargoed-out) incidents is incidents'],
  ])('build %j is refused, exit 2, and nothing is written there', async (flags, message) => {
    const dir = fullProject();
    symlinkSync(path.join(dir, 'branding'), path.join(dir, 'branding-link'));
    const before = Object.fromEntries(['incidents', 'branding', 'fonts', 'templates'].map((f) => [f, readdirSync(path.join(dir, f)).sort()]));
    const result = await runCli(['build', '--html-only', ...flags], { cwd: dir });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toMatch(/use a folder of its own, such as (output|embargoed)/);
    for (const [folder, names] of Object.entries(before)) expect(readdirSync(path.join(dir, folder)).sort(), folder).toEqual(names);
    expect(existsSync(path.join(dir, 'output', 'kept.html'))).toBe(false);
  }, 60_000);

  it('the same project builds into a folder of its own', async () => {
    const dir = fullProject();
    const result = await runCli(['build', '--html-only', '--templates', 'templates'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'output', 'kept.html'))).toBe(true);
  }, 60_000);
});
