import { describe, expect, it } from 'vitest';
import { computeTally, tallyWindow, type TalliedIncident } from '../../src/core/tally.js';
import type { Incident } from '../../src/core/schema.js';

const own = (incident: Incident): TalliedIncident => ({ incident, listedHere: true, listedBefore: false });
const base = { location: 'Base A', country: 'Iraq' };

describe('tallyWindow', () => {
  it('defaults since to the earliest own incident and until to the brief date', () => {
    const brief = { title: 't', date: '2023-10-24', developments: '', incidents: [{ ...base, date: '2023-10-19' }, { ...base, date: '2023-10-17' }] };
    expect(tallyWindow(brief)).toEqual({ since: '2023-10-17', until: '2023-10-24' });
  });
  it('is empty (since null) for a brief with no incidents and no since', () => {
    expect(tallyWindow({ title: 't', date: '2023-10-24', developments: '' })).toEqual({ since: null, until: '2023-10-24' });
  });
  it('takes since and until from the brief when given', () => {
    const brief = { title: 't', date: '2023-10-24', developments: '', tally: { since: '2023-10-01', until: '2023-10-20' } };
    expect(tallyWindow(brief)).toEqual({ since: '2023-10-01', until: '2023-10-20' });
  });
});

describe('computeTally', () => {
  it('gives the contract shape with every key for an empty tally', () => {
    expect(computeTally({ since: null, until: '2023-10-24' }, [])).toEqual({
      since: null, until: '2023-10-24', days: 0, total: 0, new: 0, first: null, last: null,
      killed: 0, injured: 0, claimed: 0,
      byCountry: {}, byLocation: {}, byPerpetrator: {}, byWeapon: {}, perDay: {},
    });
  });

  it('counts only incidents inside the window, both ends inclusive', () => {
    const t = computeTally({ since: '2023-10-17', until: '2023-10-24' }, [
      own({ ...base, date: '2023-10-16' }),
      own({ ...base, date: '2023-10-17' }),
      own({ ...base, date: '2023-10-24' }),
      own({ ...base, date: '2023-10-25' }),
    ]);
    expect(t.total).toBe(2);
    expect(t.days).toBe(8);
    expect([t.first, t.last]).toEqual(['2023-10-17', '2023-10-24']);
    expect(t.perDay).toEqual({ '2023-10-17': 1, '2023-10-24': 1 });
  });

  it('computes munitions as "at least" when a listing has no count', () => {
    const t = computeTally({ since: '2023-10-17', until: '2023-10-24' }, [
      own({ ...base, date: '2023-10-17', weapons: [{ type: 'drone', count: 2 }] }),
      own({ ...base, date: '2023-10-18', weapons: [{ type: 'drone' }, { type: 'drone', count: 3 }, { type: 'rocket', count: 4 }] }),
    ]);
    expect(t.byWeapon).toEqual({
      drone: { incidents: 2, munitions: 6, exact: false },
      rocket: { incidents: 1, munitions: 4, exact: true },
    });
  });

  it('sums casualties (absent is 0), counts claims, and leaves out incidents without perpetrator', () => {
    const t = computeTally({ since: '2023-10-17', until: '2023-10-24' }, [
      own({ ...base, date: '2023-10-17', killed: 1, injured: 2, claimed: true, perpetrator: 'Group' }),
      own({ ...base, date: '2023-10-18', injured: 3, claimed: false }),
      own({ ...base, date: '2023-10-19', country: 'Syria', location: 'Base B' }),
    ]);
    expect([t.killed, t.injured, t.claimed]).toEqual([1, 5, 1]);
    expect(t.byPerpetrator).toEqual({ Group: 1 });
    expect(t.byCountry).toEqual({ Iraq: 2, Syria: 1 });
    expect(Object.keys(t.byLocation)).toEqual(['Base A', 'Base B']);
  });

  it('counts as new only what this brief lists and no earlier brief did', () => {
    const t = computeTally({ since: '2023-10-17', until: '2023-10-24' }, [
      { incident: { ...base, date: '2023-10-17' }, listedHere: true, listedBefore: true },
      { incident: { ...base, date: '2023-10-18' }, listedHere: false, listedBefore: true },
      { incident: { ...base, date: '2023-10-19' }, listedHere: true, listedBefore: false },
    ]);
    expect([t.total, t.new]).toEqual([3, 1]);
  });

  it('matches the contract example for the seed brief', () => {
    const drones = (count?: number) => [{ type: 'drone', ...(count === undefined ? {} : { count }) }];
    const t = computeTally({ since: '2023-10-17', until: '2023-10-24' }, [
      own({ date: '2023-10-17', location: 'al-Asad Air Base', country: 'Iraq', weapons: drones(2) }),
      own({ date: '2023-10-18', location: 'al-Harir Air Base', country: 'Iraq', weapons: drones(), claimed: true, perpetrator: 'Islamic Resistance in Iraq' }),
      own({ date: '2023-10-19', location: 'al-Tanf garrison', country: 'Syria', weapons: drones(), injured: 3 }),
      own({ date: '2023-10-19', location: 'Conoco gas field', country: 'Syria' }),
      own({ date: '2023-10-22', location: 'al-Asad Air Base', country: 'Iraq', weapons: [{ type: 'rocket' }] }),
      own({ date: '2023-10-23', location: 'al-Tanf garrison', country: 'Syria', weapons: drones(2), claimed: true, perpetrator: 'Islamic Resistance in Iraq' }),
    ]);
    expect(t).toMatchObject({
      since: '2023-10-17', until: '2023-10-24', days: 8, total: 6, new: 6, first: '2023-10-17', last: '2023-10-23',
      killed: 0, injured: 3, claimed: 2,
      byCountry: { Iraq: 3, Syria: 3 },
      byPerpetrator: { 'Islamic Resistance in Iraq': 2 },
      byWeapon: { drone: { incidents: 4, munitions: 6, exact: false }, rocket: { incidents: 1, munitions: 1, exact: false } },
    });
    expect(t.byLocation).toMatchObject({ 'al-Asad Air Base': 2, 'al-Tanf garrison': 2 });
  });
});


