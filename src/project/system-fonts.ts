import { execFile } from 'node:child_process';
import type { Config } from '../core/config.js';
import type { Diagnostic, YamlPositions } from '../core/diagnostics.js';

let installed: Promise<ReadonlySet<string> | undefined> | undefined;

/**
 * The font families installed on this machine, lower-cased, as fontconfig (which Chromium
 * uses on Linux to find them) lists them; undefined where there is no fontconfig to ask.
 * Asked once per process.
 */
export function installedFamilies(): Promise<ReadonlySet<string> | undefined> {
  installed ??= new Promise((resolve) => {
    execFile('fc-list', [':', 'family'], { encoding: 'utf8', timeout: 10_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      if (err) return resolve(undefined);
      // One line per face: its family names, localized ones after commas ("Noto Sans CJK JP,Noto Sans CJK JP Bold").
      resolve(new Set(stdout.split('\n').flatMap((line) => line.split(',').map((name) => name.replace(/\\-/g, '-').trim().toLowerCase())).filter(Boolean)));
    });
  });
  return installed;
}

/**
 * A warning for each `fonts:` family of brief.config.yaml that no template ships, no file
 * of `fonts.files` provides and this machine does not have: Chromium would print the text
 * in the shipped font that follows it in the stack, silently, instead of the brand font
 * asked for. `fromFiles`: the families the font files give (also in `shipped`), named in
 * the warning, since a family spelt otherwise than in the font is the likely mistake.
 */
export async function missingFontWarnings(config: Config, source: YamlPositions | undefined, shipped: ReadonlySet<string>, fromFiles: ReadonlySet<string> = new Set()): Promise<Diagnostic[]> {
  const fonts = config.fonts;
  if (!fonts || !source) return [];
  const known = new Set([...shipped].map((f) => f.toLowerCase()));
  const out: Diagnostic[] = [];
  for (const key of ['body', 'headings'] as const) {
    const family = fonts[key];
    if (family === undefined || known.has(family.toLowerCase())) continue;
    const machine = await installedFamilies();
    if (!machine || machine.has(family.toLowerCase())) continue;
    const fallback = key === 'body' ? 'Source Serif 4' : 'Source Sans 3';
    const files = fromFiles.size > 0 ? `; the font files of fonts.files are of ${[...fromFiles].map((f) => `"${f}"`).join(', ')} (the family is read from the font, not its file name)` : '';
    out.push(
      source.warning(
        ['fonts', key],
        `font "${family}" is not installed on this machine and no template ships it: the text prints in ${fallback} instead (install it, add its files to fonts.files, or add its package to a template's fontPackages)${files}`,
      ),
    );
  }
  return out;
}
