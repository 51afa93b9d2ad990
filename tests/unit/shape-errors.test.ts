import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { compileBrief } from '../../src/page/compile.js';
import { Brief, IncidentFile } from '../../src/core/schema.js';
import { SAMPLE_VALUES } from '../../src/core/validate.js';

const context = { pageRenderers: new Map([['flash-brief', () => '']]), pages: false, options: { pageSize: 'Letter', generator: 't', config: {}, pdf: false, now: new Date(0) } } as const;
const errorsFor = (extra: string) =>
  compileBrief(`title: T\ndate: 2023-10-24\ndevelopments: x\n${extra}\n`, 'f.yaml', context).diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
const incident = (more: string) => `incidents:\n  - date: 2023-10-20\n    location: A\n    country: Iraq\n    ${more}`;

describe('a value of the wrong shape shows the shape to write', () => {
  it.each([
    [incident('weapons: drone'), '8:14 incidents[0].weapons must be a list of {type, count}, not text: write weapons: [{type: drone}]'],
    [incident('weapons: [drone]'), '8:15 incidents[0].weapons[0] must be a mapping {type, count}, not text: write each entry of weapons as {type, count}: weapons: [{type: drone}]'],
    [incident('sources: https://x.org/r'), '8:14 incidents[0].sources must be a list, not text: write sources: [https://x.org/r]'],
    ['authors: Jane Doe', '4:10 authors must be a list of {name, role}, not text: write authors: [{name: Jane Doe}]'],
    ['analysis: Some quote', '4:11 analysis must be a list of {quote, name, role, paraphrase}, not text: write analysis: [{quote: Some quote, name: Jane Analyst}]'],
    ['background: Some text', '4:13 background must be a list of {heading, body}, not text: write background: [{heading: Some text, body: ...}]'],
    ['related: https://x.org/a', '4:10 related must be a list of {title, url, source, authors}, not text: write related: [{title: An earlier brief, url: https://x.org/a}]'],
    ['incidents: none', '4:12 incidents must be a list of {date, location, country, ...}, not text: write incidents: [{date: 2023-10-24, location: al-Tanf garrison, country: Syria}]'],
    ['tally: 2023-10-17', '4:8 tally must be a mapping {heading, since, until}, not text: write tally: {since: 2023-10-17}'],
    ['topics: Iraq', '4:9 topics must be a list, not text: write topics: [Iraq]'],
    ['compare: 13', '4:10 compare must be a list of {source, figure, as_of, ...}, not a number: write compare: [{source: Pentagon, figure: 13, as_of: 2023-10-24}]'],
    ['corrections: fixed', '4:14 corrections must be a list of {date, text}, not text: write corrections: [{date: 2023-10-24, text: An earlier version gave the wrong base.}]'],
  ])('%s', (extra, expected) => {
    expect(errorsFor(extra)).toEqual([expected]);
  });
});

it('a list item of text with ": " in it says to quote it, at the colon', () => {
  expect(errorsFor('topics:\n  - Red Sea: Houthis now\n  - Yemen')).toEqual([
    '5:12 topics[0] must be text, but the ": " in it makes YAML read a key and a value: put it in quotes, e.g. "Red Sea: Houthis now"',
  ]);
});

describe('a count that is not a number', () => {
  it.each([
    ['weapons: [{type: drone, count: two}]', '8:36 incidents[0].weapons[0].count must be a whole number like 2, not the word "two"'],
    ['killed: "3"', '8:13 incidents[0].killed must be a whole number like 2, without quotes'],
    ['injured: several', '8:14 incidents[0].injured must be a whole number like 2, not "several"'],
  ])('%s', (more, expected) => {
    expect(errorsFor(incident(more))).toEqual([expected]);
  });
});

it('has a sample value for every key of a mapping inside a list', () => {
  const missing: string[] = [];
  const visit = (schema: z.ZodType, inList: boolean) => {
    if (schema instanceof z.ZodOptional) return visit(schema.unwrap() as z.ZodType, inList);
    if (schema instanceof z.ZodArray) return visit(schema.element as z.ZodType, true);
    if (schema instanceof z.ZodObject) {
      for (const [key, value] of Object.entries(schema.shape)) {
        const required = !(value instanceof z.ZodOptional);
        if (inList && required && SAMPLE_VALUES[key] === undefined) missing.push(key);
        visit(value as z.ZodType, false);
      }
    }
  };
  visit(Brief, false);
  visit(IncidentFile, false);
  expect(missing).toEqual([]);
});
