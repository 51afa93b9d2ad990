import { describe, expect, it } from 'vitest';
import { covers, mergeRanges, parseUnicodeRange, uncoveredCharacters } from '../../src/core/coverage.js';
import { parse } from '../helpers.js';

describe('font coverage', () => {
  it('reads CSS unicode-range values, wildcards included, and refuses anything else', () => {
    expect(parseUnicodeRange('U+0000-00FF, U+0131,u+4??')).toEqual([[0, 0xff], [0x131, 0x131], [0x400, 0x4ff]]);
    expect(parseUnicodeRange('latin')).toBeUndefined();
  });

  it('merges ranges and finds code points in them', () => {
    const ranges = mergeRanges([[0x400, 0x45f], [0, 0x7f], [0x80, 0xff], [0x1f300, 0x1f3ff]]);
    expect(ranges).toEqual([[0, 0xff], [0x400, 0x45f], [0x1f300, 0x1f3ff]]);
    expect(covers(ranges, 0x41)).toBe(true);
    expect(covers(ranges, 0x42f)).toBe(true);
    expect(covers(ranges, 0x100)).toBe(false);
    expect(covers(ranges, 0x1f525)).toBe(false);
  });

  it('warns once per line of a value, naming each missing character once, at the first; keys and comments do not count', () => {
    const latin = mergeRanges([[0, 0xff]]);
    const { source } = parse('title: Kyiv (Київ) and Київ again # Ω in a comment\nЖ: key\ndevelopments: |\n  fine\n  Ω here\n', 'b.yaml');
    const warnings = uncoveredCharacters(source, latin);
    expect(warnings.map((w) => [w.line, w.column, w.severity])).toEqual([
      [1, 14, 'warning'],
      [5, 3, 'warning'],
    ]);
    expect(warnings[0]?.message).toMatch(/^no shipped font has U\+041A К, U\+0438 и, U\+0457 ї, U\+0432 в: they print/);
    expect(warnings[1]?.message).toMatch(/^no shipped font has U\+03A9 Ω: it prints/);
  });
});
