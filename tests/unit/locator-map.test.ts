import { describe, expect, it } from 'vitest';
import { locatorMap, type MapPoint } from '../../src/figures/locator-map.js';

/*
 * The locator map's labels, read back from its SVG: each place is a group of its dot, its
 * plate and name, and a leader line when the name had to move away from the dot.
 */

interface Place {
  name: string;
  dot: { x: number; y: number; r: number };
  plate?: { x0: number; y0: number; x1: number; y1: number };
  leader?: { x1: number; y1: number; x2: number; y2: number };
}

const num = (tag: string, name: string) => Number(new RegExp(`\\s${name}="([-\\d.]+)"`).exec(tag)?.[1]);
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

function places(svg: string): Place[] {
  return [...svg.matchAll(/<g class="map__place">(.*?)<\/g>/g)].map(([, inner]) => {
    const circle = /<circle[^>]*>/.exec(inner as string)?.[0] ?? '';
    const rect = /<rect[^>]*class="map__plate"[^>]*>/.exec(inner as string)?.[0];
    const line = /<line[^>]*>/.exec(inner as string)?.[0];
    const text = /<text[^>]*>(.*?)<\/text>/.exec(inner as string)?.[1];
    return {
      name: unescape(text ?? ''),
      dot: { x: num(circle, 'cx'), y: num(circle, 'cy'), r: num(circle, 'r') },
      plate: rect === undefined ? undefined : { x0: num(rect, 'x'), y0: num(rect, 'y'), x1: num(rect, 'x') + num(rect, 'width'), y1: num(rect, 'y') + num(rect, 'height') },
      leader: line === undefined ? undefined : { x1: num(line, 'x1'), y1: num(line, 'y1'), x2: num(line, 'x2'), y2: num(line, 'y2') },
    };
  });
}

/** How far a point is from a box's nearest edge (0 inside). */
const gap = (b: NonNullable<Place['plate']>, x: number, y: number) => Math.hypot(Math.max(b.x0 - x, 0, x - b.x1), Math.max(b.y0 - y, 0, y - b.y1));
const overlap = (a: NonNullable<Place['plate']>, b: NonNullable<Place['plate']>) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Every label is beside its dot (within 12 units of its edge), or joined to it by a leader line from the dot's edge to the plate. */
function expectEachLabelFindsItsDot(labelled: Place[]): void {
  for (const { name, dot, plate, leader } of labelled) {
    if (!plate) throw new Error(`${name} has no plate`);
    const distance = gap(plate, dot.x, dot.y) - dot.r;
    if (!leader) {
      expect(distance, `${name} is beside its dot`).toBeLessThanOrEqual(12);
      continue;
    }
    expect(Math.abs(Math.hypot(leader.x1 - dot.x, leader.y1 - dot.y) - dot.r), `${name}'s leader starts at its dot`).toBeLessThan(0.2);
    expect(gap(plate, leader.x2, leader.y2), `${name}'s leader ends at its plate`).toBeLessThan(0.2);
  }
}

function expectNoCollisions(all: Place[]): void {
  const labelled = all.filter((p) => p.plate);
  labelled.forEach((a, i) => {
    for (const b of labelled.slice(i + 1)) expect(overlap(a.plate!, b.plate!), `${a.name} and ${b.name} overlap`).toBe(false);
    for (const o of all) expect(gap(a.plate!, o.dot.x, o.dot.y), `${a.name} covers the dot of ${o.name}`).toBeGreaterThan(o.dot.r);
  });
}

const point = (name: string, lat: number, lon: number, count = 1): MapPoint => ({ name, lat, lon, count });

describe('locator map labels', () => {
  // Five places within 30 km of each other around Baghdad, and one base 1,450 km away.
  const cluster = [
    point('Camp Taji', 33.52, 44.26, 2),
    point('Union III', 33.31, 44.41),
    point('Baghdad Green Zone', 33.3, 44.38, 3),
    point('Victory Base Complex', 33.29, 44.26),
    point('Baghdad Diplomatic Support Center', 33.26, 44.23),
  ];
  const far = point('Al Dhafra Air Base', 24.25, 54.55);

  it('gives a cluster its own frame when one far incident would shrink it to a dot, and shows the far one in a second frame', () => {
    const map = locatorMap([...cluster, far], ['Iraq', 'United Arab Emirates']);
    const svg = map?.svg ?? '';
    expect(svg).toContain('<g class="map__inset">');
    expect(svg).toContain('class="map__outline"');
    expect(map?.caption).toContain('the smaller one shows every location');
    const all = places(svg);
    const labelled = all.filter((p) => p.plate);
    expect(labelled.map((p) => p.name).sort()).toEqual(
      ['Al Dhafra Air Base', 'Baghdad Diplomatic Support Center', 'Baghdad Green Zone (3)', 'Camp Taji (2)', 'Union III', 'Victory Base Complex'].sort(),
    );
    // The cluster spreads over its frame instead of sitting in one spot.
    const dots = labelled.filter((p) => p.name !== far.name).map((p) => p.dot);
    expect(Math.max(...dots.map((d) => d.y)) - Math.min(...dots.map((d) => d.y))).toBeGreaterThan(60);
    // The cluster's names stay in the larger frame, the far one's in the smaller one.
    for (const p of labelled) {
      if (p.name === far.name) expect(p.plate!.x0).toBeGreaterThanOrEqual(432);
      else expect(p.plate!.x1).toBeLessThanOrEqual(424);
    }
    expectEachLabelFindsItsDot(labelled);
    expectNoCollisions(all.filter((p) => p.dot.x < 424));
    // The country the incidents are in is named, though its middle is off the cluster's frame.
    expect(svg).toContain('class="map__country-label">IRAQ</text>');
  });

  it('keeps one frame when the places are spread over a region', () => {
    const svg = locatorMap([point('al-Tanf garrison', 33.5, 38.63, 2), point('al-Asad Air Base', 33.79, 42.44, 4), point('Erbil Air Base', 36.24, 43.96)], ['Iraq', 'Syria'])?.svg ?? '';
    expect(svg).not.toContain('map__inset');
    expectEachLabelFindsItsDot(places(svg));
  });

  it('moves labels that would overlap, with leader lines back to their dots', () => {
    const crowded = [
      point('al-Harir Air Base', 36.54, 44.35, 2),
      point('Erbil Air Base', 36.24, 43.96, 3),
      point('Ain Kawa', 36.25, 44.0),
      point('Erbil International Airport Terminal', 36.23, 43.97),
      point('Camp Erbil Coalition Headquarters', 36.19, 44.01),
      point('Kirkuk K-1', 35.5, 44.3),
    ];
    const all = places(locatorMap(crowded, ['Iraq'])?.svg ?? '');
    expect(all.filter((p) => p.plate)).toHaveLength(6);
    expect(all.some((p) => p.leader)).toBe(true);
    expectEachLabelFindsItsDot(all);
    expectNoCollisions(all);
    for (const { plate } of all) expect(plate!.x0 >= 0 && plate!.x1 <= 640 && plate!.y0 >= 0 && plate!.y1 <= 300).toBe(true);
  });

  it('makes each plate as wide as its text: narrow letters a narrow plate, wide letters a wide one', () => {
    const [narrow, wide] = ['Jilil fil Illi tiji', 'MWM Mawm WOMM Owmm'];
    const all = places(locatorMap([point(narrow, 33.5, 38.6), point(wide, 35.5, 42.6)], ['Syria'])?.svg ?? '');
    const width = (name: string) => {
      const p = all.find((q) => q.name === name)?.plate;
      return p ? p.x1 - p.x0 : NaN;
    };
    // At 12 units, these letters average about 0.35 em and 0.7 em.
    expect(width(narrow)).toBeLessThan(narrow.length * 0.42 * 12 + 4);
    expect(width(wide)).toBeGreaterThan(wide.length * 0.62 * 12);
  });

  it('names the main country even when it is too small to hold its name', () => {
    const svg = locatorMap([point('Naval Support Activity Bahrain', 26.21, 50.61)], ['Bahrain'])?.svg ?? '';
    expect(svg).toContain('class="map__country-label">BAHRAIN</text>');
  });
});
