import { describe, expect, it } from 'vitest';
import { formatShortDateWithYear, shortDateFormatFor, spansYears, weaponCount, weaponPlural } from '../../src/core/format.js';
import { renderMarkdown } from '../../src/core/markdown.js';
import { timelineChart } from '../../src/figures/timeline.js';
import type { Incident } from '../../src/core/schema.js';

const rec = (incident: Incident) => ({ incident, listedHere: true, listedBefore: false });
const at = (date: string, type = 'drone') => rec({ date, location: 'Base', country: 'Iraq', weapons: [{ type }] });
/** The date labels under a chart's bars. */
const dateTicks = (svg: string) => [...svg.matchAll(/text-anchor="middle" class="chart__tick">([^<]*)</g)].map((m) => m[1] as string);

describe('dates across a new year', () => {
  it('reads short dates with their year only when the dates span two years', () => {
    expect(formatShortDateWithYear('2023-12-24')).toBe('Dec 24, 2023');
    expect(spansYears(['2023-12-20', '2024-01-10'])).toBe(true);
    expect(spansYears(['2024-01-02', '2024-12-31'])).toBe(false);
    expect(shortDateFormatFor(['2023-12-20', '2024-01-10'])('2024-01-02')).toBe('Jan 2, 2024');
    expect(shortDateFormatFor(['2024-01-02', '2024-03-10'])('2024-01-02')).toBe('Jan 2');
  });

  it('gives the year when the dates are all in a year other than the brief\'s', () => {
    // A brief of January 3, 2026 looking back at the last days of 2025.
    expect(shortDateFormatFor(['2025-12-28', '2025-12-31'], '2026-01-03')('2025-12-28')).toBe('Dec 28, 2025');
    expect(shortDateFormatFor(['2025-12-28', '2025-12-31'], '2025-12-31')('2025-12-28')).toBe('Dec 28');
    const figure = timelineChart({ since: '2025-12-28', until: '2025-12-31' }, [at('2025-12-28'), at('2025-12-30')], '2026-01-03');
    expect(dateTicks(figure?.svg ?? '')[0]).toBe('Dec 28, 2025');
    expect(figure?.caption).toContain('Dec 30, 2025: 1 (drone)');
    const sameYear = timelineChart({ since: '2025-12-28', until: '2025-12-31' }, [at('2025-12-28'), at('2025-12-30')], '2025-12-31');
    expect(dateTicks(sameYear?.svg ?? '')[0]).toBe('Dec 28');
  });

  it('names the year on the chart at its first tick and the first tick of the new year, and in its caption', () => {
    const figure = timelineChart({ since: '2023-12-20', until: '2024-01-10' }, [at('2023-12-24'), at('2023-12-31', 'rocket'), at('2024-01-02'), at('2024-01-08')]);
    const labels = dateTicks(figure?.svg ?? '');
    expect(labels[0]).toBe('Dec 20, 2023');
    // Whichever day carries the first tick of January, it says the month and the year.
    const firstOfNewYear = labels.find((l) => /Jan/.test(l));
    expect(firstOfNewYear).toMatch(/^Jan \d+, 2024$/);
    // Every other tick is a bare day number: no tick says a month without its year.
    expect(labels.filter((l) => !/^\d+$/.test(l))).toEqual(['Dec 20, 2023', firstOfNewYear]);
    expect(figure?.caption).toContain('December 20, 2023 – January 10, 2024');
    expect(figure?.caption).toContain('Dec 24, 2023: 1 (drone)');
    expect(figure?.caption).toContain('Jan 8, 2024: 1 (drone)');
  });

  it('names a new month even when its first day has no tick, and no year within one year', () => {
    // 39 days: a tick every fourth day from February 11, so March 1 itself has none.
    const figure = timelineChart({ since: '2024-02-11', until: '2024-03-20' }, [at('2024-02-12'), at('2024-03-05')]);
    const labels = dateTicks(figure?.svg ?? '');
    expect(labels[0]).toBe('Feb 11');
    expect(labels.some((l) => /^Mar \d+$/.test(l))).toBe(true);
    expect(labels.join(' ')).not.toMatch(/20\d\d/);
  });

  it('spaces the ticks across a new year so a label with its year never meets its neighbour', () => {
    // 12 days would label every day; "Dec 26, 2023" is wider than one day's band.
    const figure = timelineChart({ since: '2023-12-26', until: '2024-01-06' }, [at('2023-12-26'), at('2024-01-06')]);
    const xs = [...(figure?.svg ?? '').matchAll(/<text x="([\d.]+)"[^>]*text-anchor="middle" class="chart__tick">/g)].map((m) => Number(m[1]));
    const gaps = xs.slice(1).map((x, i) => x - (xs[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(66);
  });
});

describe('weapon counts in the record', () => {
  it('use English plurals, not a bare "s", and write a kind of fire with its count after it', () => {
    expect(weaponCount('drone', 1)).toBe('1 drone');
    expect(weaponCount('drone', 2)).toBe('2 drones');
    expect(weaponCount('knife', 3)).toBe('3 knives');
    expect(weaponCount('bus', 2)).toBe('2 buses');
    expect(weaponCount('one-way-attack-drone', 1234)).toBe('1,234 one-way-attack-drones');
    expect(weaponCount('artillery', 15)).toBe('artillery (15)');
    expect(weaponCount('gunfire', 2)).toBe('gunfire (2)');
    expect(weaponCount('shelling', 4)).toBe('shelling (4)');
    expect(weaponCount('mortar-fire', 4)).toBe('mortar-fire (4)');
    expect(weaponCount('drone', undefined)).toBe('drones (number unknown)');
    expect(weaponCount('artillery', undefined)).toBe('artillery (number unknown)');
    expect(weaponCount('ied', 11)).toBe('11 IEDs');
    expect(weaponCount('ied', 1)).toBe('1 IED');
    expect(weaponCount('manpads', 2)).toBe('2 MANPADS');
    expect(weaponCount('uav', undefined)).toBe('UAVs (number unknown)');
    expect(weaponPlural('knife')).toBe('knives');
    expect(weaponPlural('ammunition')).toBe('ammunition');
  });
});

describe('tables in Markdown', () => {
  const html = renderMarkdown(
    [
      '| Date | Base | Launched | Injured | Note |',
      '|---|---|---|---|---|',
      '| Jan 1 | Base 0 | 12 | 1,204 | Rockets struck the fence |',
      '| Jan 2 | Base 1 | 3+ | — | 45% of them |',
    ].join('\n'),
  );

  it('aligns a column of figures to the end, and only such a column', () => {
    expect(html).toContain('<th scope="col" class="num"><bdi>Launched</bdi></th>');
    expect(html).toContain('<td class="num"><bdi>1,204</bdi></td>');
    expect(html).toContain('<td class="num"><bdi>—</bdi></td>');
    expect(html).toContain('<th scope="col" class="short"><bdi>Date</bdi></th>');
    expect(html).toContain('<td><bdi>45% of them</bdi></td>');
  });

  it('keeps each entry of a column of short entries on one line, and lets long text wrap', () => {
    expect(html).toContain('<td class="short"><bdi>Jan 2</bdi></td>');
    expect(html).toContain('<td class="short"><bdi>Base 1</bdi></td>');
    expect(html).toContain('<td><bdi>Rockets struck the fence</bdi></td>');
    // Figures are kept whole by their own rule.
    expect(html).not.toMatch(/class="num short"/);
  });

  it('keeps the header row in <thead> so print can repeat it, and writes no obsolete align attribute', () => {
    expect(html).toMatch(/<div class="table-scroll" role="region" tabindex="0" aria-label="Table: [^"]+">\n<table>\n<thead>\n<tr><th/);
    expect(html).toContain('</thead>\n<tbody>');
    const aligned = renderMarkdown('| a | b | c |\n|:--|:-:|--:|\n| 1 | x | y |');
    expect(aligned).not.toContain('align=');
    // The writer's alignment wins over the figure rule.
    expect(aligned).toContain('<td><bdi>1</bdi></td>');
    expect(aligned).toContain('<td class="center short"><bdi>x</bdi></td>');
    expect(aligned).toContain('<td class="end short"><bdi>y</bdi></td>');
  });

  it('still escapes what the cells hold', () => {
    expect(renderMarkdown('| a |\n|---|\n| <img src=x onerror=alert(1)> |')).toContain('&lt;img');
  });
});
