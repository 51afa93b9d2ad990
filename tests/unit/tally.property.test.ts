import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gatherIncidents, type ParsedBrief } from '../../src/collection.js';
import type { Brief, Incident } from '../../src/schema.js';
import { computeTally, type TalliedIncident } from '../../src/tally.js';
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
        const { records: gathered, diagnostics } = gatherIncidents(target, { briefs, incidentFiles: [] });
        expect(diagnostics).toEqual([]);
        const t = computeTally({ since: '2024-03-01', until: target.brief.date }, gathered);
        expect(t.total).toBe(1);
        expect(t.new).toBe(copies === 1 ? 1 : 0);
      }),
      { numRuns: runs },
    );
  });
});
