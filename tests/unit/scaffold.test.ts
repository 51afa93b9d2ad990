import { describe, expect, it } from 'vitest';
import { compileBrief } from '../../src/compile.js';
import { parseBrief } from '../../src/compile.js';
import { SCAFFOLD_SAMPLES, scaffoldBrief } from '../../src/scaffold.js';

const context = { renderers: new Map([['flash-brief', () => '']]), render: false, options: { pageSize: 'Letter', generator: 't', config: {}, pdf: false, now: new Date(0) } } as const;
const { text } = scaffoldBrief('Militia Drone Attacks Continue', '2026-11-30', '../schema/brief.schema.json');
const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('brief new', () => {
  it('leaves the label to brief.config.yaml', () => {
    const parsed = parseBrief(text, 'new.yaml');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.brief?.label).toBeUndefined();
    expect(text).not.toMatch(/^label:/m);
  });

  it('writes a brief whose every sample text, and the example.org link, is warned about at its line', () => {
    const { diagnostics } = compileBrief(text, 'new.yaml', context);
    expect(diagnostics.every((d) => d.severity === 'warning')).toBe(true);
    const samples = Object.values(SCAFFOLD_SAMPLES);
    const expected = [
      ...samples.map((s) => ({ line: lineOf(s.text), column: text.split('\n')[lineOf(s.text) - 1]?.indexOf(s.text) ?? 0, message: `"${s.text}" is sample text from "brief new": replace it with ${s.what}` })),
      { line: lineOf('https://example.org/analysis'), column: 9, message: 'https://example.org/analysis/earlier-brief is a sample address: replace it with the real link (or remove the entry)' },
    ].map((d) => ({ ...d, column: d.column + 1 }));
    expect(diagnostics.map(({ line, column, message }) => ({ line, column, message }))).toEqual(expected.sort((a, b) => a.line - b.line || a.column - b.column));
  });

  it('says once, at the first, that several links are sample addresses, naming the lines of the others', () => {
    const many = text.replace(
      /related:\n/,
      'related:\n  - title: Two\n    url: https://example.org/two\n  - title: Three\n    url: https://www.example.org/three\n',
    );
    const warnings = compileBrief(many, 'new.yaml', context).diagnostics.filter((d) => d.message.includes('sample address'));
    const lines = many.split('\n');
    const at = (url: string) => lines.findIndex((l) => l.includes(url)) + 1;
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.line).toBe(at('example.org/two'));
    expect(warnings[0]?.message).toBe(
      `https://example.org/two is a sample address, and so are 2 more links (lines ${at('www.example.org/three')}, ${at('example.org/analysis')}): replace them with the real links (or remove the entries)`,
    );
  });

  it('gives no sample-text warning once the samples are replaced', () => {
    let edited = text.replace('https://example.org/analysis/earlier-brief', 'https://www.csis.org/analysis/earlier');
    for (const [i, s] of Object.values(SCAFFOLD_SAMPLES).entries()) edited = edited.replace(s.text, `Real text ${i}`);
    expect(compileBrief(edited, 'new.yaml', context).diagnostics).toEqual([]);
  });
});
