import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { gatherIncidents, parseIncidentFile, type Collection, type ParsedBrief } from '../../src/core/collection.js';
import { parseBrief } from '../../src/page/compile.js';
import type { Brief, Incident } from '../../src/core/schema.js';
import { computeTally, type TalliedIncident } from '../../src/core/tally.js';
import { parse } from '../helpers.js';

// Invariants of the tally rules, over arbitrary incidents. CI runs a fixed number of
// cases; FAST_CHECK_RUNS raises it on demand.
const runs = Number(process.env.FAST_CHECK_RUNS ?? 200);

const day = fc.integer({ min: 1, max: 28 }).map((d) => `2024-03-${String(d).padStart(2, '0')}`);
const weapon = fc.record(
  { type: fc.constantFrom('drone', 'rocket', 'missile'), count: fc.integer({ min: 1, max: 9 }) },
  { requiredKeys: ['type'] },
);
const incident: fc.Arbitrary<Incident> = fc.record(
  {
    id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
    date: day,
    location: fc.constantFrom('Base A', 'Base B', 'Port C'),
    country: fc.constantFrom('Iraq', 'Syria', 'Jordan'),
    weapons: fc.array(weapon, { maxLength: 3 }),
    perpetrator: fc.constantFrom('Group 1', 'Group 2'),
    claimed: fc.boolean(),
    killed: fc.integer({ min: 0, max: 5 }),
    injured: fc.integer({ min: 0, max: 5 }),
  },
  { requiredKeys: ['date', 'location', 'country'] },
);
const records = fc.array(incident, { maxLength: 25 }).map((list) => list.map((i): TalliedIncident => ({ incident: i, listedHere: true, listedBefore: false })));
const window = fc.tuple(day, day).map(([a, b]) => (a <= b ? { since: a, until: b } : { since: b, until: a }));
const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

describe('tally invariants', () => {
  it('the counts by country (and by location, and per day) add up to the total', () => {
    fc.assert(
      fc.property(records, window, (rs, w) => {
        const t = computeTally(w, rs);
        expect(sum(t.byCountry)).toBe(t.total);
        expect(sum(t.byLocation)).toBe(t.total);
        expect(sum(t.perDay)).toBe(t.total);
        expect(sum(t.byPerpetrator)).toBeLessThanOrEqual(t.total);
      }),
      { numRuns: runs },
    );
  });

  it('narrowing the window never raises a count', () => {
    fc.assert(
      fc.property(records, window, fc.nat(5), fc.nat(5), (rs, w, cutStart, cutEnd) => {
        const shift = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
        const narrow = { since: shift(w.since, cutStart), until: shift(w.until, -cutEnd) };
        if (narrow.since > narrow.until) return;
        const a = computeTally(w, rs);
        const b = computeTally(narrow, rs);
        for (const key of ['total', 'new', 'killed', 'injured', 'claimed'] as const) expect(b[key]).toBeLessThanOrEqual(a[key]);
        for (const [k, n] of Object.entries(b.byCountry)) expect(n).toBeLessThanOrEqual(a.byCountry[k] ?? 0);
        for (const [k, v] of Object.entries(b.byWeapon)) expect(v.munitions).toBeLessThanOrEqual(a.byWeapon[k]?.munitions ?? 0);
      }),
      { numRuns: runs },
    );
  });

  it('munitions are the known counts plus one per listing without a count, exact only when all are known', () => {
    fc.assert(
      fc.property(records, window, (rs, w) => {
        const t = computeTally(w, rs);
        const inside = rs.filter(({ incident: i }) => i.date >= w.since && i.date <= w.until);
        for (const [type, v] of Object.entries(t.byWeapon)) {
          const listings = inside.flatMap(({ incident: i }) => (i.weapons ?? []).filter((x) => x.type === type));
          expect(v.munitions).toBe(listings.reduce((n, x) => n + (x.count ?? 1), 0));
          expect(v.exact).toBe(listings.every((x) => x.count !== undefined));
          expect(v.incidents).toBe(inside.filter(({ incident: i }) => (i.weapons ?? []).some((x) => x.type === type)).length);
        }
      }),
      { numRuns: runs },
    );
  });

  it('adding an incident never lowers any count', () => {
    fc.assert(
      fc.property(records, incident, window, (rs, extra, w) => {
        const before = computeTally(w, rs);
        const after = computeTally(w, [...rs, { incident: extra, listedHere: true, listedBefore: false }]);
        for (const key of ['total', 'new', 'killed', 'injured', 'claimed'] as const) expect(after[key]).toBeGreaterThanOrEqual(before[key]);
        for (const [k, n] of Object.entries(before.byLocation)) expect(after.byLocation[k]).toBeGreaterThanOrEqual(n);
        for (const [k, v] of Object.entries(before.byWeapon)) expect(after.byWeapon[k]?.munitions).toBeGreaterThanOrEqual(v.munitions);
      }),
      { numRuns: runs },
    );
  });

  it('counts an incident once however many briefs of the series list it', () => {
    fc.assert(
      fc.property(incident, fc.integer({ min: 1, max: 5 }), (inc, copies) => {
        const withId = { ...inc, id: 'shared', date: '2024-03-10' };
        const { source } = parse('x: 1\n');
        const briefs: ParsedBrief[] = Array.from({ length: copies }, (_, i) => ({
          file: `b${i}.yaml`,
          source,
          data: {},
          diagnostics: [],
          brief: { title: 't', date: `2024-03-${String(11 + i).padStart(2, '0')}`, developments: '', series: 's', incidents: [withId], tally: { since: '2024-03-01' } } as Brief,
        }));
        const target = briefs.at(-1) as ParsedBrief & { brief: Brief };
        const { allRecords, diagnostics } = gatherIncidents(target, { briefs, incidentFiles: [] });
        const gathered = allRecords();
        expect(diagnostics).toEqual([]);
        const t = computeTally({ since: '2024-03-01', until: target.brief.date }, gathered);
        expect(t.total).toBe(1);
        expect(t.new).toBe(copies === 1 ? 1 : 0);
      }),
      { numRuns: runs },
    );
  });
});

// brief-format "Once each" and "Revisions", over whole folders: briefs written as YAML and
// read back, so positions and messages are the real ones. A fixed seed keeps CI repeatable.
describe('revisions and ids across the folder', () => {
  const seeded = { seed: 20231024, numRuns: Math.min(runs, 100) };
  const dayOf = (n: number) => `2024-03-${String(n).padStart(2, '0')}`;
  const listing = fc.record(
    {
      id: fc.constantFrom('a', 'b', 'c', 'd'),
      date: fc.integer({ min: 1, max: 20 }).map(dayOf),
      location: fc.constantFrom('Base A', 'Base B', 'Port C'),
      country: fc.constantFrom('Iraq', 'Syria'),
      weapons: fc.array(weapon, { maxLength: 2 }),
      claimed: fc.boolean(),
      killed: fc.integer({ min: 0, max: 5 }),
      injured: fc.integer({ min: 0, max: 5 }),
    },
    { requiredKeys: ['id', 'date', 'location', 'country'] },
  );
  /** A brief of series "s" on a day, listing each id at most once (two in one brief would be its own conflict). */
  const briefSpec = fc.record({
    day: fc.integer({ min: 1, max: 20 }),
    incidents: fc.uniqueArray(listing, { selector: (i) => i.id, maxLength: 4 }),
  });
  const series = fc.array(briefSpec, { minLength: 1, maxLength: 4 });

  const toBrief = (spec: { day: number; incidents: Incident[] }, file: string, seriesName: string | null = 's') =>
    parseBrief(
      stringify({ title: file, date: dayOf(spec.day), ...(seriesName ? { series: seriesName } : {}), developments: 'x', tally: { since: '2024-03-01' }, incidents: spec.incidents }),
      file,
    );
  const toFile = (incidents: Incident[], file: string) => parseIncidentFile(stringify({ series: 's', incidents }), file);
  const countFor = (target: ParsedBrief, collection: Collection) => {
    const t = target as ParsedBrief & { brief: Brief };
    const { allRecords, diagnostics } = gatherIncidents(t, collection);
    return { tally: computeTally({ since: '2024-03-01', until: t.brief.date }, allRecords()), diagnostics: diagnostics.map((d) => d.message) };
  };

  it('rebuilding a brief dated before a revision never changes its numbers', () => {
    fc.assert(
      fc.property(series, fc.nat(3), listing, fc.integer({ min: 1, max: 4 }), fc.nat(3), fc.boolean(), fc.boolean(), (specs, pick, revised, after, gap, inFile, sameSeries) => {
        const briefs = specs.map((spec, i) => toBrief(spec, `briefs/b${i}.yaml`));
        const target = briefs[pick % briefs.length] as ParsedBrief;
        const targetDay = (specs[pick % specs.length] as { day: number }).day;
        // The new facts became known after the target was published (and, as always, on or after the incident).
        const revisedOn = dayOf(targetDay + after);
        const revision = { ...revised, date: revised.date <= revisedOn ? revised.date : revisedOn, revised: revisedOn };
        const without: Collection = { briefs, incidentFiles: [] };
        const withRevision: Collection = inFile
          ? { briefs, incidentFiles: [toFile([revision], 'incidents/revisions.yaml')] }
          : { briefs: [...briefs, toBrief({ day: targetDay + after + gap, incidents: [revision] }, 'briefs/z-later.yaml', sameSeries ? 's' : null)], incidentFiles: [] };
        expect(countFor(target, withRevision)).toEqual(countFor(target, without));
      }),
      seeded,
    );
  });

  it('permuting the order of briefs, incident files and listings never changes a tally', () => {
    fc.assert(
      fc.property(series, fc.uniqueArray(listing, { selector: (i) => i.id, maxLength: 3 }), fc.nat(3), fc.nat(), (specs, filed, pick, seed) => {
        const files = [toFile(filed, 'incidents/a.yaml'), toFile([], 'incidents/b.yaml')];
        const briefs = specs.map((spec, i) => toBrief(spec, `briefs/b${i}.yaml`));
        const index = pick % briefs.length;
        // The same briefs with their incidents listed in another order, handed over in another order.
        const shuffle = <T>(list: readonly T[], salt: number) =>
          list.map((item, i) => ({ item, key: ((i + 1) * 2654435761 + seed + salt) % 1000003 })).sort((a, b) => a.key - b.key).map((x) => x.item);
        const reordered = specs.map((spec, i) => toBrief({ ...spec, incidents: shuffle(spec.incidents, i) }, `briefs/b${i}.yaml`));
        const a = countFor(briefs[index] as ParsedBrief, { briefs, incidentFiles: files });
        const b = countFor(reordered[index] as ParsedBrief, { briefs: shuffle(reordered, 7), incidentFiles: shuffle(files, 11) });
        expect(b.tally).toEqual(a.tally);
        // The same conflicts (a message names a position, which moves with the listing).
        const unplaced = (messages: string[]) => new Set(messages.map((m) => m.replace(/:\d+:\d+/g, '')));
        expect(unplaced(b.diagnostics)).toEqual(unplaced(a.diagnostics));
      }),
      seeded,
    );
  });

  it('marking revised the listings of a brief that no other listing of the folder has never changes its tally', () => {
    fc.assert(
      fc.property(series, fc.nat(3), fc.nat(10), (specs, pick, late) => {
        const index = pick % specs.length;
        const target = specs[index] as { day: number; incidents: Incident[] };
        const elsewhere = new Set<string>(specs.flatMap((spec, i) => (i === index ? [] : spec.incidents.map((x) => x.id))));
        // revised: on or after the incident, on or before the brief (else it is an error of its own).
        const marked = target.incidents.map((x) => {
          const day = Number(x.date.slice(8));
          return (x.id !== undefined && elsewhere.has(x.id)) || day > target.day ? x : { ...x, revised: dayOf(Math.min(day + late, target.day)) };
        });
        const before = specs.map((spec, i) => toBrief(spec, `briefs/b${i}.yaml`));
        const after = specs.map((spec, i) => toBrief(i === index ? { ...spec, incidents: marked } : spec, `briefs/b${i}.yaml`));
        const a = countFor(before[index] as ParsedBrief, { briefs: before, incidentFiles: [] });
        const b = countFor(after[index] as ParsedBrief, { briefs: after, incidentFiles: [] });
        expect(b.tally).toEqual(a.tally);
        // Each such mark is warned: there is nothing it revises.
        expect(b.diagnostics.filter((m) => m.startsWith('revised, but no earlier listing'))).toHaveLength(marked.filter((x) => x.revised !== undefined).length);
      }),
      seeded,
    );
  });

  it('empty weapons, summary or sources on one of two otherwise equal listings never make a conflict', () => {
    const empties = fc.record({ weapons: fc.constant([]), summary: fc.constantFrom('', '  '), sources: fc.constant([]) }, { requiredKeys: [] });
    fc.assert(
      fc.property(listing, empties, fc.boolean(), fc.boolean(), (inc, extra, emptyFirst, inFile) => {
        const bare = inc.weapons?.length === 0 ? { ...inc, weapons: undefined } : inc;
        const padded = { ...bare, ...(bare.weapons === undefined ? extra : { ...extra, weapons: bare.weapons }) } as Incident;
        const [first, second] = emptyFirst ? [padded, bare] : [bare, padded];
        const laterBrief = toBrief({ day: 25, incidents: [JSON.parse(JSON.stringify(second)) as Incident] }, 'briefs/later.yaml', null);
        const collection: Collection = inFile
          ? { briefs: [laterBrief], incidentFiles: [toFile([JSON.parse(JSON.stringify(first)) as Incident], 'incidents/first.yaml')] }
          : { briefs: [toBrief({ day: 21, incidents: [JSON.parse(JSON.stringify(first)) as Incident] }, 'briefs/first.yaml', null), laterBrief], incidentFiles: [] };
        expect(countFor(laterBrief, collection).diagnostics).toEqual([]);
      }),
      seeded,
    );
  });

  it('two listings of one id with the same revised date (or none) and different facts are always an error naming both', () => {
    fc.assert(
      fc.property(listing, fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }), fc.integer({ min: 10, max: 20 }), fc.nat(5), fc.boolean(), (inc, revisedDay, day, later, inFile) => {
        const revisedOn = revisedDay === undefined ? undefined : dayOf(revisedDay);
        const first = revisedOn === undefined ? inc : { ...inc, date: inc.date <= revisedOn ? inc.date : revisedOn, revised: revisedOn };
        const changed = { ...first, injured: (first.injured ?? 0) + 1 };
        const laterBrief = toBrief({ day: day + later, incidents: [changed] }, 'briefs/later.yaml', null);
        const collection: Collection = inFile
          ? { briefs: [laterBrief], incidentFiles: [toFile([first], 'incidents/first.yaml')] }
          : { briefs: [toBrief({ day, incidents: [first] }, 'briefs/first.yaml', null), laterBrief], incidentFiles: [] };
        // A revision with no unrevised listing before it is also warned about (it revises nothing); the error is one.
        const diagnostics = gatherIncidents(laterBrief as ParsedBrief & { brief: Brief }, collection).diagnostics.filter((d) => d.severity === 'error');
        expect(diagnostics).toHaveLength(1);
        expect(diagnostics[0]).toMatchObject({ file: 'briefs/later.yaml', severity: 'error' });
        expect(diagnostics[0]?.message).toContain(`incident "${inc.id}"`);
        expect(diagnostics[0]?.message).toContain(inFile ? 'incidents/first.yaml:' : 'briefs/first.yaml:');
      }),
      seeded,
    );
  });
});
