import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type * as fontkit from 'fontkit';
import { noteInput } from './input-log.js';
import type { Config } from '../core/config.js';
import type { Diagnostic, YamlPositions } from '../core/diagnostics.js';
import type { BrandFontFace } from '../page/renderer.js';
import { displayPath, NotRegularFileError, readRegularFile } from './files.js';
import { hashedName } from './templates.js';

/*
 * brief.config.yaml `fonts.files`: an organization's own font files, shipped in the
 * project, embedded in every page and PDF like the bundled fonts. What a file is (its
 * family, weight and style) is read from its own tables, never from its name: a file named
 * BrandSans-Bold.woff2 may well be the regular face of another family.
 */

/** One font file of the project, read and checked: its content-named asset and its @font-face. */
export interface FontFile {
  /** Output-relative path: assets/<name>.<hash>.<ext>. */
  key: string;
  bytes: Buffer;
  face: BrandFontFace;
}

/** The font files of `fonts.files`, each once, and the problems with the entries that could not be used (at their positions). */
export interface FontFiles {
  files: FontFile[];
  problems: Diagnostic[];
}

/** Files larger than this are refused: a brand font is tens or hundreds of kilobytes, a CJK one a few tens of megabytes. */
const MAX_BYTES = 64 * 1024 * 1024;

type Format = BrandFontFace['format'];

/**
 * What the first bytes say the file is, whatever its name: a single font in one of the
 * formats a browser loads, a collection of several fonts, or not a font at all.
 */
export function sniffFont(bytes: Uint8Array): Format | 'collection' | undefined {
  if (bytes.length < 4) return undefined;
  const tag = String.fromCharCode(...bytes.subarray(0, 4));
  if (tag === 'wOF2') return 'woff2';
  if (tag === 'wOFF') return 'woff';
  if (tag === 'OTTO') return 'opentype';
  // TrueType outlines: version 1.0, or 'true' in fonts made for old Macs.
  if (tag === '\x00\x01\x00\x00' || tag === 'true') return 'truetype';
  if (tag === 'ttcf') return 'collection';
  return undefined;
}

const FORMAT_NAMES: Record<Format, string> = { woff2: 'WOFF2', woff: 'WOFF', opentype: 'OpenType', truetype: 'TrueType' };
const EXTENSIONS: Record<Format, string> = { woff2: 'woff2', woff: 'woff', opentype: 'otf', truetype: 'ttf' };

/**
 * Reads every `fonts.files` entry of the configuration, relative to `cwd` (the project
 * root). An entry that is missing, outside the project (links followed), not a file, not
 * a font, a collection, or a font whose tables cannot be read is an error at that entry's
 * position; the other entries are still read. Two entries with the same bytes give one file.
 */
export async function readFontFiles(config: Config, cwd: string, source: YamlPositions | undefined): Promise<FontFiles> {
  const entries = config.fonts?.files ?? [];
  const out: FontFiles = { files: [], problems: [] };
  if (entries.length === 0 || !source) return out;
  // Loaded only for a project with font files of its own: it takes a tenth of a second to load.
  const { create } = await import('fontkit');
  const root = await realpath(cwd).catch(() => path.resolve(cwd));
  // The project folder as the user knows it: named only when the command runs elsewhere.
  const where = path.resolve(cwd) === process.cwd() ? 'the project folder' : `the project folder, ${displayPath(path.resolve(cwd), process.cwd())}`;
  for (const [i, entry] of entries.entries()) {
    const read = await readFontFile(entry, cwd, root, where, create);
    if ('problem' in read) {
      out.problems.push(source.error(['fonts', 'files', i], `font file ${entry} ${read.problem}`));
      continue;
    }
    if (!out.files.some((f) => f.key === read.file.key)) out.files.push(read.file);
  }
  out.problems.push(...missingFaces(config, out.files).map((message) => source.warning(['fonts', 'files'], message)));
  return out;
}

/** Whether a face covers a weight: its own weight, or its range for a variable font. */
const covers = (face: BrandFontFace, weight: number) =>
  typeof face.weight === 'number' ? face.weight === weight : face.weight[0] <= weight && weight <= face.weight[1];

/**
 * The faces a configured family needs but its files lack. The stylesheet forbids faked
 * faces (brief.css: a synthesized face prints as a rough Type 3 font), so without them
 * emphasis prints upright and bold prints regular, in silence. The body needs regular,
 * italic and bold (Markdown's *emphasis* and **strong**); headings need their semibold or
 * bold (600 or 700, the weights the stylesheet sets).
 */
function missingFaces(config: Config, files: readonly FontFile[]): string[] {
  const needs: [string | undefined, string, { weight: number[]; style: 'normal' | 'italic'; what: string }[]][] = [
    [config.fonts?.body, 'fonts.body', [
      { weight: [400], style: 'normal', what: 'regular' },
      { weight: [400], style: 'italic', what: 'italic (*emphasis* prints upright without it)' },
      { weight: [700, 600], style: 'normal', what: 'bold (**strong** text prints regular without it)' },
    ]],
    [config.fonts?.headings, 'fonts.headings', [{ weight: [600, 700], style: 'normal', what: 'semibold or bold (headings and labels print regular without it)' }]],
  ];
  const out: string[] = [];
  for (const [family, key, faces] of needs) {
    const own = files.filter((f) => family !== undefined && f.face.family.toLowerCase() === family.toLowerCase()).map((f) => f.face);
    if (own.length === 0) continue;
    const missing = faces.filter((need) => !own.some((face) => face.style === need.style && need.weight.some((w) => covers(face, w))));
    for (const need of missing) out.push(`the font files of "${family}" (${key}) have no ${need.what}: add that face's file to fonts.files`);
  }
  return out;
}

/** One entry: its font, or what is wrong with it (said after "font file <entry>"). */
async function readFontFile(entry: string, cwd: string, root: string, where: string, create: typeof fontkit.create): Promise<{ file: FontFile } | { problem: string }> {
  const abs = path.resolve(cwd, entry);
  // The path as named, through its links: a link pointed elsewhere is a change (input-log.ts).
  noteInput(abs, undefined);
  const real = await realpath(abs).catch(() => undefined);
  if (!real) return { problem: `does not exist (paths are relative to ${where})` };
  // Links are followed first: a link inside the project to a file outside it is outside.
  const rel = path.relative(root, real);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    return { problem: `is outside ${where}: copy the font into the project, so every machine that builds it has the same file` };
  }
  // Only a regular file: a folder is a mistake, and a named pipe would never end.
  class TooLarge extends Error {}
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(real, {
      info: (info) => {
        if (info.size > MAX_BYTES) throw new TooLarge(`is ${Math.round(info.size / 1024 / 1024)} MB, more than a font file can be (${MAX_BYTES / 1024 / 1024} MB)`);
      },
    });
  } catch (err) {
    if (err instanceof TooLarge) return { problem: err.message };
    if (err instanceof NotRegularFileError) return { problem: `is ${err.kind}, not a font file` };
    return { problem: 'cannot be read' };
  }
  const format = sniffFont(bytes);
  if (format === undefined) return { problem: 'is not a font: a .woff2, .woff, .ttf or .otf font file is expected' };
  if (format === 'collection') {
    return { problem: 'is a font collection (several fonts in one .ttc file), which a page cannot load: give each font you need as its own .ttf, .otf, .woff or .woff2 file' };
  }
  const face = readFace(bytes, format, create);
  if ('problem' in face) return face;
  // The file's own name, made safe for a URL and a stylesheet, with the extension its format has.
  const stem = path.basename(entry).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]+/g, '-') || 'font';
  const key = `assets/${hashedName(`${stem}.${EXTENSIONS[format]}`, bytes)}`;
  return { file: { key, bytes, face: { ...face.face, src: key } } };
}

/** The family, weight and style from the font's tables (name, OS/2, post, fvar), or why they cannot be read. */
function readFace(bytes: Buffer, format: Format, create: typeof fontkit.create): { face: Omit<BrandFontFace, 'src'> } | { problem: string } {
  try {
    const opened = create(bytes);
    if ('fonts' in opened) return { problem: 'is a font collection, which a page cannot load: give each font you need as its own file' };
    return faceOf(opened, format);
  } catch (err) {
    // Tables are parsed when first read, so a damaged one fails here rather than in the browser.
    // The parser's own message names its internals, not the font's: plain words instead.
    void err;
    return { problem: `is damaged: it starts like a ${FORMAT_NAMES[format]} font, but its tables cannot be read` };
  }
}

function faceOf(font: fontkit.Font, format: Format): { face: Omit<BrandFontFace, 'src'> } | { problem: string } {
  // Every glyph is reached through the character map: one that cannot be read is a damaged font.
  if (font.characterSet.length === 0) return { problem: 'maps no character to a glyph, so it would print nothing' };
  // The typographic family (name ID 16) groups every weight; the older family name (ID 1)
  // is "Brand Sans Light" for a light face, so it is only the fallback.
  const family = (font.getName('preferredFamily', 'en') ?? font.familyName ?? '').trim();
  if (family === '') return { problem: 'has no family name in its name table, so no stylesheet can name it' };
  const os2 = font['OS/2'] as fontkit.Font['OS/2'] | undefined;
  const axis = font.variationAxes?.wght;
  const weight: BrandFontFace['weight'] = axis ? [clampWeight(axis.min), clampWeight(axis.max)] : clampWeight(os2?.usWeightClass ?? 400);
  const italic = os2?.fsSelection?.italic === true || os2?.fsSelection?.oblique === true || (font.italicAngle ?? 0) !== 0;
  return { face: { family, weight, style: italic ? 'italic' : 'normal', format } };
}

/** CSS takes weights from 1 to 1000; a font's table may say anything (0 in some old fonts). */
const clampWeight = (w: number): number => (Number.isFinite(w) && w >= 1 ? Math.min(Math.round(w), 1000) : 400);
