import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileBrief } from '../../src/page/compile.js';
import { FIXTURES } from '../helpers.js';

// One typical slip in a valid brief is one mistake: never a crash, always reported, never a
// cascade, and every position inside the file. CI runs a fixed number of cases from a fixed
// seed; FAST_CHECK_RUNS and FAST_CHECK_SEED explore more.
const runs = Number(process.env.FAST_CHECK_RUNS ?? 200);
const seed = Number(process.env.FAST_CHECK_SEED ?? 20261130);

const context = { pageRenderers: new Map([['flash-brief', () => '']]), pages: false, options: { pageSize: 'Letter', generator: 't', config: {}, pdf: false, now: new Date(0) } } as const;

const BRIEFS = [
  readFileSync(path.join(FIXTURES, 'valid', 'full.yaml'), 'utf8'),
  readFileSync(path.join(FIXTURES, 'cases', 'yaml-unquoted-colon.yaml'), 'utf8').replace(
    'title: Red Sea Escalation: Houthis Strike Ten Ships in a Week',
    'title: "Red Sea Escalation: Houthis Strike Ten Ships in a Week"',
  ),
];

interface KeyLine {
  index: number;
  indent: string;
  dash: string;
  key: string;
  value: string;
  /** The line above is a key at the same column. */
  sibling: boolean;
}

/** The `key: value` lines of a brief outside block scalars, where an author types values. */
function keyLines(text: string): KeyLine[] {
  const found: KeyLine[] = [];
  let blockIndent = -1;
  text.split('\n').forEach((line, index) => {
    const indent = /^ */.exec(line)?.[0].length ?? 0;
    if (blockIndent >= 0 && (line.trim() === '' || indent > blockIndent)) return;
    blockIndent = -1;
    const m = /^( *)((?:- )?)([a-z_]+):(?: (.*))?$/.exec(line);
    if (!m) return;
    const value = m[4] ?? '';
    if (/^[|>]/.test(value)) blockIndent = indent + (m[2] as string).length;
    const above = found.at(-1);
    const column = indent + (m[2] as string).length;
    const sibling = above !== undefined && above.index === index - 1 && above.indent.length + above.dash.length === column;
    found.push({ index, indent: m[1] as string, dash: m[2] as string, key: m[3] as string, value, sibling });
  });
  return found;
}

/** A value an author types without quotes: plain text, not a list, mapping, block or number. */
const plainText = (l: KeyLine) => /^[A-Za-z][^#:]*$/.test(l.value) && !/^(true|false|null)$/.test(l.value);

type Slip = (line: KeyLine) => string | undefined;
const SLIPS: Record<string, Slip> = {
  'a colon in a plain value': (l) => (plainText(l) ? `${l.indent}${l.dash}${l.key}: ${l.value}: and more` : undefined),
  'a # in a plain value': (l) => (plainText(l) ? `${l.indent}${l.dash}${l.key}: ${l.value} #2 more` : undefined),
  // Only a line with a sibling key right above it: alone, `tally:` then ` since:` is valid YAML.
  'a dedented line': (l) => (l.sibling && l.indent.length >= 2 && l.dash === '' ? `${l.indent.slice(2)}${l.key}: ${l.value}` : undefined),
  'a line dedented by one': (l) => (l.sibling && l.indent.length >= 1 && l.dash === '' ? `${l.indent.slice(1)}${l.key}: ${l.value}` : undefined),
  'a tab as indentation': (l) => (l.indent.length >= 2 ? `\t${l.indent.slice(2)}${l.dash}${l.key}: ${l.value}` : undefined),
  'prose starting with {{': (l) => (plainText(l) ? `${l.indent}${l.dash}${l.key}: {{tally.total}} ${l.value}` : undefined),
  'prose starting with [': (l) => (plainText(l) ? `${l.indent}${l.dash}${l.key}: [Update] ${l.value}` : undefined),
  'an unclosed quote': (l) => (plainText(l) ? `${l.indent}${l.dash}${l.key}: "${l.value}` : undefined),
  'no space after the colon': (l) => (plainText(l) ? `${l.indent}${l.dash}${l.key}:${l.value}` : undefined),
  'text after |': (l) => (plainText(l) ? `${l.indent}${l.dash}${l.key}: | ${l.value}` : undefined),
};

const slipped = fc
  .record({ brief: fc.constantFrom(...BRIEFS.keys()), slip: fc.constantFrom(...Object.keys(SLIPS)), pick: fc.nat() })
  .map(({ brief, slip, pick }) => {
    const text = BRIEFS[brief] as string;
    const lines = text.split('\n');
    const candidates = keyLines(text)
      .map((l) => ({ index: l.index, line: (SLIPS[slip] as Slip)(l) }))
      .filter((c): c is { index: number; line: string } => c.line !== undefined);
    const chosen = candidates[pick % candidates.length];
    if (!chosen) return { slip, text, lines: lines.length, changed: false };
    lines[chosen.index] = chosen.line;
    return { slip, text: lines.join('\n'), lines: lines.length, at: chosen.index + 1, changed: true };
  })
  .filter((c) => c.changed);

describe('one typical slip in a valid brief', () => {
  it('is reported, never as a cascade, always inside the file', () => {
    fc.assert(
      fc.property(slipped, ({ text, lines }) => {
        const { diagnostics } = compileBrief(text, 'f.yaml', context);
        expect(diagnostics.length).toBeGreaterThanOrEqual(1);
        expect(diagnostics.filter((d) => d.severity === 'error').length).toBeLessThanOrEqual(2);
        for (const d of diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lines);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.message).not.toMatch(/^YAML syntax:/);
        }
      }),
      { numRuns: runs, seed },
    );
  });
});
