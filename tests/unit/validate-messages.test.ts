import { describe, expect, it } from 'vitest';
import { parsePlaces, parseIncidentFile } from '../../src/core/collection.js';
import { finishBrief, parseBrief } from '../../src/page/compile.js';
import { parseConfig } from '../../src/core/config.js';
import { loadYaml } from '../../src/core/load.js';
import { validateBrief } from '../../src/core/validate.js';

const check = (text: string) => {
  const { data, source } = loadYaml(text, 'b.yaml');
  return validateBrief(data, source).diagnostics.map((d) => [d.line, d.column, d.message]);
};
const CONTEXT = { pageRenderers: new Map([['flash-brief', () => '']]), pages: false, options: { pageSize: 'Letter', generator: 't', config: {}, pdf: false, now: new Date(0) } } as const;
const BRIEF = 'title: T\ndate: 2024-01-11\ndevelopments: |\n  Text.\n';

describe('a number or true/false where text is expected', () => {
  it('says to put it in quotes, with the value as written, in every kind of place', () => {
    const text = 'title: 2024\ndate: 2024-01-11\nlabel: true\ndevelopments: |\n  Text.\ntopics:\n  - 1.50\nauthors:\n  - name: 12\n';
    expect(check(text)).toEqual([
      [1, 8, 'title must be text, not a number: put it in quotes, e.g. title: "2024"'],
      [3, 8, 'label must be text, not true or false: put it in quotes, e.g. label: "true"'],
      [7, 5, 'topics[0] must be text, not a number: put it in quotes, e.g. - "1.50"'],
      [9, 11, 'authors[0].name must be text, not a number: put it in quotes, e.g. name: "12"'],
    ]);
  });

  it('gives the field\'s own rule when quotes would not make it valid', () => {
    expect(check(`${BRIEF}lang: 12\n`)).toEqual([[5, 7, 'lang must be a language tag such as en or en-GB, not the number 12']]);
  });

  it('reads the same in places.yaml and brief.config.yaml', () => {
    const places = parsePlaces('- name: 22\n  country: Iraq\n  lat: 1\n  lon: 2\n', 'places.yaml').diagnostics;
    expect(places.map((d) => [d.line, d.column, d.message])).toEqual([[1, 9, '[0].name must be text, not a number: put it in quotes, e.g. name: "22"']]);
    const config = parseConfig('organization: 2024\n', 'brief.config.yaml').diagnostics;
    expect(config.map((d) => [d.line, d.column, d.message])).toEqual([[1, 15, 'organization must be text, not a number: put it in quotes, e.g. organization: "2024"']]);
  });
});

describe('a whole file of the wrong kind is described by what its format expects', () => {
  const places = (text: string) => parsePlaces(text, 'places.yaml').diagnostics.map((d) => [d.line, d.column, d.message]);
  it('places.yaml: one mapping instead of a list', () => {
    expect(places('name: Erbil\ncountry: Iraq\nlat: 36.2\nlon: 44.0\n')).toEqual([
      [1, 1, 'the places file must be a list of places, not a single mapping: put "- " before "name:" and indent the lines under it by 2 spaces, one "- name:" entry per place'],
    ]);
  });
  it('places.yaml: empty, or text', () => {
    expect(places('')).toEqual([[1, 1, 'the file is empty; the places file must be a list of places, each place starting "- name:" with country:, lat: and lon: under it']]);
    expect(places('plain text\n')).toEqual([[1, 1, 'the places file must be a list of places, not text: each place starting "- name:" with country:, lat: and lon: under it']]);
  });
  it('an incident file and the configuration', () => {
    const incidents = (text: string) => parseIncidentFile(text, 'i.yaml').diagnostics.map((d) => d.message);
    expect(incidents('')).toEqual(['the file is empty; the incident file needs its keys, at least series: and incidents:']);
    expect(incidents('just text\n')).toEqual(['the incident file must be a mapping of keys (key: value) starting with series: and incidents:, not text']);
    expect(parseConfig('- a\n', 'c.yaml').diagnostics.map((d) => d.message)).toEqual(['the configuration must be a mapping of keys (key: value), not a list']);
  });
});

describe('cross-field checks run beside unrelated schema errors', () => {
  it('reports a note without revised and a revision after the brief in one run', () => {
    const text =
      BRIEF +
      'incidents:\n  - date: 2024-01-05\n    location: Erbil\n    country: Iraq\n    revision_note: raised\n' +
      '  - id: e2\n    date: 2024-01-06\n    location: Erbil\n    country: Iraq\n    revised: 2024-02-01\n';
    expect(check(text)).toEqual([
      [9, 20, 'incidents[0].revision_note is given without revised: add revised: YYYY-MM-DD (the day the new facts became known), or remove the note'],
      [14, 14, "incidents[1].revised (2024-02-01) is after the brief's date (2024-01-11); a brief reports only revisions known by its date"],
    ]);
  });

  it('checks the window and coordinates while another key is misspelt', () => {
    const text = `${BRIEF}titel: x\ntally:\n  since: 2024-01-09\n  until: 2024-01-02\nincidents:\n  - date: 2024-01-05\n    location: E\n    country: I\n    lat: 33\n`;
    expect(check(text).map(([line, column, message]) => [line, column, (message as string).split(' ').slice(0, 2).join(' ')])).toEqual([
      [5, 1, 'unknown key'],
      [8, 10, 'tally.until (2024-01-02)'],
      [10, 5, 'incidents[0] has'],
    ]);
  });

  it('runs no check on a value that is itself invalid', () => {
    // An invalid since is not a window without since; an invalid incident date leaves the earliest unknown; an invalid brief date, every revision.
    expect(check(`${BRIEF.replace('2024-01-11', '2024-13-45')}incidents:\n  - date: 2024-01-05\n    location: E\n    country: I\n    revised: 2024-02-01\n`)).toEqual([
      [2, 7, 'date must be a real date written YYYY-MM-DD, e.g. 2023-10-24'],
    ]);
    expect(check(`${BRIEF}tally:\n  since: soon\n  until: 2024-01-02\nincidents:\n  - date: 2024-01-05\n    location: E\n    country: I\n`)).toEqual([
      [6, 10, 'tally.since must be a real date written YYYY-MM-DD, e.g. 2023-10-24'],
    ]);
    expect(check(`${BRIEF}tally:\n  until: 2024-01-02\nincidents:\n  - date: 2024-01-05\n    location: E\n    country: I\n  - date: yesterday\n    location: E\n    country: I\n`)).toEqual([
      [11, 11, 'incidents[1].date must be a real date written YYYY-MM-DD, e.g. 2023-10-24'],
    ]);
    expect(check(`${BRIEF}incidents:\n  - date: 2024-01-05\n    location: E\n    country: I\n    lat: north\n`)).toEqual([
      [9, 10, 'incidents[0].lat must be a number like 2, not "north"'],
    ]);
  });
});

describe('places.yaml names and aliases that could mean two places', () => {
  const PLACES = [
    '- name: Erbil',
    '  country: Iraq',
    '  lat: 36.2',
    '  lon: 44.0',
    '  aliases: [Erbil airport]',
    '- name: Harir',
    '  country: Iraq',
    '  lat: 36.5',
    '  lon: 44.3',
    '  aliases: [erbil Airport, Erbil]',
    '- name: erbil',
    '  country: Iraq',
    '  lat: 36.3',
    '  lon: 44.1',
    '',
  ].join('\n');

  it('are errors at the later entry (the alias that can never match), naming the first, ignoring case as the lookup does', () => {
    expect(parsePlaces(PLACES, 'places.yaml').diagnostics.map((d) => [d.line, d.column, d.severity, d.message])).toEqual([
      [10, 13, 'error', 'alias "erbil Airport" is also an alias of "Erbil" (line 1): incidents at "erbil Airport" go to "Erbil", never to "Harir"; keep the alias on one place only'],
      [10, 28, 'error', 'alias "Erbil" is the name of another place ("Erbil", line 1): incidents at "Erbil" go to that place, never to "Harir"; remove the alias or rename one place'],
      [11, 9, 'error', '"erbil" is already the name of the place at line 1: incidents at "erbil" go to that place and this entry is never used; merge the two entries, or rename one'],
    ]);
  });

  it('leave one place\'s own repeats alone', () => {
    expect(parsePlaces('- name: Erbil\n  country: Iraq\n  lat: 1\n  lon: 2\n  aliases: [Erbil, Arbil, arbil]\n', 'places.yaml').diagnostics).toEqual([]);
  });

  it('while places.yaml has errors, incidents are not also warned about as off the map', () => {
    const parsed = parseBrief(`${BRIEF}incidents:\n  - date: 2024-01-05\n    location: Erbil\n    country: Iraq\n`, 'b.yaml');
    const compiled = (places: string) =>
      finishBrief(parsed, { briefs: [parsed], incidentFiles: [], places: parsePlaces(places, 'places.yaml') }, CONTEXT).diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`);
    expect(compiled('- name: Erbil\n  country: Iraq\n  lat: 136.2\n  lon: 44.0\n')).toEqual(['places.yaml:3:8: [0].lat must be a latitude in degrees, -90 to 90']);
    // Once places.yaml is right, a place missing from it is warned about again.
    expect(compiled('- name: Harir\n  country: Iraq\n  lat: 36.5\n  lon: 44.3\n')).toEqual([
      'b.yaml:7:15: "Erbil" will not be on the map: add lat and lon to the incident, or the place to places.yaml',
    ]);
  });
});

describe('one mistake, one message', () => {
  it('a misspelt required key is the unknown key with did-you-mean, not also "is required"', () => {
    expect(check('title: T\ndate: 2024-01-11\ndevelopmnts: |\n  Text.\n')).toEqual([[3, 1, 'unknown key "developmnts" (did you mean "developments"?)']]);
  });

  it('a YAML merge key says that merge keys are not read', () => {
    const messages = check(`${BRIEF}incidents:\n  - <<: {date: 2024-01-10}\n    location: Base\n    country: Iraq\n`).map((d) => d[2]);
    expect(messages).toContain('unknown key "incidents[0].<<": YAML merge keys (<<: *anchor) are not used here; write the keys out');
  });
});
