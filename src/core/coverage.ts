import { visit } from 'yaml';
import type { Diagnostic, YamlPositions } from './diagnostics.js';

/**
 * The characters a template's shipped fonts can print, as sorted, disjoint [first, last]
 * code point ranges: the union of its @font-face rules' unicode-range declarations.
 */
export type CodePoints = readonly (readonly [number, number])[];

/** `U+0000-00FF, U+0131, U+4??` (a CSS unicode-range value) as [first, last] pairs; undefined if it is not one. */
export function parseUnicodeRange(text: string): [number, number][] | undefined {
  const ranges: [number, number][] = [];
  for (const part of text.split(',')) {
    const m = /^\s*U\+([0-9a-f?]{1,6})(?:-([0-9a-f]{1,6}))?\s*$/i.exec(part);
    if (!m) return undefined;
    const first = m[1] as string;
    // U+4?? is U+400-4FF.
    if (first.includes('?')) ranges.push([parseInt(first.replace(/\?/g, '0'), 16), parseInt(first.replace(/\?/g, 'f'), 16)]);
    else ranges.push([parseInt(first, 16), parseInt(m[2] ?? first, 16)]);
  }
  return ranges;
}

/** Ranges sorted and merged, so a code point is looked up by binary search. */
export function mergeRanges(ranges: Iterable<readonly [number, number]>): CodePoints {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out.at(-1);
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Whether a code point is in the ranges. */
export function covers(ranges: CodePoints, cp: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid] as readonly [number, number];
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

// Not drawn, so no font needs them: white space, controls, joiners and direction marks,
// variation selectors, the byte order mark.
const INVISIBLE = /[\s\p{Cc}\p{Variation_Selector}\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|\u200d/u;

/** "U+4E2D 中" */
const named = (c: string): string => `U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')} ${c}`;

/**
 * A warning for each line of a value that has characters no shipped font prints: they
 * would print in whatever font the machine has, or as boxes. Each names the characters
 * and stands at the first of them. Keys and comments are not printed, so only values count.
 */
export function uncoveredCharacters(source: YamlPositions, fonts: CodePoints): Diagnostic[] {
  const out: Diagnostic[] = [];
  visit(source.doc, {
    Scalar(key, node) {
      if (key === 'key' || !node.range) return;
      let line: { at: number; chars: string[] } | undefined;
      const flush = () => {
        if (!line) return;
        const { line: l, column } = source.position(line.at);
        const shown = line.chars.slice(0, 8).map(named).join(', ');
        const more = line.chars.length > 8 ? ` and ${line.chars.length - 8} more` : '';
        out.push({
          file: source.file,
          line: l,
          column,
          severity: 'warning',
          message: `no shipped font has ${shown}${more}: ${line.chars.length === 1 ? 'it prints' : 'they print'} in a font of the machine, or as boxes (add a font for them to the template's fontPackages, see the README)`,
        });
        line = undefined;
      };
      const [start, end] = node.range;
      for (let i = start; i < end; ) {
        const cp = source.text.codePointAt(i) as number;
        const c = String.fromCodePoint(cp);
        if (c === '\n') flush();
        else if (!INVISIBLE.test(c) && !covers(fonts, cp)) {
          line ??= { at: i, chars: [] };
          if (!line.chars.includes(c)) line.chars.push(c);
        }
        i += c.length;
      }
      flush();
    },
  });
  return out;
}
