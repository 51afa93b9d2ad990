import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateTimeProblem } from '../../src/core/format.js';
import { loadYaml } from '../../src/core/load.js';
import { validateBrief } from '../../src/core/validate.js';

/*
 * A date-time field (embargo, as_of) names a real moment or is refused at its position,
 * as a date is: 2999-02-30T00:00Z once went through as March 2, 2999. CI runs a fixed
 * number of cases from a fixed seed; FAST_CHECK_RUNS and FAST_CHECK_SEED explore more.
 */
const runs = Number(process.env.FAST_CHECK_RUNS ?? 300);
const seed = Number(process.env.FAST_CHECK_SEED ?? 20240613);

const check = (text: string) => {
  const { data, source } = loadYaml(text, 'b.yaml');
  return validateBrief(data, source).diagnostics.map((d) => [d.line, d.column, d.message]);
};
const BRIEF = 'title: T\ndate: 2024-01-11\ndevelopments: |\n  Text.\n';
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

describe('date-time fields', () => {
  it('refuse the impossible embargo that was shown as March 2, 2999, at its position, as date: refuses February 30', () => {
    expect(check(`${BRIEF}embargo: 2999-02-30T00:00Z\n`)).toEqual([[5, 10, 'embargo is not a real date and time: February 2999 has 28 days, not 30: write a day from 01 to 28']]);
    expect(check(`${BRIEF}as_of: 2024-06-01T24:00-04:00\n`)).toEqual([[5, 8, expect.stringContaining('as_of is not a real date and time: there is no hour 24') as string]]);
    expect(check(`${BRIEF}embargo: 2024-02-29T23:59:59+05:30\n`)).toEqual([]);
  });

  it('take a moment exactly when the calendar and the clock have it', () => {
    const moment = fc.record({
      year: fc.integer({ min: 1, max: 9999 }),
      month: fc.integer({ min: 0, max: 13 }),
      day: fc.integer({ min: 0, max: 32 }),
      hour: fc.integer({ min: 0, max: 25 }),
      minute: fc.integer({ min: 0, max: 61 }),
      second: fc.option(fc.integer({ min: 0, max: 61 }), { nil: undefined }),
      zone: fc.constantFrom('', 'Z', '+05:30', '-04:00', '+24:00', '-00:60'),
    });
    fc.assert(
      fc.property(moment, ({ year, month, day, hour, minute, second, zone }) => {
        const text = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}${second === undefined ? '' : `:${pad(second)}`}${zone}`;
        // The oracle: the UTC calendar gives the same fields back only for a real date.
        const utc = new Date(0);
        utc.setUTCFullYear(year, month - 1, day);
        const realDay = utc.getUTCFullYear() === year && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === day;
        const real = realDay && hour <= 23 && minute <= 59 && (second ?? 0) <= 59 && !['+24:00', '-00:60'].includes(zone);
        expect(dateTimeProblem(text) === undefined, text).toBe(real);
        const found = check(`${BRIEF}embargo: "${text}"\n`);
        expect(found.length === 0, text).toBe(real);
        if (!real) expect(found).toEqual([[5, 10, expect.stringMatching(/^embargo is not a real date and time: .+: write /) as string]]);
      }),
      { numRuns: runs, seed },
    );
  });
});
