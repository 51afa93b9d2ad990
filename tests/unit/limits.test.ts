import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIncidentFile, parsePlaces } from '../../src/core/collection.js';
import * as z from 'zod';
import { Config, parseConfig } from '../../src/core/config.js';
import { formatDiagnostic, type Diagnostic, type YamlPositions } from '../../src/core/diagnostics.js';
import { jsonSchema } from '../../src/core/json-schema.js';
import { loadYaml } from '../../src/core/load.js';
import { Brief, IncidentFile, LIST_LIMITS, Places, type ListLimit } from '../../src/core/schema.js';
import { validateBrief, validateWith } from '../../src/core/validate.js';
import { ROOT } from '../helpers.js';

type Key = keyof typeof LIST_LIMITS;
type Kind = ListLimit['files'][number];

/** One valid entry of each limited list, as a YAML flow value; `i` makes it differ from the others. */
const ENTRY: Record<Key, (i: number) => string> = {
  authors: (i) => `{name: Author ${i}}`,
  topics: (i) => `Topic ${i}`,
  series: (i) => `s${i}`,
  analysis: (i) => `{quote: Words ${i}, name: Someone}`,
  background: (i) => `{heading: Heading ${i}, body: Text}`,
  related: (i) => `{title: Link ${i}, url: "https://example.org/${i}"}`,
  relatedAuthors: (i) => `Author ${i}`,
  briefIncidents: () => '{date: 2024-01-01, location: Base, country: Iraq}',
  weapons: () => '{type: drone}',
  sources: (i) => `"https://example.org/s${i}"`,
  compare: (i) => `{source: Tracker ${i}, figure: 1, as_of: 2024-01-01}`,
  corrections: (i) => `{date: 2024-01-01, text: Correction ${i}}`,
  fileIncidents: () => '{date: 2024-01-01, location: Base, country: Iraq}',
  places: (i) => `{name: Place ${i}, country: Iraq, lat: 33, lon: 44}`,
  aliases: (i) => `Alias ${i}`,
  fontFiles: (i) => `fonts/f${i}.woff2`,
};

/**
 * Where each list goes in each file it is in: the lines before it, the indentation of its
 * entries, and the path of the list as the message names it.
 */
const PLACE: Record<string, { before: string[]; indent: string; subject: string }> = {
  'brief:authors': { before: ['authors:'], indent: '  ', subject: 'authors' },
  'brief:topics': { before: ['topics:'], indent: '  ', subject: 'topics' },
  'brief:series': { before: ['series:'], indent: '  ', subject: 'series' },
  'brief:analysis': { before: ['analysis:'], indent: '  ', subject: 'analysis' },
  'brief:background': { before: ['background:'], indent: '  ', subject: 'background' },
  'brief:related': { before: ['related:'], indent: '  ', subject: 'related' },
  'brief:related[].authors': { before: ['related:', '  - title: Link', '    url: https://example.org/', '    authors:'], indent: '      ', subject: 'related[0].authors' },
  'brief:incidents': { before: ['incidents:'], indent: '  ', subject: 'incidents' },
  'brief:incidents[].weapons': { before: ['incidents:', '  - date: 2024-01-01', '    location: Base', '    country: Iraq', '    weapons:'], indent: '      ', subject: 'incidents[0].weapons' },
  'brief:incidents[].sources': { before: ['incidents:', '  - date: 2024-01-01', '    location: Base', '    country: Iraq', '    sources:'], indent: '      ', subject: 'incidents[0].sources' },
  'brief:compare': { before: ['compare:'], indent: '  ', subject: 'compare' },
  'brief:corrections': { before: ['corrections:'], indent: '  ', subject: 'corrections' },
  'incident file:series': { before: ['incidents: []', 'series:'], indent: '  ', subject: 'series' },
  'incident file:incidents': { before: ['series: camp', 'incidents:'], indent: '  ', subject: 'incidents' },
  'incident file:incidents[].weapons': {
    before: ['series: camp', 'incidents:', '  - date: 2024-01-01', '    location: Base', '    country: Iraq', '    weapons:'],
    indent: '      ',
    subject: 'incidents[0].weapons',
  },
  'incident file:incidents[].sources': {
    before: ['series: camp', 'incidents:', '  - date: 2024-01-01', '    location: Base', '    country: Iraq', '    sources:'],
    indent: '      ',
    subject: 'incidents[0].sources',
  },
  'places.yaml:': { before: [], indent: '', subject: 'the places file' },
  'places.yaml:[].aliases': { before: ['- name: Base', '  country: Iraq', '  lat: 33', '  lon: 44', '  aliases:'], indent: '    ', subject: '[0].aliases' },
  'brief.config.yaml:fonts.files': { before: ['fonts:', '  files:'], indent: '    ', subject: 'fonts.files' },
};

const FILE_NAME: Record<Kind, string> = { brief: 'briefs/a.yaml', 'incident file': 'incidents/camp.yaml', 'places.yaml': 'places.yaml', 'brief.config.yaml': 'brief.config.yaml' };

/** The file's text with `count` entries in the list, and the position of the entry at index `at`. */
function fileWith(kind: Kind, key: Key, count: number, at: number): { text: string; line: number; column: number } {
  const limit: ListLimit = LIST_LIMITS[key];
  const place = PLACE[`${kind}:${limit.path}`];
  if (!place) throw new Error(`no place for ${kind}:${limit.path}: add one to PLACE`);
  const head = kind === 'brief' ? ['title: Limits', 'date: 2024-01-01', 'developments: Quiet.'] : [];
  const before = [...head, ...place.before];
  const entries = Array.from({ length: count }, (_, i) => `${place.indent}- ${ENTRY[key](i)}`);
  return { text: `${[...before, ...entries].join('\n')}\n`, line: before.length + at + 1, column: place.indent.length + 3 };
}

/** The schema and the name of the whole of each kind of file, as the build checks it after reading (see collection.ts and config.ts). */
const SCHEMA: Record<Kind, [z.ZodType, string]> = {
  brief: [Brief, 'the brief'],
  'incident file': [IncidentFile, 'the incident file'],
  'places.yaml': [Places, 'the places file'],
  'brief.config.yaml': [Config, 'the configuration'],
};

/** Every diagnostic of data read from a file of that kind, checked as the build checks it. */
function check(kind: Kind, data: unknown, source: YamlPositions): Diagnostic[] {
  if (kind === 'brief') return validateBrief(data, source).diagnostics;
  const [schema, whole] = SCHEMA[kind];
  return validateWith(schema, data, source, whole).diagnostics;
}

/** The list at a LIST_LIMITS path in the data ("[]" being the first entry), to cut it. */
function listAt(data: unknown, at: string): unknown[] {
  let node = data as Record<string, unknown> | unknown[];
  for (const step of at.split(/\.|(?=\[\])/).filter(Boolean)) {
    node = (step === '[]' ? (node as unknown[])[0] : (node as Record<string, unknown>)[step.replace(/^\[\]/, '')]) as Record<string, unknown>;
  }
  return node as unknown[];
}

const errors = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);

const cases = (Object.keys(LIST_LIMITS) as Key[]).flatMap((key) => LIST_LIMITS[key].files.map((kind) => [key, kind] as [Key, Kind]));

describe('how long a list may be (LIST_LIMITS)', () => {
  it.each(cases)('%s in a %s: the limit is allowed, one more is an error at the first entry over it', (key, kind) => {
    const limit: ListLimit = LIST_LIMITS[key];
    const over = fileWith(kind, key, limit.max + 1, limit.max);
    // One reading of the file (a 20,000-entry list takes a while to parse): checked as it
    // is, and again with its last entry cut, which leaves the list at the limit.
    const loaded = loadYaml(over.text, FILE_NAME[kind]);
    expect(errors(loaded.diagnostics)).toEqual([]);
    const n = (x: number) => x.toLocaleString('en-US');
    const subject = PLACE[`${kind}:${limit.path}`]?.subject as string;
    expect(errors(check(kind, loaded.data, loaded.source))).toEqual([
      `${FILE_NAME[kind]}:${over.line}:${over.column}: ${subject} lists ${n(limit.max + 1)} ${limit.items}; ${limit.owner} may list at most ${n(limit.max)}: ${limit.fix}`,
    ]);
    const list = listAt(loaded.data, limit.path);
    expect(list).toHaveLength(limit.max + 1);
    list.pop();
    expect(errors(check(kind, loaded.data, loaded.source))).toEqual([]);
  });

  it('is checked where the build reads each kind of file', () => {
    // The readers of incident files, places and the configuration run the same schemas.
    const incidents = fileWith('incident file', 'series', 21, 20);
    expect(errors(parseIncidentFile(incidents.text, 'incidents/camp.yaml').diagnostics)).toEqual([
      `incidents/camp.yaml:${incidents.line}:${incidents.column}: series lists 21 series names; a brief or incident file may list at most 20: give a campaign one name rather than several`,
    ]);
    const places = fileWith('places.yaml', 'aliases', 101, 100);
    expect(errors(parsePlaces(places.text, 'places.yaml').diagnostics)).toHaveLength(1);
    const config = fileWith('brief.config.yaml', 'fontFiles', 101, 100);
    expect(errors(parseConfig(config.text, 'brief.config.yaml').diagnostics)).toEqual([
      `brief.config.yaml:${config.line}:${config.column}: fonts.files lists 101 font files; the configuration may list at most 100: list only the files the pages use`,
    ]);
  });

  const checkBrief = (text: string) => {
    const loaded = loadYaml(text, 'briefs/a.yaml');
    return [...loaded.diagnostics, ...check('brief', loaded.data, loaded.source)];
  };

  it('says the limit and the way out in plain words', () => {
    const topics = fileWith('brief', 'topics', 51, 50);
    expect(errors(checkBrief(topics.text))).toEqual([
      'briefs/a.yaml:55:5: topics lists 51 topics; a brief may list at most 50: keep the topics a reader would look the brief up by',
    ]);
  });

  it('says so for a series written as a list, not only that it is "a name or a list"', () => {
    const text = `title: T\ndate: 2024-01-01\ndevelopments: x\nseries: [${Array.from({ length: 21 }, (_, i) => `s${i}`).join(', ')}]\n`;
    expect(errors(checkBrief(text))).toEqual([
      'briefs/a.yaml:4:100: series lists 21 series names; a brief or incident file may list at most 20: give a campaign one name rather than several',
    ]);
  });

  it('every list a person writes has a limit, and the JSON Schemas carry each as maxItems', () => {
    // Every array in the four schemas, by path: none without maxItems.
    const unlimited: string[] = [];
    const limits = new Map<string, number>();
    const walk = (node: unknown, at: string) => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.type === 'array') {
        if (typeof n.maxItems === 'number') limits.set(at, n.maxItems);
        else unlimited.push(at);
      }
      for (const [k, v] of Object.entries(n)) walk(v, k === 'items' ? `${at}[]` : k === 'properties' || k === 'anyOf' || /^\d+$/.test(k) ? at : `${at}${at === '' || at.endsWith(':') ? '' : '.'}${k}`);
    };
    for (const kind of ['brief', 'incidents', 'places', 'config'] as const) walk(jsonSchema(kind), `${kind}:`);
    expect(unlimited).toEqual([]);
    // Each limit of the table is in the schema of each file it is in, with its number.
    const schemaKind: Record<Kind, string> = { brief: 'brief', 'incident file': 'incidents', 'places.yaml': 'places', 'brief.config.yaml': 'config' };
    const expected = new Map<string, number>();
    for (const limit of Object.values(LIST_LIMITS) as ListLimit[]) for (const kind of limit.files) expected.set(`${schemaKind[kind]}:${limit.path}`, limit.max);
    expect(Object.fromEntries([...limits].sort())).toEqual(Object.fromEntries([...expected].sort()));
  });

  it('the README\'s table "How long a list may be" is the table the code checks', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### How long a list may be'));
    const rows = [...section.slice(0, section.indexOf('\n#')).matchAll(/^\| ([^|]+?) \| ([^|]+?) \| ([\d,]+) \|/gm)].map((m) => [m[1], m[2], m[3]]);
    const table = (Object.values(LIST_LIMITS) as ListLimit[]).map((l) => [l.path ? `\`${l.path}\`` : 'the whole file', l.files.join(', '), l.max.toLocaleString('en-US')]);
    expect(rows).toEqual(table);
  });
});
