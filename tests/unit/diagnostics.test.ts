import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileBrief } from '../../src/page/compile.js';
import { formatDiagnostic } from '../../src/core/diagnostics.js';
import { FIXTURES, parse } from '../helpers.js';

// Each invalid fixture holds one mistake; the .expected file beside it holds the exact
// lines `brief check` must print for it, positions included.
const context = { pageRenderers: new Map([['flash-brief', () => '']]), pages: false, options: { pageSize: 'Letter', generator: 't', config: {}, pdf: false, now: new Date(0) } } as const;
const invalid = readdirSync(path.join(FIXTURES, 'invalid')).filter((f) => f.endsWith('.yaml'));

describe('invalid fixtures', () => {
  it('has an expectation for every fixture', () => {
    expect(invalid.length).toBeGreaterThanOrEqual(10);
    for (const f of invalid) expect(readdirSync(path.join(FIXTURES, 'invalid'))).toContain(f.replace(/\.yaml$/, '.expected'));
  });

  it.each(invalid)('%s reports file:line:column as expected', (name) => {
    const file = `invalid/${name}`;
    const text = readFileSync(path.join(FIXTURES, file), 'utf8');
    const expected = readFileSync(path.join(FIXTURES, file.replace(/\.yaml$/, '.expected')), 'utf8').trim().split('\n');
    const { diagnostics } = compileBrief(text, file, context);
    expect(diagnostics.map(formatDiagnostic)).toEqual(expected);
  });
});

describe('validation', () => {
  it('reports every problem of a file in one run, in line order', () => {
    const text = [
      'titel: Typo',
      'date: 2024-13-01',
      'developments: Text.',
      'incidents:',
      '  - date: 2024-01-01',
      '    location: Base',
      '    weapons: [{ type: Drone, count: 1.5 }]',
      '    injured: -1',
    ].join('\n');
    const { diagnostics } = compileBrief(text, 'x.yaml', context);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      // The misspelt key is one mistake: its message names the key that is then missing.
      'x.yaml:1:1: unknown key "titel" (did you mean "title"?)',
      'x.yaml:2:7: date must be a real date written YYYY-MM-DD, e.g. 2023-10-24',
      'x.yaml:5:5: incidents[0].country is required',
      'x.yaml:7:23: incidents[0].weapons[0].type must be one lower-case word such as drone, rocket or one-way-drone: letters and hyphens, no digits or spaces (a model such as Shahed-136 goes in the summary)',
      'x.yaml:7:37: incidents[0].weapons[0].count must be a whole number >= 1',
      'x.yaml:8:14: incidents[0].injured must be a whole number >= 0',
    ]);
  });

  it('names an empty value rather than calling it missing', () => {
    const { diagnostics } = compileBrief('title:\ndate: 2024-01-01\ndevelopments: x\n', 'x.yaml', context);
    expect(diagnostics.map(formatDiagnostic)).toEqual(['x.yaml:1:7: title has no value; give one or remove the key']);
  });

  it('rejects a template that does not exist, at its position', () => {
    const { diagnostics } = compileBrief('title: T\ndate: 2024-01-01\ntemplate: nope\ndevelopments: x\n', 'x.yaml', context);
    expect(diagnostics.map(formatDiagnostic)).toEqual(['x.yaml:3:11: template "nope" does not exist; available: flash-brief']);
  });
});

describe('positions kept after the syntax tree is released', () => {
  const text = [
    'title: T',
    'date: 2024-03-05',
    'embargo: 2024-03-05T06:00:00Z',
    'incidents:',
    '  - id: a',
    '    date: 2024-03-01',
    '    location: Base A',
    '    revised: 2024-03-04',
    '  - {date: 2024-03-02, location: Port C}',
    '',
  ].join('\n');
  const kept = [['title'], ['incidents', 0], ['incidents', 0, 'id'], ['incidents', 0, 'revised'], ['incidents', 1], ['incidents', 1, 'id']] as const;

  it('gives the positions of the kept paths and top-level keys as the tree gave them', () => {
    const { source } = parse(text);
    const before = kept.map((p) => source.locate(p));
    const keys = ['title', 'embargo', 'incidents', 'absent'].map((k) => source.locateKey([], k));
    source.release(kept);
    expect(kept.map((p) => source.locate(p))).toEqual(before);
    expect(['title', 'embargo', 'incidents', 'absent'].map((k) => source.locateKey([], k))).toEqual(keys);
    // A missing id is where its incident is, before and after.
    expect(source.locate(['incidents', 1, 'id'])).toEqual({ line: 9, column: 5 });
  });

  it('gives a path not kept its nearest kept parent, finds by position, and no longer has the tree', () => {
    const { source } = parse(text);
    source.release(kept);
    expect(source.locate(['incidents', 0, 'location'])).toEqual({ line: 5, column: 5 });
    expect(source.locate(['date'])).toEqual({ line: 1, column: 1 });
    expect(source.find(['incidents', 0, 'id'], 'a')).toEqual({ line: 5, column: 9 });
    expect(() => source.doc).toThrow(/released/);
  });
});
