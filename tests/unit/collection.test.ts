import { describe, expect, it } from 'vitest';
import { gatherIncidents, incidentFileProblems, parseIncidentFile, parsePlaces, type Collection, type ParsedBrief } from '../../src/core/collection.js';
import { parseBrief } from '../../src/page/compile.js';
import { formatDiagnostic } from '../../src/core/diagnostics.js';
import type { Brief } from '../../src/core/schema.js';
import { computeTally, tallyWindow } from '../../src/core/tally.js';

const brief = (file: string, date: string, series: string | null, incidents: string, extra = '') =>
  parseBrief(
    `title: ${file}\ndate: ${date}\n${series ? `series: ${series}\n` : ''}developments: |\n  x\n${extra}incidents:\n${incidents}`,
    file,
  );
const incident = (id: string | null, date: string, location = 'Base A', more = '') =>
  `  - ${id ? `id: ${id}\n    ` : ''}date: ${date}\n    location: ${location}\n    country: Iraq\n${more}`;

function tallyOf(target: ParsedBrief, collection: Collection) {
  const gathered = gatherIncidents(target as ParsedBrief & { brief: Brief }, collection);
  const window = tallyWindow(target.brief as Brief);
  return { ...gathered, records: gathered.allRecords(), tally: computeTally(window, gathered.recordsIn(window)) };
}

describe('series across briefs', () => {
  const first = brief('a.yaml', '2023-10-19', 'camp', incident('i1', '2023-10-17') + incident('i2', '2023-10-18'));
  const second = brief(
    'b.yaml',
    '2023-10-24',
    'camp',
    incident('i3', '2023-10-22') + incident('i2', '2023-10-18'),
    'tally:\n  since: 2023-10-17\n',
  );
  const other = brief('c.yaml', '2023-10-20', 'elsewhere', incident('x1', '2023-10-20'));
  const later = brief('d.yaml', '2023-11-01', 'camp', incident('i9', '2023-10-19'));
  const collection: Collection = { briefs: [first, second, other, later], incidentFiles: [] };

  it('counts the earlier briefs of the series once each by id, and only its own as new', () => {
    const { tally, previous, diagnostics } = tallyOf(second, collection);
    expect(diagnostics).toEqual([]);
    expect([tally.total, tally.new]).toEqual([3, 1]);
    expect(previous?.file).toBe('a.yaml');
  });

  it('rebuilds an old brief with the numbers it had: later briefs do not count', () => {
    const alone = tallyOf(first, { briefs: [first], incidentFiles: [] }).tally;
    const withLater = tallyOf(first, collection).tally;
    expect(withLater).toEqual(alone);
    expect(withLater.total).toBe(2);
  });

  it('does not count briefs of another series, or a brief without series', () => {
    expect(tallyOf(other, collection).tally.total).toBe(1);
    const loner = brief('e.yaml', '2023-10-30', null, incident('i5', '2023-10-29'));
    expect(tallyOf(loner, { briefs: [...collection.briefs, loner], incidentFiles: [] }).tally.total).toBe(1);
  });

  it('names both places when one id carries different facts in two briefs', () => {
    const conflicting = brief('f.yaml', '2023-10-25', 'camp', incident('i1', '2023-10-17', 'Base B'));
    const { diagnostics } = tallyOf(conflicting, { briefs: [first, conflicting], incidentFiles: [] });
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'f.yaml:7:5: incident "i1" is listed again with different facts from its first listing at a.yaml:7:5: location "Base B" here, "Base A" there (if the facts changed, mark this listing revised: YYYY-MM-DD)',
    ]);
  });

  it('counts incident files that share a series', () => {
    const file = parseIncidentFile(`series: [camp]\nincidents:\n${incident('f1', '2023-10-23')}${incident('i2', '2023-10-18')}`, 'incidents/camp.yaml');
    expect(file.diagnostics).toEqual([]);
    const { tally } = tallyOf(second, { briefs: [first, second], incidentFiles: [file] });
    expect([tally.total, tally.new]).toEqual([4, 1]);
  });

  it('stops the briefs of its series when an incident file has errors, and lists its errors once, with the file', () => {
    const broken = parseIncidentFile('series: camp\nincidents:\n  - date: nope\n', 'incidents/bad.yaml');
    const collection = { briefs: [first, second], incidentFiles: [broken] };
    const { diagnostics } = tallyOf(second, collection);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'b.yaml:3:9: incidents/bad.yaml has errors and holds incidents of series "camp"; fix it so this brief\'s numbers can be counted',
    ]);
    expect(incidentFileProblems(collection)).toEqual([{ file: 'incidents/bad.yaml', diagnostics: broken.diagnostics }]);
    expect(broken.diagnostics.map(formatDiagnostic)).toEqual([
      'incidents/bad.yaml:3:5: incidents[0].location is required',
      'incidents/bad.yaml:3:5: incidents[0].country is required',
      'incidents/bad.yaml:3:11: incidents[0].date must be a real date written YYYY-MM-DD, e.g. 2023-10-24',
    ]);
  });
});

describe('parsePlaces', () => {
  it('reads places with positions and reports mistakes at theirs', () => {
    const good = parsePlaces('- name: al-Tanf garrison\n  country: Syria\n  lat: 33.5\n  lon: 38.6\n  aliases: [Tanf]\n', 'places.yaml');
    expect(good.diagnostics).toEqual([]);
    expect(good.places[0]?.aliases).toEqual(['Tanf']);
    const bad = parsePlaces('- name: X\n  country: Y\n  lat: 95\n  lon: 10\n', 'places.yaml');
    expect(bad.diagnostics.map(formatDiagnostic)).toEqual(['places.yaml:3:8: [0].lat must be a latitude in degrees, -90 to 90']);
  });
});
