#!/usr/bin/env node
// Writes templates/flash-brief/fonts.css: the @font-face rules of the shipped fonts, taken
// from the @fontsource packages' own CSS so every face keeps the package's unicode-range
// (a page downloads, and a PDF embeds, only the slices its text uses).
// Run it after changing FACES below or updating a font package: `node scripts/font-faces.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

// The Latin faces carry every European script their packages have. The CJK packages'
// numbered slices are their Han, kana and Hangul; their latin, cyrillic and vietnamese
// subsets are left out, as the Latin faces before them in every stack cover those.
const EUROPEAN = ['latin', 'latin-ext', 'cyrillic', 'cyrillic-ext', 'greek', 'greek-ext', 'vietnamese'];
const SLICES = /^\[\d+\]$/;
const FACES = [
  { pkg: '@fontsource/source-serif-4', subsets: EUROPEAN, weights: [400, 700], styles: ['normal', 'italic'] },
  { pkg: '@fontsource/source-sans-3', subsets: EUROPEAN, weights: [400, 600, 700] },
  { pkg: '@fontsource/source-code-pro', subsets: EUROPEAN, weights: [400, 700] },
  { pkg: '@fontsource/noto-naskh-arabic', subsets: ['arabic'], weights: [400, 700] },
  { pkg: '@fontsource/noto-sans-arabic', subsets: ['arabic'], weights: [400, 600, 700] },
  { pkg: '@fontsource/noto-serif-hebrew', subsets: ['hebrew'], weights: [400, 700] },
  { pkg: '@fontsource/noto-sans-hebrew', subsets: ['hebrew'], weights: [400, 600, 700] },
  { pkg: '@fontsource/noto-serif-devanagari', subsets: ['devanagari'], weights: [400, 700] },
  { pkg: '@fontsource/noto-sans-devanagari', subsets: ['devanagari'], weights: [400, 600, 700] },
  // One weight per CJK family (bold CJK prints regular): each weight is about a hundred
  // slices and 3 MB, which every build writes to output/assets and the stylesheet lists.
  { pkg: '@fontsource/noto-sans-sc', subsets: SLICES, weights: [400] },
  { pkg: '@fontsource/noto-sans-tc', subsets: SLICES, weights: [400] },
  { pkg: '@fontsource/noto-sans-jp', subsets: SLICES, weights: [400] },
  { pkg: '@fontsource/noto-sans-kr', subsets: SLICES, weights: [400] },
  // Emoji never take text characters: digits, "#" and "*" are in the emoji font (for
  // keycaps), and would print as emoji wherever the text font lacks them.
  { pkg: '@fontsource/noto-emoji', subsets: SLICES, weights: [400], exclude: [[0x0000, 0x00ff], [0x2122, 0x2122]] },
];

const pkgDir = (pkg) => path.dirname(require.resolve(`${pkg}/package.json`));

/** "U+0000-00FF,U+0131" as [start, end] pairs. */
const parseRange = (text) =>
  text.split(',').map((part) => {
    const [a, b] = part.trim().replace(/^U\+/i, '').split('-');
    return [parseInt(a, 16), parseInt(b ?? a, 16)];
  });
const hex = (n) => n.toString(16);
const formatRange = (ranges) => ranges.map(([a, b]) => (a === b ? `U+${hex(a)}` : `U+${hex(a)}-${hex(b)}`)).join(",");

/** The ranges less the excluded ones. */
function subtract(ranges, exclude) {
  let out = ranges;
  for (const [xa, xb] of exclude) {
    out = out.flatMap(([a, b]) => {
      if (b < xa || a > xb) return [[a, b]];
      return [...(a < xa ? [[a, xa - 1]] : []), ...(b > xb ? [[xb + 1, b]] : [])];
    });
  }
  return out;
}

/**
 * The code points a WOFF2 file's cmap maps to a glyph, as sorted [start, end] pairs. The
 * packages' unicode-range is their subset's, not the font's: Source Serif 4's latin slice
 * claims U+2000-206F but has no U+2010, U+2011, U+2012, U+2015 or U+202F, so a page asked
 * it for "Kh‑101"'s hyphen, got nothing, and printed whatever face came next (a CJK slice's
 * low dash), and `brief check` took the character for covered. Only what the file draws is
 * claimed. (WOFF2: https://www.w3.org/TR/WOFF2/; cmap formats 4 and 12 of OpenType.)
 */
function cmapOf(file) {
  const buf = readFileSync(file);
  if (buf.toString('latin1', 0, 4) !== 'wOF2') throw new Error(`${file}: not WOFF2`);
  const numTables = buf.readUInt16BE(12);
  let pos = 48;
  const base128 = () => {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const byte = buf[pos++];
      value = value * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) return value;
    }
    throw new Error(`${file}: bad UIntBase128`);
  };
  let offset = 0;
  let cmap;
  for (let i = 0; i < numTables; i++) {
    const flags = buf[pos++];
    const tagIndex = flags & 0x3f;
    if (tagIndex === 63) pos += 4;
    const version = flags >> 6;
    const origLength = base128();
    // glyf (10) and loca (11) are transformed unless version 3; any other table is when its version is not 0.
    const transformed = tagIndex === 10 || tagIndex === 11 ? version !== 3 : version !== 0;
    const length = transformed ? base128() : origLength;
    if (tagIndex === 0) cmap = { offset, length };
    offset += length;
  }
  if (!cmap) throw new Error(`${file}: no cmap`);
  const data = brotliDecompressSync(buf.subarray(pos, pos + buf.readUInt32BE(20))).subarray(cmap.offset, cmap.offset + cmap.length);
  const count = data.readUInt16BE(2);
  const subtables = Array.from({ length: count }, (_, i) => ({ platform: data.readUInt16BE(4 + i * 8), encoding: data.readUInt16BE(6 + i * 8), at: data.readUInt32BE(8 + i * 8) }));
  const pick = (platform, encoding, format) => subtables.find((t) => t.platform === platform && t.encoding === encoding && data.readUInt16BE(t.at) === format);
  const points = [];
  const full = pick(3, 10, 12) ?? pick(0, 4, 12) ?? pick(0, 6, 12);
  if (full) {
    const groups = data.readUInt32BE(full.at + 12);
    for (let g = 0; g < groups; g++) {
      const at = full.at + 16 + g * 12;
      const [start, end, glyph] = [data.readUInt32BE(at), data.readUInt32BE(at + 4), data.readUInt32BE(at + 8)];
      for (let cp = start; cp <= end; cp++) if (glyph + (cp - start) !== 0) points.push(cp);
    }
  } else {
    const bmp = pick(3, 1, 4) ?? pick(0, 3, 4) ?? pick(3, 0, 4);
    if (!bmp) throw new Error(`${file}: no Unicode cmap`);
    const segX2 = data.readUInt16BE(bmp.at + 6);
    const ends = bmp.at + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const rangeOffsets = deltas + segX2;
    for (let s = 0; s < segX2 / 2; s++) {
      const [end, start, delta, ro] = [data.readUInt16BE(ends + s * 2), data.readUInt16BE(starts + s * 2), data.readInt16BE(deltas + s * 2), data.readUInt16BE(rangeOffsets + s * 2)];
      for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
        let glyph;
        if (ro === 0) glyph = (cp + delta) & 0xffff;
        else {
          const g = data.readUInt16BE(rangeOffsets + s * 2 + ro + (cp - start) * 2);
          glyph = g === 0 ? 0 : (g + delta) & 0xffff;
        }
        if (glyph !== 0) points.push(cp);
      }
    }
  }
  points.sort((a, b) => a - b);
  const ranges = [];
  for (const cp of points) {
    const last = ranges.at(-1);
    if (last && cp <= last[1] + 1) last[1] = Math.max(last[1], cp);
    else ranges.push([cp, cp]);
  }
  return ranges;
}

/** The ranges that are also in `keep` (both sorted lists of [start, end]). */
function intersect(ranges, keep) {
  const out = [];
  for (const [a, b] of ranges) {
    for (const [c, d] of keep) {
      const [lo, hi] = [Math.max(a, c), Math.min(b, d)];
      if (lo <= hi) out.push([lo, hi]);
    }
  }
  return out;
}

const blocks = [];
for (const face of FACES) {
  const dir = pkgDir(face.pkg);
  const unicode = JSON.parse(readFileSync(path.join(dir, 'unicode.json'), 'utf8'));
  const meta = JSON.parse(readFileSync(path.join(dir, 'metadata.json'), 'utf8'));
  const id = meta.id;
  const subsets = Object.keys(unicode).filter((s) => (face.subsets instanceof RegExp ? face.subsets.test(s) : face.subsets.includes(s)));
  if (subsets.length === 0) throw new Error(`${face.pkg}: none of the subsets asked for`);
  const rules = [];
  for (const style of face.styles ?? ['normal']) {
    for (const weight of face.weights) {
      for (const subset of subsets) {
        const name = `${id}-${subset.replace(/[[\]]/g, '')}-${weight}-${style}.woff2`;
        // Fails loudly when the package lacks the file.
        const drawn = cmapOf(path.join(dir, 'files', name));
        const ranges = intersect(subtract(parseRange(unicode[subset]), face.exclude ?? []), drawn);
        if (ranges.length === 0) continue;
        rules.push(
          `@font-face { font-family: "${meta.family}"; font-style: ${style}; font-weight: ${weight}; font-display: swap;\n` +
            `  src: url(fonts/${name}) format("woff2");\n  unicode-range: ${formatRange(ranges)}; }`,
        );
      }
    }
  }
  blocks.push(`/* ${meta.family} (${face.pkg}, ${meta.license.type}) */\n${rules.join('\n')}`);
}

const header = `/*
 * The shipped fonts, generated by scripts/font-faces.mjs from the @fontsource packages
 * listed in template.json: edit that script, not this file. Every face has the package's
 * unicode-range, so a page downloads and a PDF embeds only the slices its text uses, less
 * the characters its file does not draw, so they go to a face that does.
 */
`;
const out = path.join(root, 'templates', 'flash-brief', 'fonts.css');
writeFileSync(out, `${header}\n${blocks.join('\n\n')}\n`);
process.stderr.write(`wrote ${path.relative(root, out)}\n`);
