import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timelineChart } from '../../src/figures/timeline.js';
import { locatorMap, mapPoints } from '../../src/figures/locator-map.js';
import { findPlace } from '../../src/core/places.js';
import type { Incident } from '../../src/core/schema.js';

const rec = (incident: Incident) => ({ incident, listedHere: true, listedBefore: false });
const at = (date: string, type?: string) => rec({ date, location: 'Base', country: 'Iraq', weapons: type ? [{ type }] : [] });

describe('timelineChart', () => {
  it('draws nothing for a single incident: one incident is a sentence, not a chart', () => {
    expect(timelineChart({ since: '2024-03-01', until: '2024-03-10' }, [at('2024-03-02', 'drone')])).toBeUndefined();
    expect(timelineChart({ since: null, until: '2024-03-10' }, [])).toBeUndefined();
  });

  it('stacks a bar per day by weapon type and says the same in words', () => {
    const figure = timelineChart({ since: '2024-03-01', until: '2024-03-04' }, [
      at('2024-03-01', 'drone'),
      at('2024-03-01', 'rocket'),
      at('2024-03-03', 'drone'),
      at('2024-03-03'),
      at('2024-03-09', 'drone'),
    ]);
    expect(figure?.caption).toBe(
      'Incidents per day, Mar 1 – Mar 4, 2024, by weapon type. Mar 1: 2 (drone, rocket); Mar 3: 2 (drone, not reported).',
    );
    expect(figure?.svg.match(/<rect x=/g)?.length).toBe(4 + 3); // four segments, three legend keys
    expect(figure?.svg).toContain('<desc id="fb-chart-desc">Incidents per day');
    expect(figure?.svg).not.toMatch(/<script|on\w+=/);
  });
});

describe('locatorMap', () => {
  const places = [{ name: 'al-Tanf garrison', country: 'Syria', lat: 33.5, lon: 38.63, aliases: ['Tanf'] }];

  it('finds places by name or alias, ignoring case', () => {
    expect(findPlace('TANF', places)?.name).toBe('al-Tanf garrison');
    expect(findPlace('Nowhere', places)).toBeUndefined();
  });

  it('places incidents from their own coordinates or places.yaml, and leaves out the rest', () => {
    const points = mapPoints(
      [
        { date: '2024-03-01', location: 'al-Tanf garrison', country: 'Syria' },
        { date: '2024-03-02', location: 'Tanf', country: 'Syria' },
        { date: '2024-03-02', location: 'Camp X', country: 'Iraq', lat: 33.8, lon: 42.4 },
        { date: '2024-03-03', location: 'Unknown', country: 'Iraq' },
      ],
      places,
    );
    expect(points.map((p) => [p.name, p.count])).toEqual([['Camp X', 1], ['al-Tanf garrison', 1], ['Tanf', 1]]);
  });

  it('draws borders and labels from Natural Earth around the points', () => {
    const map = locatorMap([{ name: 'al-Tanf <garrison>', lat: 33.5, lon: 38.63, count: 2 }], ['Syria']);
    expect(map?.svg).toContain('class="map__country map__country--active"');
    expect(map?.svg).toContain('>SYRIA</text>');
    expect(map?.svg).toContain('al-Tanf &lt;garrison&gt; (2)');
    expect(map?.caption).toBe('Incident locations: al-Tanf <garrison> (2). Borders: Natural Earth.');
    expect(locatorMap([], [])).toBeUndefined();
  });
});

describe('the timeline date labels', () => {
  const day = (start: string, plus: number) => new Date(Date.parse(start) + plus * 86_400_000).toISOString().slice(0, 10);

  it('stay inside the chart and apart, for windows of any length and any start', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 900 }), fc.array(fc.nat(), { minLength: 2, maxLength: 12 }), (offset, length, picks) => {
        const since = day('2019-01-01', offset);
        const until = day(since, length);
        const figure = timelineChart({ since, until }, picks.map((p) => at(day(since, p % (length + 1)), 'drone')));
        // Date labels sit on one line under the bars (y 170); the count axis's numbers sit left of them.
        const spans = [...(figure?.svg ?? '').matchAll(/<text x="([\d.]+)" y="170" text-anchor="(\w+)" class="chart__tick">([^<]*)<\/text>/g)].map(([, x, anchor, label]) => {
          // 5.5 units a character: what Source Sans 3 at 11px needs for a date label, about.
          const w = (label as string).length * 5.5;
          const left = anchor === 'middle' ? Number(x) - w / 2 : anchor === 'end' ? Number(x) - w : Number(x);
          return { left, right: left + w, label };
        });
        expect(spans.length).toBeGreaterThan(0);
        for (const s of spans) {
          expect(s.left, s.label).toBeGreaterThanOrEqual(0);
          expect(s.right, s.label).toBeLessThanOrEqual(640);
        }
        for (let i = 1; i < spans.length; i++) expect((spans[i] as { left: number }).left, 'labels touch').toBeGreaterThan((spans[i - 1] as { right: number }).right);
      }),
      { numRuns: 150 },
    );
  });
});

describe('the timeline legend', () => {
  it('wraps many long weapon types onto more rows inside the width, and grows the chart to hold them', () => {
    const types = ['unmanned surface vessel with explosive charge', 'one-way attack drone', 'short-range ballistic missile', 'rocket-propelled grenade', 'improvised explosive device', 'anti-tank guided missile'];
    const figure = timelineChart({ since: '2024-03-01', until: '2024-03-06' }, types.map((t, i) => at(`2024-03-0${i + 1}`, t)));
    const svg = figure?.svg ?? '';
    const height = Number(/viewBox="0 0 640 (\d+)"/.exec(svg)?.[1]);
    expect(height).toBeGreaterThan(200);
    const labels = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)" class="chart__legend">([^<]*)<\/text>/g)];
    expect(labels.map((m) => m[3])).toHaveLength(types.length + 0);
    for (const [, x, y, name] of labels) {
      // The same width estimate as the legend's: 6.2 units a character.
      expect(Number(x) + (name ?? '').length * 6.2, name).toBeLessThanOrEqual(640 - 12);
      expect(Number(y)).toBeLessThanOrEqual(height);
    }
  });

  it('keeps one row and the usual height when the names fit', () => {
    const svg = timelineChart({ since: '2024-03-01', until: '2024-03-04' }, [at('2024-03-01', 'drone'), at('2024-03-03', 'rocket')])?.svg ?? '';
    expect(svg).toContain('viewBox="0 0 640 200"');
  });
});
