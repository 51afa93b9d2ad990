import { describe, expect, it } from 'vitest';
import { loadYaml } from '../../src/core/load.js';
import { compileBrief } from '../../src/page/compile.js';

// Where a text has two readings, the order of the recognisers (yaml-syntax.ts SLIPS) and of
// the number readers (warnings.ts READERS) decides which one the author is told: these are
// the cases where a different order would give a different message.
const context = { pageRenderers: new Map([['flash-brief', () => '']]), pages: false, options: { pageSize: 'Letter', generator: 't', config: {}, pdf: false, now: new Date(0) } } as const;
const errorsOf = (text: string) => loadYaml(text, 'f.yaml').diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d.column, d.message]);

describe('which slip is named when two could be', () => {
  it.each([
    ['a tab, not the colon after it', 'tally:\n\tsince: a: b\ntitle: x\n', 2, 1, 'this line is indented with a tab; YAML allows only spaces: indent it with 2 spaces instead'],
    ['the unclosed bracket, not the quote inside it', 'title: [a, "b\ndate: x\n', 1, 8, 'this "[" opens a list that is not closed: end it with "]" on the same line, or, if the value is text, put it in quotes'],
    ['the colon on the line, not the one below', 'title: Red Sea: Houthis\n  said: more\ndate: x\n', 1, 15, 'the title contains ": ", which YAML reads as the start of another key: put the title in quotes, e.g. title: "Red Sea: Houthis"'],
    ['a known key indented too far, not prose', 'incidents:\n  - date: 2024-01-01\n      location: X\n', 3, 7, 'this line is indented more than the "date" line above (6 spaces, not 4), so YAML reads it as more of that value: remove 2 spaces from its start to line it up'],
    ['the missing space after a colon, not text outside the key above', 'title: x\nsummary:\ndate:2024-01-05\n', 3, 6, 'put a space after the colon: date: 2024-01-05'],
    [
      'prose starting with "{{", not a value starting with "{"',
      'summary: {{tally.total}} [a\n',
      1,
      10,
      'prose that starts with "{{" needs "|": YAML reads "{{" as the start of a mapping. Write "summary: |" on this line and the text, indented, on the lines below it: "summary: |" then "  {{tally.total}} [a"',
    ],
  ])('%s', (_name, text, line, column, message) => {
    expect(errorsOf(text)).toEqual([[line, column, message]]);
  });
});

describe('which reading of a typed number is taken when two could be', () => {
  it('"claimed 2 attacks" is a count of claims (the verb), not of attacks', () => {
    const incident = (day: number, claimed: boolean) => `  - date: 2023-10-${day}\n    location: Erbil\n    country: Iraq\n${claimed ? '    claimed: true\n' : ''}`;
    const text = `title: T\ndate: 2023-10-24\ndevelopments: |\n  Militias claimed 2 attacks this week.\nincidents:\n${incident(20, true)}${incident(21, true)}${incident(22, false)}`;
    const warnings = compileBrief(text, 'b.yaml', context).diagnostics.filter((d) => d.severity === 'warning');
    expect(warnings.map((d) => [d.line, d.column, d.message])).toEqual([
      [4, 12, '"claimed 2" is typed by hand; {{tally.claimed}} gives 2 from the incidents and stays right when they change'],
    ]);
  });
});
