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
