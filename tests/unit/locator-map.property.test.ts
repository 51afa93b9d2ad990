import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEADER_MAX, labelWidth, locatorMap, type MapPoint } from '../../src/figures/locator-map.js';

/*
 * The locator map's labels over any set of places: many or few, spread over a region or
 * packed within a few kilometres, near the frame's edge or the base map's names. Read
 * back from the SVG, the plates (as wide as the code estimates their text) never overlap
 * each other, a country name, a dot or the frame's edge; each stays near its dot; leader
 * lines cross nothing; and a place the map could not name is listed in the caption.
 */

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
type Line = [number, number, number, number];

interface Drawn {
  text?: string;
  kind?: 'name' | 'number';
  dot: { x: number; y: number; r: number };
  plate?: Rect;
  leader?: Line;
}

const num = (tag: string, name: string) => Number(new RegExp(`\\s${name}="([-\\d.]+)"`).exec(tag)?.[1]);
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

function drawn(svg: string): Drawn[] {
  return [...svg.matchAll(/<g class="map__place">(.*?)<\/g>/g)].map(([, group]) => {
    const inner = group as string;
    const circle = /<circle[^>]*>/.exec(inner)?.[0] ?? '';
    const rect = /<rect[^>]*class="map__plate[^"]*"[^>]*>/.exec(inner)?.[0];
    const line = /<line[^>]*>/.exec(inner)?.[0];
    const text = /<text[^>]*class="(map__label|map__number)"[^>]*>(.*?)<\/text>/.exec(inner);
    return {
      text: text ? unescape(text[2] as string) : undefined,
      kind: text ? (text[1] === 'map__label' ? 'name' : 'number') : undefined,
      dot: { x: num(circle, 'cx'), y: num(circle, 'cy'), r: num(circle, 'r') },
      plate: rect === undefined ? undefined : { x0: num(rect, 'x'), y0: num(rect, 'y'), x1: num(rect, 'x') + num(rect, 'width'), y1: num(rect, 'y') + num(rect, 'height') },
      leader: line === undefined ? undefined : [num(line, 'x1'), num(line, 'y1'), num(line, 'x2'), num(line, 'y2')],
    };
  });
}

/** The base map's own names, boxed as the map's code estimates them (12-unit capitals, tracked 0.12 em, centred). */
function countryNames(svg: string): Rect[] {
  return [...svg.matchAll(/<text x="([-\d.]+)" y="([-\d.]+)" text-anchor="middle" class="map__country-label">(.*?)<\/text>/g)].map(([, x, y, text]) => {
    const w = labelWidth(unescape(text as string), 12, 0.12);
    return { x0: Number(x) - w / 2, y0: Number(y) - 10, x1: Number(x) + w / 2, y1: Number(y) + 3 };
  });
}

const overlap = (a: Rect, b: Rect) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
const gap = (b: Rect, x: number, y: number) => Math.hypot(Math.max(b.x0 - x, 0, x - b.x1), Math.max(b.y0 - y, 0, y - b.y1));
const cross = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number) => (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
/** Whether two segments properly cross or touch (written apart from the map's own test, on purpose). */
function linesMeet([ax, ay, bx, by]: Line, [cx, cy, dx, dy]: Line): boolean {
  const [d1, d2] = [cross(cx, cy, dx, dy, ax, ay), cross(cx, cy, dx, dy, bx, by)];
  const [d3, d4] = [cross(ax, ay, bx, by, cx, cy), cross(ax, ay, bx, by, dx, dy)];
  if (d1 === 0 && d2 === 0) {
    // On one line: they meet where their extents overlap, across and down.
    const apart = (p: number, q: number, r: number, s: number) => Math.max(p, q) < Math.min(r, s) || Math.max(r, s) < Math.min(p, q);
    return !apart(ax, bx, cx, dx) && !apart(ay, by, cy, dy);
  }
  return d1 * d2 <= 0 && d3 * d4 <= 0;
}
/** Whether a segment passes through a rectangle's inside (sampled finely: plates are 11 units or more). */
function lineInRect([ax, ay, bx, by]: Line, r: Rect): boolean {
  for (let i = 0; i <= 200; i++) {
    const [x, y] = [ax + ((bx - ax) * i) / 200, ay + ((by - ay) * i) / 200];
    if (x > r.x0 + 0.2 && x < r.x1 - 0.2 && y > r.y0 + 0.2 && y < r.y1 - 0.2) return true;
  }
  return false;
}

/** Everything the map promises about its labels, checked on one map of `points`. */
function expectLegible(points: readonly MapPoint[], highlight: string[]): void {
  const map = locatorMap(points, highlight);
  if (!map) throw new Error('no map');
  const all = drawn(map.svg);
  const plates = all.filter((p): p is Drawn & { plate: Rect } => p.plate !== undefined);
  const names = countryNames(map.svg);
  const split = map.svg.includes('map__inset');
  const frames: Rect[] = split
    ? [
        { x0: 0, y0: 0, x1: 424, y1: 300 },
        { x0: 432, y0: 0, x1: 640, y1: 300 },
      ]
    : [{ x0: 0, y0: 0, x1: 640, y1: 300 }];
  const outline = /<rect x="([-\d.]+)" y="([-\d.]+)" width="([-\d.]+)" height="([-\d.]+)" class="map__outline"\/>/.exec(map.svg);
  const outlined = outline ? [{ x0: Number(outline[1]), y0: Number(outline[2]), x1: Number(outline[1]) + Number(outline[3]), y1: Number(outline[2]) + Number(outline[4]) }] : [];
  plates.forEach((a, i) => {
    const where = `${a.text} at ${JSON.stringify(a.plate)}`;
    expect(frames.some((f) => a.plate.x0 >= f.x0 && a.plate.x1 <= f.x1 && a.plate.y0 >= f.y0 && a.plate.y1 <= f.y1), `${where} is inside a frame`).toBe(true);
    for (const b of plates.slice(i + 1)) expect(overlap(a.plate, b.plate), `${where} overlaps ${b.text}`).toBe(false);
    for (const n of [...names, ...outlined]) expect(overlap(a.plate, n), `${where} overlaps a country name or the outline`).toBe(false);
    for (const o of all) expect(gap(a.plate, o.dot.x, o.dot.y), `${where} covers a dot`).toBeGreaterThan(o.dot.r);
    const distance = gap(a.plate, a.dot.x, a.dot.y) - a.dot.r;
    expect(distance, `${where} is near its dot`).toBeLessThanOrEqual(a.leader ? LEADER_MAX + 0.2 : 6.2);
    if (a.leader) {
      const [x1, y1, x2, y2] = a.leader;
      expect(Math.abs(Math.hypot(x1 - a.dot.x, y1 - a.dot.y) - a.dot.r), `${where}: its leader starts at its dot`).toBeLessThan(0.2);
      expect(gap(a.plate, x2, y2), `${where}: its leader ends at its plate`).toBeLessThan(0.2);
      for (const b of plates) {
        if (b !== a) expect(lineInRect(a.leader, b.plate), `${where}: its leader crosses ${b.text}`).toBe(false);
        if (b !== a && b.leader) expect(linesMeet(a.leader, b.leader), `${where}: its leader crosses ${b.text}'s`).toBe(false);
      }
      for (const n of names) expect(lineInRect(a.leader, n), `${where}: its leader crosses a country name`).toBe(false);
    }
  });
  // Each place is named on the map, or numbered there with the caption saying which is which, or listed as not named.
  for (const p of points) {
    const label = p.count > 1 ? `${p.name} (${p.count})` : p.name;
    const named = plates.some((q) => q.kind === 'name' && q.text === label);
    const number = /Numbered on the map for want of room: ([^.]*)\./.exec(map.caption)?.[1]?.split(', ').find((entry) => entry.replace(/^\d+ /, '') === p.name);
    const numbered = number !== undefined && plates.some((q) => q.kind === 'number' && q.text === number.split(' ')[0]);
    const unnamed = new RegExp(`too close to others to name: [^.]*\\b${p.name}\\b`).test(map.caption);
    expect([named, numbered, unnamed].filter(Boolean), `${p.name} is named, numbered or listed once`).toHaveLength(1);
  }
}

const word = fc.stringMatching(/^[A-Z][a-z]{2,11}$/);
const name = fc.oneof(word, fc.tuple(word, word).map(([a, b]) => `${a} ${b}`), fc.tuple(word, word, word).map((w) => w.join(' ')));

/** 2 to 40 places within a few degrees of a centre, some of them a few km from another. */
const places = fc
  .record({
    lat: fc.double({ min: -45, max: 60, noNaN: true }),
    lon: fc.double({ min: -170, max: 170, noNaN: true }),
    spread: fc.double({ min: 0.3, max: 6, noNaN: true }),
    names: fc.uniqueArray(name, { minLength: 2, maxLength: 40, selector: (n) => n.toLowerCase() }),
    seeds: fc.array(fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: 1, max: 6 }), fc.boolean()), {
      minLength: 40,
      maxLength: 40,
    }),
  })
  .map(({ lat, lon, spread, names, seeds }) => {
    const out: MapPoint[] = [];
    names.forEach((n, i) => {
      const [u, v, count, near] = seeds[i] as [number, number, number, boolean];
      // A place near the one before: within about 3 km.
      const anchor = near && out.length > 0 ? (out[out.length - 1] as MapPoint) : undefined;
      const [la, lo] = anchor ? [anchor.lat + u * 0.03, anchor.lon + v * 0.03] : [lat + u * spread, lon + v * spread * 1.4];
      out.push({ name: n, lat: la, lon: lo, count });
    });
    return out.sort((a, b) => b.lat - a.lat);
  });

describe('locator map labels, over any set of places', () => {
  it('never overlap, stay in the frame and near their dots, and leader lines cross nothing', () => {
    fc.assert(
      fc.property(places, (points) => expectLegible(points, [])),
      { numRuns: 60 },
    );
  }, 120_000);

  it('hold for many places in eastern Ukraine, next to the base map names', () => {
    fc.assert(
      fc.property(places, (points) => {
        // Moved into eastern Ukraine, around Donetsk oblast, where the base map names Ukraine and Russia.
        const shifted = points.map((p) => ({ ...p, lat: 48.3 + (p.lat - points[0]!.lat) / 3, lon: 37.5 + (p.lon - points[0]!.lon) / 3 }));
        expectLegible(shifted, ['Ukraine', 'Russia']);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('keeps leader lines apart once rounded, for places stacked on one spot', () => {
    // Found by the property above: two leaders that missed each other by less than the
    // 0.1 the SVG rounds to, and so crossed as printed.
    const stacked: [string, number, number, number][] = [
      ['Aaa Aaa', 0.029999999999318572, -0.029940434396157567, 1],
      ['Aaa Aaa Aaa', 0.029999999999318572, -0.029940434396157567, 1],
      ['Aaa Aaa Aab', 0.029999999999318572, -0.029940434396157567, 1],
      ['Aab', 0.029673312230012065, 0, 1],
      ['Aaa', 0, 0, 2],
      ['Aac', 0, 0, 1],
      ['Aaa Aaa Aac', 0, 0, 1],
      ['Aaa Aab', -2.602044846082563e-08, 0, 1],
      ['Aaa Aac', -4.899528180422974, 6.859339452592179, 1],
    ];
    const points = stacked.map(([n, lat, lon, count]) => ({ name: n, lat, lon, count }));
    const shifted = points.map((p) => ({ ...p, lat: 48.3 + (p.lat - points[0]!.lat) / 3, lon: 37.5 + (p.lon - points[0]!.lon) / 3 }));
    expectLegible(shifted, ['Ukraine', 'Russia']);
  });

  it('holds for the places of the trial that printed "Pokrovsknsk"', () => {
    const trial: [string, number, number, number][] = [
      ['Kharkiv', 49.99, 36.23, 3],
      ['Sumy', 50.91, 34.8, 1],
      ['Kupiansk', 49.71, 37.62, 1],
      ['Poltava', 49.59, 34.55, 1],
      ['Izium', 49.21, 37.26, 1],
      ['Lyman', 48.99, 37.81, 1],
      ['Siversk', 48.87, 38.1, 1],
      ['Sloviansk', 48.85, 37.6, 2],
      ['Kramatorsk', 48.72, 37.56, 3],
      ['Bakhmut', 48.59, 38.0, 2],
      ['Chasiv Yar', 48.59, 37.83, 1],
      ['Kostiantynivka', 48.53, 37.71, 1],
      ['Dnipro', 48.46, 35.05, 2],
      ['Toretsk', 48.4, 37.85, 1],
      ['Pokrovsk', 48.28, 37.18, 4],
      ['Avdiivka', 48.14, 37.74, 2],
      ['Kurakhove', 47.98, 37.28, 1],
      ['Kryvyi Rih', 47.91, 33.39, 1],
      ['Zaporizhzhia', 47.84, 35.14, 2],
      ['Vuhledar', 47.78, 37.25, 1],
      ['Huliaipole', 47.66, 36.26, 1],
      ['Nikopol', 47.57, 34.39, 1],
      ['Mykolaiv', 46.97, 31.99, 1],
      ['Kherson', 46.64, 32.62, 2],
      ['Odesa', 46.48, 30.72, 2],
    ];
    const points = trial.map(([n, lat, lon, count]) => ({ name: n, lat, lon, count }));
    expectLegible(points, ['Ukraine']);
    // The places with most incidents are named, not numbered.
    const svg = locatorMap(points, ['Ukraine'])?.svg ?? '';
    for (const label of ['Pokrovsk (4)', 'Kharkiv (3)']) expect(svg).toContain(`class="map__label">${label}</text>`);
  });
});
