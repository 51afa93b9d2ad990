import { describe, expect, it } from 'vitest';
import { compileBrief } from '../../src/page/compile.js';
import { parseBrief } from '../../src/page/compile.js';
import { loadYaml } from '../../src/core/load.js';
import { isSentence, SCAFFOLD_SAMPLES, scaffoldBrief } from '../../src/core/scaffold.js';

const context = { pageRenderers: new Map([['flash-brief', () => '']]), pages: false, options: { pageSize: 'Letter', generator: 't', config: {}, pdf: false, now: new Date(0) } } as const;
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
    // The example incident is a comment: its samples are checked below, once uncommented.
    const samples = Object.values(SCAFFOLD_SAMPLES).filter((s) => !text.split('\n')[lineOf(s.text) - 1]?.startsWith('#'));
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

  it('writes no prose that is not a listed sample, the example incident included', () => {
    // Uncommented, the example incident is what an author who copies it would publish.
    const uncommented = text.replace(/^incidents: \[\]\n/m, '').replace(/^# The records[^\n]*\n/m, '').replace(/^#( {2}- id[\s\S]*)$/m, (block) => `incidents:\n${block.replace(/^#/gm, '')}`);
    const { data } = loadYaml(uncommented, 'new.yaml');
    expect(data).toMatchObject({ incidents: [{ location: SCAFFOLD_SAMPLES.incidentLocation.text }] });
    // Values that are right as they stand, or are not prose: the title given, dates, ids, links, a weapon type, numbers.
    const kept = /^(?:title|date|related\.0\.(?:url|source)|incidents\.0\.(?:id|date|weapons\..*|sources\..*|claimed|injured))$/;
    const samples = Object.values(SCAFFOLD_SAMPLES).map((s) => s.text);
    const leftOver: string[] = [];
    const walk = (value: unknown, path: (string | number)[]) => {
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      else if (!kept.test(path.join('.'))) {
        // Every word of the value is one of the samples: sentences within it, a name as all of it.
        let rest = String(value).replace(/\s+/g, ' ').trim();
        for (const sample of samples) rest = isSentence(sample) ? rest.replace(sample, '').trim() : rest === sample ? '' : rest;
        if (rest !== '') leftOver.push(`${path.join('.')}: ${rest}`);
      }
    };
    walk(data, []);
    expect(leftOver).toEqual([]);
    // And each is warned about.
    const warned = compileBrief(uncommented, 'new.yaml', context).diagnostics.filter((d) => d.message.includes('is sample text'));
    expect(warned).toHaveLength(samples.length);
  });

  it('warns at each sample sentence of developments, the second too once the first is replaced', () => {
    const edited = text.replace(SCAFFOLD_SAMPLES.developments.text, 'Militias attacked the base.');
    const found = compileBrief(edited, 'new.yaml', context).diagnostics.filter((d) => d.message.includes('"Cite the tally'));
    expect(found).toEqual([expect.objectContaining({ line: lineOf('Cite the tally'), column: 3 })]);
    // Wrapped over two lines by the author, it is still the sample.
    const wrapped = edited.replace('typing numbers:', 'typing\n  numbers:');
    expect(compileBrief(wrapped, 'new.yaml', context).diagnostics.filter((d) => d.message.includes('"Cite the tally'))).toHaveLength(1);
  });

  it('matches short samples (headings, names, topics) only as the whole value', () => {
    const edited = text
      .replace(`heading: ${SCAFFOLD_SAMPLES.heading.text}`, 'heading: How We Got Here Today')
      .replace(`name: ${SCAFFOLD_SAMPLES.authorName.text}`, 'name: Your Name Here Smith')
      .replace(SCAFFOLD_SAMPLES.topicOne.text, 'Topic Onerous');
    const messages = compileBrief(edited, 'new.yaml', context).diagnostics.map((d) => d.message);
    expect(messages.filter((m) => m.includes('"How We Got Here"') || m.includes('"Your Name"') || m.includes('"Topic One"'))).toEqual([]);
    // Trimmed: spaces around the whole value do not hide it.
    const spaced = text.replace(`heading: ${SCAFFOLD_SAMPLES.heading.text}`, `heading: "  ${SCAFFOLD_SAMPLES.heading.text} "`);
    expect(compileBrief(spaced, 'new.yaml', context).diagnostics.map((d) => d.message)).toContain(
      `"${SCAFFOLD_SAMPLES.heading.text}" is sample text from "brief new": replace it with ${SCAFFOLD_SAMPLES.heading.what}`,
    );
  });

  it('gives no sample-text warning once the samples are replaced', () => {
    let edited = text.replace('https://example.org/analysis/earlier-brief', 'https://www.csis.org/analysis/earlier');
    for (const [i, s] of Object.values(SCAFFOLD_SAMPLES).entries()) edited = edited.replace(s.text, `Real text ${i}`);
    expect(compileBrief(edited, 'new.yaml', context).diagnostics).toEqual([]);
  });
});
