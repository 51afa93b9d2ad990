import { describe, expect, it } from 'vitest';
import { tallyTable } from '../../src/cli/report.js';
import { computeTally, type TalliedIncident } from '../../src/core/tally.js';

describe('brief tally headline', () => {
  it('says "1 day: 1 incident" in the singular and "2 days: 2 incidents" in the plural', () => {
    const record = (date: string): TalliedIncident => ({ incident: { date, location: 'Baghdad', country: 'Iraq' }, listedHere: true, listedBefore: false });
    const one = computeTally({ since: '2024-01-10', until: '2024-01-10' }, [record('2024-01-10')]);
    expect(tallyTable(one, []).split('\n')[0]).toBe('January 10, 2024 (1 day): 1 incident, 1 new, 0 killed, 0 injured, 0 claimed');
    const two = computeTally({ since: '2024-01-09', until: '2024-01-10' }, [record('2024-01-09'), record('2024-01-10')]);
    expect(tallyTable(two, []).split('\n')[0]).toMatch(/\(2 days\): 2 incidents, /);
  });
});
