import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileBrief } from '../../src/page/compile.js';
import { loadYaml } from '../../src/core/load.js';
import { FIXTURES } from '../helpers.js';

const context = { pageRenderers: new Map([['flash-brief', () => '']]), pages: false, options: { pageSize: 'Letter', generator: 't', config: {}, pdf: false, now: new Date(0) } } as const;
const read = (name: string) => readFileSync(path.join(FIXTURES, 'cases', name), 'utf8');
const errorsOf = (text: string) => loadYaml(text, 'f.yaml').diagnostics.filter((d) => d.severity === 'error');

describe('YAML syntax errors from the trial', () => {
  it('a title with ": " inside: one error at the second colon, saying to quote the title', () => {
    const errors = errorsOf(read('yaml-unquoted-colon.yaml'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 2, column: 26 });
    expect(errors[0]?.message).toContain('put the title in quotes');
    expect(errors[0]?.message).toContain('title: "Red Sea Escalation: Houthis Strike Ten Ships in a Week"');
  });

  it('a line dedented by two spaces: one error at that line, not a cascade', () => {
    const errors = errorsOf(read('yaml-wrong-indent-cascade.yaml'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 98, column: 3 });
    expect(errors[0]?.message).toBe('this line is indented 2 spaces, less than the other lines of its incident (4): indent it by 2 more spaces to line it up with them');
  });

  it('prose starting with {{: one error saying to put "|" on the line before the text', () => {
    const errors = errorsOf(read('yaml-prose-starts-with-placeholder.yaml'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 19, column: 15 });
    expect(errors[0]?.message).toContain('prose that starts with "{{" needs "|"');
    expect(errors[0]?.message).toContain('"developments: |" then "  {{tally.total}} attacks.');
  });

  it('two independent mistakes far apart are two errors', () => {
    const text = read('yaml-unquoted-colon.yaml').replace('    location: off Mokha\n    country: Yemen', '    location: off Mokha\n  country: Yemen');
    const errors = errorsOf(text);
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [2, 26],
      [98, 3],
    ]);
  });
});

// One typical slip per row: the exact place of the one error, and a word of its fix.
const SLIPS: [name: string, text: string, line: number, column: number, says: string][] = [
  ['colon in a plain value', 'title: Red Sea: Houthis\ndate: x\n', 1, 15, 'put the title in quotes'],
  ['colon in a list item value', 'authors:\n  - name: Dr: X\n    role: y\n', 2, 13, 'put the name in quotes'],
  ['colon at the end of a value', 'title: Update:\ndate: x\n', 1, 14, 'put the title in quotes'],
  ['colon on a continuation line', 'summary: The Houthis\n  said: more\ndate: x\n', 2, 7, 'write "summary: |"'],
  ['line dedented inside a list item', 'incidents:\n  - id: a\n    date: b\n  country: Y\n    lat: 1\n  - id: c\n', 4, 3, 'indent it by 2 more spaces'],
  ['line dedented by one under a mapping', 'tally:\n  since: x\n until: y\ntitle: z\n', 3, 2, 'indent it by 1 more space'],
  ['line indented more than its siblings', 'incidents:\n  - id: a\n    date: b\n      country: Y\n    lat: 1\n', 4, 7, 'remove 2 spaces'],
  ['a block scalar key dedented by one', 'background:\n  - heading: H\n   body: |\n      Text one.\n      Text two.\ntitle: x\n', 3, 4, 'indent it by 1 more space'],
  ['list dash indented one too many', 'authors:\n  - name: A\n   - name: C\ntitle: x\n', 3, 4, 'remove 1 space'],
  ['key of a list item without its dash level', 'authors:\n  - name: A\n    role: B\n  name: C\ntitle: x\n', 4, 3, 'indent it by 2 more spaces'],
  ['tab indenting a list', 'authors:\n\t- name: X\ntitle: y\n', 2, 1, 'tab'],
  ['tab inside an indentation', 'authors:\n  - name: X\n\t  role: y\ntitle: y\n', 3, 1, 'indent it with 4 spaces'],
  ['tab indenting a key', 'tally:\n\tsince: x\ntitle: y\n', 2, 1, 'indent it with 2 spaces'],
  ['no space after the colon', 'title:Foo\ndate: x\n', 1, 7, 'put a space after the colon: title: Foo'],
  ['no colon at all', 'title Foo\ndate: x\n', 1, 1, 'add a colon'],
  ['prose under an empty key not indented', 'developments:\nThe text here\ndate: x\n', 2, 1, 'write "developments: |"'],
  ['unclosed double quote', 'title: "Foo bar\ndate: x\nsummary: y\n', 1, 8, 'add the closing "'],
  ['unclosed single quote', "title: 'Foo bar\ndate: x\n", 1, 8, "add the closing '"],
  ['apostrophe inside single quotes', "title: 'Analyst's view'\ndate: x\n", 1, 16, "'Analyst''s view'"],
  ['text after a closing double quote', 'title: "Foo" bar\ndate: x\n', 1, 12, 'ends the quoted value'],
  ['prose starting with {{', 'developments: {{tally.total}} attacks\ndate: x\n', 1, 15, 'needs "|"'],
  ['prose starting with {{ over several lines', 'developments: {{tally.total}} attacks\n  more text: and more\ndate: x\n', 1, 15, 'needs "|"'],
  ['prose starting with {', 'summary: {Note} this is prose\ndate: x\n', 1, 10, 'summary: "{Note} this is prose"'],
  ['prose starting with [', 'summary: [Update] prose here\ndate: x\n', 1, 10, 'summary: "[Update] prose here"'],
  ['prose starting with *', 'summary: *Bold* start\ndate: x\n', 1, 10, 'alias'],
  ['prose starting with &', 'summary: & more\ndate: x\n', 1, 10, 'anchor'],
  ['prose starting with @', 'summary: @user said\ndate: x\n', 1, 10, 'summary: "@user said"'],
  ['prose starting with a backtick', 'summary: `code` said\ndate: x\n', 1, 10, 'in quotes'],
  ['prose starting with %', 'summary: %50 said\ndate: x\n', 1, 10, 'in quotes'],
  ['prose starting with !', 'summary: !Breaking news\ndate: x\n', 1, 10, 'read as a tag'],
  ['text on the line of >', 'summary: > The text here\ndate: x\n', 1, 12, 'move "The text here" to the line below'],
  ['text on the line of |', 'summary: | The text here\ndate: x\n', 1, 12, 'to the line below'],
  ['unclosed flow list', 'topics: [Yemen, Iran\ndate: x\nsummary: y\n', 1, 9, 'end it with "]"'],
  ['flow mapping closed by ]', 'weapons: [{ type: drone, count: 2 ]\ndate: x\n', 1, 11, 'end it with "}"'],
  ['prose under-indented in a block scalar', 'developments: |\n    First line.\n    Second.\n  Third.\ntitle: x\n', 4, 3, 'less than the other lines of the text under "developments: |" (4)'],
  ['no space after the dash of a later item', 'incidents:\n  - date: 2024-01-04\n    location: E\n  -date: 2024-01-05\n    location: E\n', 4, 4, 'put a space after "-": "- date:" starts a list item'],
  ['no space after the dash of the first item', 'incidents:\n  -date: 2024-01-04\n    location: E\n  - date: 2024-01-05\n', 2, 4, 'put a space after "-"'],
  ['no space after the dash of the last item', 'authors:\n  - name: A\n  -name: B\ntitle: x\n', 3, 4, 'put a space after "-": "- name:"'],
  ['flow list missing its ]', 'weapons: [{ type: drone, count: 2 }\ndate: x\n', 1, 10, 'end it with "]"'],
];

describe('a typical slip gives exactly one error, at the place to fix', () => {
  it.each(SLIPS)('%s', (_, text, line, column, says) => {
    const errors = errorsOf(text);
    expect(errors.map((e) => `${e.line}:${e.column}`)).toEqual([`${line}:${column}`]);
    expect(errors[0]?.message).toContain(says);
    expect(errors[0]?.message).not.toMatch(/^YAML syntax:/);
  });
});

describe('a # that cuts a plain value', () => {
  const text = read('hash-comment-truncates.yaml');

  it('is a warning at each #, saying to quote the value', () => {
    const warnings = loadYaml(text, 'f.yaml').diagnostics;
    expect(warnings.map((d) => [d.line, d.column, d.severity])).toEqual([
      [1, 15, 'warning'],
      [3, 28, 'warning'],
      [8, 27, 'warning'],
      [12, 27, 'warning'],
    ]);
    expect(warnings[0]?.message).toContain('so the title is "Attack"');
    expect(warnings[0]?.message).toContain('title: "Attack #4 on U.S. Forces This Week"');
    expect(warnings[2]?.message).toContain('location: "Patrol Base #2"');
  });

  it('with quotes, keeps the whole title and counts two places', () => {
    const quoted = text
      .replace('title: Attack #4 on U.S. Forces This Week', 'title: "Attack #4 on U.S. Forces This Week"')
      .replace('summary: The fourth strike #4 of the week hit two outposts.', 'summary: "The fourth strike #4 of the week hit two outposts."')
      .replace(/location: (Patrol Base #\d)/g, 'location: "$1"');
    const result = compileBrief(quoted, 'f.yaml', context);
    // The prose still cites the place the comment made up; with two real places it is named nowhere.
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ line: 5, severity: 'warning', message: expect.stringContaining('no incident has location "Patrol Base"') }),
    ]);
    expect(result.brief?.title).toBe('Attack #4 on U.S. Forces This Week');
    expect(result.tally?.byLocation).toEqual({ 'Patrol Base #2': 1, 'Patrol Base #3': 1 });
  });

  it.each([
    ['a comment on its own line', '# note\ntitle: T\n'],
    ['a comment after a quoted value', 'title: "T" #1\n'],
    ['a comment after a block scalar header', 'summary: | # prose below\n  text #1\n'],
    ['a comment after a key with no value', 'tally: # window\n  since: 2024-01-01\n'],
    ['the editor schema line', '# yaml-language-server: $schema=../schema/brief.schema.json\ntitle: T\n'],
    ['a deliberate annotation after two spaces', 'slug: militia-attacks          # optional\n'],
  ])('is not reported for %s', (_, text) => {
    expect(loadYaml(text, 'f.yaml').diagnostics).toEqual([]);
  });

  it('is not reported after a value that is complete as it stands (a date, a number, a slug, a language)', () => {
    const text = [
      'title: Test # of the desk',
      'date: 2024-01-11 # published',
      'slug: test-brief # the slug',
      'lang: en # English',
      'series: militia-attacks # the campaign',
      'incidents:',
      '  - date: 2024-01-05 # reported later',
      '    location: Erbil # the airport',
      '    killed: 2 # at least',
      '    claimed: true # by a group',
      '    lat: 36.2 # approximate',
      '    weapons:',
      '      - type: drone # one word',
      'other: 2024-01-05 # a key of no format: its look decides',
      '',
    ].join('\n');
    const warnings = loadYaml(text, 'f.yaml').diagnostics;
    // Text values keep the warning: the # may have cut a title or a place name.
    expect(warnings.map((d) => [d.line, d.column, d.severity])).toEqual([
      [1, 13, 'warning'],
      [8, 21, 'warning'],
    ]);
    expect(warnings[0]?.message).toContain('title: "Test # of the desk"');
    expect(warnings[1]?.message).toContain('location: "Erbil # the airport"');
  });

  it('is still reported for a number where the whole line could be the text', () => {
    // As text the whole line is a valid title, so quoting it is the right fix.
    const warnings = loadYaml('title: 2024 # the year in review\n', 'f.yaml').diagnostics;
    expect(warnings.map((d) => [d.line, d.column])).toEqual([[1, 13]]);
    expect(warnings[0]?.message).toContain('title: "2024 # the year in review"');
  });

  it('is reported in a list and after a glued # too', () => {
    const diagnostics = loadYaml('topics:\n  - Base #2\nlocation: Base  #2\n', 'f.yaml').diagnostics;
    expect(diagnostics.map((d) => [d.line, d.column])).toEqual([
      [2, 10],
      [3, 17],
    ]);
  });
});
