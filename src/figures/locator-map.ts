import { geoIdentity, geoMercator, geoPath, geoStream, type GeoPermissibleObjects } from 'd3-geo';
import { feature } from 'topojson-client';
import { isolatedName, plainName, type Figure, type NameMark } from './timeline.js';
import { formatNumber } from '../core/format.js';
import { escapeHtml as esc } from '../core/markdown.js';
import { findPlace, worldTopology } from '../core/places.js';
import type { Place } from '../core/schema.js';
import type { Incident } from '../core/schema.js';

/*
 * The locator map: incident locations on a small regional map, drawn as SVG at build
 * time from Natural Earth's 1:50m country borders (the world-atlas npm package), so it
 * needs no tiles and no network and prints crisp.
 */

interface Country {
  name: string;
  geometry: GeoPermissibleObjects;
  /** Rough Mercator box at scale 1 ([x0, y0, x1, y1]), or undefined when it crosses the antimeridian. */
  box: [number, number, number, number] | undefined;
  /** Already in Mercator at scale 1 (clipped at the antimeridian and the poles), y downward; made on first use. */
  planar?: GeoPermissibleObjects;
}

let countries: Country[] | undefined;
const unit = () => geoMercator().scale(1).translate([0, 0]).precision(0);

/**
 * Natural Earth data, parsed once per process. Each map is a scale and a shift of the
 * same Mercator plane, clipped to its frame: the spherical work (antimeridian cuts, the
 * trigonometry) is done once per country, and only for countries some map shows.
 */
function worldCountries(): Country[] {
  if (!countries) {
    const topology = worldTopology();
    const collection = feature(topology, topology.objects.countries as never) as unknown as {
      features: { properties: { name: string }; geometry: { coordinates: unknown } }[];
    };
    const y = (lat: number) => -Math.log(Math.tan(Math.PI / 4 + (Math.max(-85, Math.min(85, lat)) * Math.PI) / 360));
    countries = collection.features.map((f) => {
      // The box comes from the raw coordinates; Mercator is monotonic in both, so it bounds the shape.
      const points = (f.geometry?.coordinates as number[][][][] | number[][][] | undefined)?.flat(3) ?? [];
      let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
      for (let i = 0; i + 1 < points.length; i += 2) {
        const [lon, lat] = [points[i] as unknown as number, points[i + 1] as unknown as number];
        [west, east, south, north] = [Math.min(west, lon), Math.max(east, lon), Math.min(south, lat), Math.max(north, lat)];
      }
      const rad = Math.PI / 180;
      const box: Country['box'] = east - west > 180 || !Number.isFinite(west) ? undefined : [west * rad, y(north), east * rad, y(south)];
      return { name: f.properties.name, geometry: f as unknown as GeoPermissibleObjects, box };
    });
  }
  return countries;
}

function planarOf(country: Country): GeoPermissibleObjects {
  country.planar ??= { type: 'MultiPolygon', coordinates: planarPolygons(country.geometry, unit()) } as GeoPermissibleObjects;
  return country.planar;
}

/** The projected rings of a shape, closed, as a MultiPolygon's coordinates. */
function planarPolygons(geometry: GeoPermissibleObjects, projection: ReturnType<typeof geoMercator>): number[][][][] {
  const polygons: number[][][][] = [];
  let polygon: number[][][] = [];
  let ring: number[][] = [];
  geoStream(
    geometry,
    projection.stream({
      point: (x: number, y: number) => void ring.push([x, y]),
      lineStart: () => void (ring = []),
      lineEnd: () => {
        if (ring.length > 2) polygon.push([...ring, ring[0] as number[]]);
      },
      polygonStart: () => void (polygon = []),
      polygonEnd: () => void (polygon.length > 0 && polygons.push(polygon)),
      sphere: () => undefined,
    }),
  );
  return polygons;
}

export interface MapPoint {
  name: string;
  lat: number;
  lon: number;
  count: number;
}

/** Incidents to map points: their own coordinates, else their place's. Unplaceable ones are left out. */
export function mapPoints(incidents: readonly Incident[], places: readonly Place[]): MapPoint[] {
  const points = new Map<string, MapPoint>();
  for (const incident of incidents) {
    const place = findPlace(incident.location, places);
    const lat = incident.lat ?? place?.lat;
    const lon = incident.lon ?? place?.lon;
    if (lat === undefined || lon === undefined) continue;
    const key = incident.location;
    const point = points.get(key) ?? { name: incident.location, lat, lon, count: 0 };
    point.count++;
    points.set(key, point);
  }
  return [...points.values()].sort((a, b) => b.lat - a.lat);
}

/** The map's size in SVG units: the width of the brief's column, and a strip of a region. */
const WIDTH = 640;
const HEIGHT = 300;

/** A rectangle of the map, in SVG units. */
interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The whole map, and its two frames when a far incident would shrink the rest to a dot. */
const FULL: Box = { x0: 0, y0: 0, x1: WIDTH, y1: HEIGHT };
const MAIN: Box = { x0: 0, y0: 0, x1: 424, y1: HEIGHT };
const OVERVIEW: Box = { x0: 432, y0: 0, x1: WIDTH, y1: HEIGHT };

/** Incidents closer than this (km) belong to one cluster: a place and its neighbours. */
const CLUSTER_KM = 250;
/** Two dots closer than this (SVG units) crowd each other: the cluster gets a frame of its own, if that helps. */
const CROWDED = 24;
/** The cluster's own frame is worth a second frame only if it shows the cluster this many times larger. */
const MIN_ZOOM = 2;

/**
 * The locator map of a brief's incidents, with the countries named in `highlight`
 * shaded: a figure with its caption, or undefined when no incident could be placed.
 * `highlight` lists the countries most incidents first; the first is always named on
 * the map, wherever its label fits.
 *
 * When one cluster of places holds most incidents and a far incident would shrink it to
 * a dot, the map gets two frames: the cluster at a scale where its places stand apart,
 * and beside it every location, with the cluster's frame outlined.
 */
export function locatorMap(points: readonly MapPoint[], highlight: readonly string[]): Figure | undefined {
  if (points.length === 0) return undefined;
  const list = (mark: NameMark) => points.map((p) => `${mark(p.name)} (${formatNumber(p.count)})`).join(', ');
  const split = splitFrames(points);
  if (!split) {
    const frame = mapFrame(points, FULL);
    const captionOf = (mark: NameMark) => `Incident locations: ${list(mark)}. Borders: Natural Earth.`;
    const caption = captionOf(plainName);
    return { svg: mapSvg(caption, drawFrame(frame, points, points, highlight)), caption, captionHtml: captionOf(isolatedName) };
  }
  const { main, cluster, far } = split;
  const overview = mapFrame(points, OVERVIEW);
  const captionOf = (mark: NameMark) =>
    `Incident locations: ${list(mark)}. The larger frame shows the area around ${joinList(cluster.map((p) => mark(p.name)))}; ` +
    `the smaller one shows every location, with that area outlined. Borders: Natural Earth.`;
  const caption = captionOf(plainName);
  const outline = outlineOf(main, overview);
  const layers = [
    ...drawFrame(main, cluster, cluster, highlight),
    ...drawFrame(overview, points, far, highlight, outline, false),
    `<rect x="${outline.x0.toFixed(1)}" y="${outline.y0.toFixed(1)}" width="${(outline.x1 - outline.x0).toFixed(1)}" height="${(outline.y1 - outline.y0).toFixed(1)}" class="map__outline"/>`,
  ];
  return { svg: mapSvg(caption, layers, OVERVIEW), caption, captionHtml: captionOf(isolatedName) };
}

const joinList = (names: readonly string[]) => (names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);

/** What one map frame looks through: where a coordinate lands, how a planar shape is drawn, and what is in sight. */
interface MapFrame {
  box: Box;
  projection: ReturnType<typeof geoMercator>;
  path: ReturnType<typeof geoPath>;
  inView: (country: Country) => boolean;
  /** A point of the frame (SVG units) back on the unit Mercator plane, to test it against planar shapes. */
  toPlane: (x: number, y: number) => [number, number];
}

/** `lo`..`hi` widened by a margin, and to at least `min` degrees. */
function span(lo: number, hi: number, min: number, pad = 0.5): readonly [number, number] {
  const margin = Math.max((hi - lo) * 0.25, (min - (hi - lo)) / 2, pad);
  return [lo - margin, hi + margin] as const;
}

/**
 * The view around the points in `box`, as a projection for them and a clipped view of the
 * unit plane for the countries. `region` is the narrowest view in degrees (latitude,
 * longitude): a single base still shows the borders around it.
 */
function mapFrame(points: readonly MapPoint[], box: Box, region: readonly [number, number] = [6, 8], pad = 0.5): MapFrame {
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  // Mercator runs to infinity at the poles: the view stays between 80 degrees south and 84 north.
  const [south, north] = span(Math.min(...lats), Math.max(...lats), region[0], pad).map((v) => Math.max(-80, Math.min(84, v))) as [number, number];
  const [west, east] = span(Math.min(...lons), Math.max(...lons), region[1], pad).map((v) => Math.max(-180, Math.min(180, v))) as [number, number];
  const projection = geoMercator().fitExtent(
    [
      [box.x0 + 8, box.y0 + 8],
      [box.x1 - 8, box.y1 - 8],
    ],
    { type: 'MultiPoint', coordinates: [[west, south], [east, north]] },
  );
  // The same view as a scale and shift of the unit plane, clipped to the frame.
  const k = projection.scale();
  const [tx, ty] = projection.translate();
  const view = geoIdentity()
    .scale(k)
    .translate([tx, ty])
    .clipExtent([
      [box.x0, box.y0],
      [box.x1, box.y1],
    ]);
  const path = geoPath(view).digits(1);
  // Countries wholly outside the frame are not drawn at all.
  const [x0, y0, x1, y1] = [(box.x0 - tx) / k, (box.y0 - ty) / k, (box.x1 - tx) / k, (box.y1 - ty) / k];
  const inView = ({ box: b }: Country) => !b || (b[2] >= x0 && b[0] <= x1 && b[3] >= y0 && b[1] <= y1);
  return { box, projection, path, inView, toPlane: (x, y) => [(x - tx) / k, (y - ty) / k] };
}

/** Great-circle distance in km. */
function km(a: MapPoint, b: MapPoint): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The points in clusters: any two closer than CLUSTER_KM, directly or through others, share one. */
function clusters(points: readonly MapPoint[]): MapPoint[][] {
  const groups: MapPoint[][] = [];
  for (const p of points) {
    const near = groups.filter((g) => g.some((q) => km(p, q) < CLUSTER_KM));
    const merged = [p, ...near.flat()];
    for (const g of near) groups.splice(groups.indexOf(g), 1);
    groups.push(merged);
  }
  // Back in the points' own order, so labels and captions read the same as the list.
  return groups.map((g) => points.filter((p) => g.includes(p)));
}

/**
 * The two frames, when they are needed: the cluster with most incidents is crowded on a
 * map of every point, and its own frame would show it at least MIN_ZOOM times larger.
 */
function splitFrames(points: readonly MapPoint[]): { main: MapFrame; cluster: MapPoint[]; far: MapPoint[] } | undefined {
  const groups = clusters(points);
  if (groups.length < 2) return undefined;
  const weight = (g: readonly MapPoint[]) => g.reduce((n, p) => n + p.count, 0);
  const cluster = groups.reduce((best, g) => (weight(g) > weight(best) || (weight(g) === weight(best) && g.length > best.length) ? g : best));
  if (cluster.length < 2) return undefined;
  const full = mapFrame(points, FULL);
  const xy = (frame: MapFrame, p: MapPoint) => frame.projection([p.lon, p.lat]) ?? [0, 0];
  const closest = (frame: MapFrame) =>
    Math.min(...cluster.flatMap((p, i) => cluster.slice(i + 1).map((q) => Math.hypot(xy(frame, p)[0] - xy(frame, q)[0], xy(frame, p)[1] - xy(frame, q)[1]))));
  if (closest(full) >= CROWDED) return undefined;
  // The cluster's frame may be closer in than a region: the overview beside it shows where it is.
  const main = mapFrame(cluster, MAIN, [0.5, 0.7], 0.1);
  if (main.projection.scale() < MIN_ZOOM * full.projection.scale()) return undefined;
  return { main, cluster, far: points.filter((p) => !cluster.includes(p)) };
}

/** The main frame's area as drawn on the overview. */
function outlineOf(main: MapFrame, overview: MapFrame): Box {
  const corners = [
    [main.box.x0, main.box.y0],
    [main.box.x1, main.box.y1],
  ].map(([x, y]) => overview.projection(main.projection.invert?.([x as number, y as number]) ?? [0, 0]) ?? [0, 0]);
  const [[ax, ay], [bx, by]] = corners as [[number, number], [number, number]];
  // However small the area, its outline stays visible.
  const grow = (lo: number, hi: number) => (hi - lo >= 8 ? [lo, hi] : [(lo + hi) / 2 - 4, (lo + hi) / 2 + 4]);
  const [x0, x1] = grow(Math.min(ax, bx), Math.max(ax, bx)) as [number, number];
  const [y0, y1] = grow(Math.min(ay, by), Math.max(ay, by)) as [number, number];
  return { x0, y0, x1, y1 };
}

/**
 * One frame: its countries, its points' dots, the labels of `labelled` (the others are
 * dots only), and the country names that fit around them. `avoid` is a box labels keep
 * clear of; `countryNames` is false for a frame too small to carry them.
 */
function drawFrame(frame: MapFrame, points: readonly MapPoint[], labelled: readonly MapPoint[], highlight: readonly string[], avoid?: Box, countryNames = true): string[] {
  const shown = worldCountries().filter(frame.inView);
  const shapes: string[] = [];
  const drawn: { country: Country; d: string }[] = [];
  for (const country of shown) {
    const d = frame.path(planarOf(country));
    if (!d) continue;
    const active = highlight.includes(country.name);
    shapes.push(`<path d="${d}" class="map__country${active ? ' map__country--active' : ''}"/>`);
    drawn.push({ country, d });
  }
  const small = frame.box !== FULL && frame.box !== MAIN;
  const dots = points.flatMap((p) => {
    const xy = frame.projection([p.lon, p.lat]);
    return xy ? [{ point: p, x: xy[0], y: xy[1], r: small ? 2.5 + Math.sqrt(p.count) : 3.5 + Math.sqrt(p.count) * 1.5 }] : [];
  });
  const taken: Box[] = avoid ? [avoid] : [];
  const marks = placeLabels(frame.box, dots, labelled, taken);
  const names = countryNames ? countryLabels(frame, drawn.map((d) => d.country), highlight, dots, taken) : [];
  // Borders, then country names, then places: a place's label is never under a name.
  return [...shapes, ...names, ...marks];
}

interface Dot {
  point: MapPoint;
  x: number;
  y: number;
  r: number;
}

/*
 * Label widths are estimated from the font's own advance widths (Source Sans 3 Semibold,
 * in hundredths of an em, for the printable ASCII characters from space to tilde), so a
 * label's plate is as wide as its text: a plate sized by a flat width per character is
 * too wide for most names and too narrow for some.
 */
const ADVANCES = [
  20, 31, 48, 51, 51, 84, 64, 27, 32, 32, 44, 51, 27, 32, 27, 34, 51, 51, 51, 51, 51, 51, 51, 51, 51, 51, 27, 27, 51, 51, 51, 44, 87, 56, 60, 58,
  62, 54, 51, 63, 66, 28, 49, 60, 50, 74, 66, 67, 58, 67, 59, 54, 55, 65, 54, 80, 54, 50, 54, 32, 34, 32, 51, 50, 55, 52, 56, 46, 56, 51, 32, 52,
  56, 26, 26, 52, 27, 84, 56, 55, 56, 56, 37, 43, 36, 56, 49, 75, 48, 49, 44, 32, 25, 32, 51,
];

/** The width in SVG units of `text` set at `size` with `tracking` em of letter-spacing. */
export function labelWidth(text: string, size: number, tracking = 0): number {
  let width = 0;
  let count = 0;
  // Accented letters are as wide as their base letter; marks alone take no room.
  for (const ch of text.normalize('NFD')) {
    const code = ch.codePointAt(0) as number;
    if (code >= 0x300 && code <= 0x36f) continue;
    count++;
    const ascii = ADVANCES[code - 32];
    // Other scripts: a typical width, and a full em for the wide East Asian ones.
    width += ascii ?? (code >= 0x2e80 ? 100 : code === 0x2019 || code === 0x2018 ? 27 : 55);
  }
  return (width / 100) * size + count * tracking * size;
}

/** Label text: 12-unit type, its plate 15 units tall from 11 above the baseline to 4 below. */
const LABEL_SIZE = 12;
const PLATE_PAD = 2;

const overlaps = (a: Box, b: Box, pad = 0) => a.x0 < b.x1 + pad && b.x0 < a.x1 + pad && a.y0 < b.y1 + pad && b.y0 < a.y1 + pad;
const inside = (a: Box, frame: Box, margin: number) => a.x0 >= frame.x0 + margin && a.x1 <= frame.x1 - margin && a.y0 >= frame.y0 + margin && a.y1 <= frame.y1 - margin;
/** Distance from a point to the nearest point of a box, and that point. */
function nearest(box: Box, x: number, y: number): { d: number; x: number; y: number } {
  const nx = Math.max(box.x0, Math.min(box.x1, x));
  const ny = Math.max(box.y0, Math.min(box.y1, y));
  return { d: Math.hypot(nx - x, ny - y), x: nx, y: ny };
}
/** Whether the segment a-b passes through the box (sampled: boxes are larger than the step). */
function crosses(box: Box, ax: number, ay: number, bx: number, by: number): boolean {
  const steps = Math.ceil(Math.hypot(bx - ax, by - ay) / 3);
  for (let i = 1; i < steps; i++) {
    const [x, y] = [ax + ((bx - ax) * i) / steps, ay + ((by - ay) * i) / steps];
    if (x > box.x0 && x < box.x1 && y > box.y0 && y < box.y1) return true;
  }
  return false;
}

/** Where a plate may go around a dot: the eight places beside it, then rings further out, with a leader line. */
function* platePositions(dot: Dot, w: number): Generator<Box> {
  const h = 15;
  const { x, y, r } = dot;
  const at = (x0: number, y0: number): Box => ({ x0, y0, x1: x0 + w, y1: y0 + h });
  const g = 3;
  const d = r * 0.75;
  yield at(x + r + g, y - h / 2); // right
  yield at(x - r - g - w, y - h / 2); // left
  yield at(x + d, y - d - h); // above right
  yield at(x + d, y + d); // below right
  yield at(x - d - w, y - d - h); // above left
  yield at(x - d - w, y + d); // below left
  yield at(x - w / 2, y - r - g - h); // above
  yield at(x - w / 2, y + r + g); // below
  for (const distance of [16, 26, 38, 52, 68, 86, 106, 128, 152]) {
    for (let i = 0; i < 16; i++) {
      const angle = (i * Math.PI) / 8;
      const [cx, cy] = [x + (r + distance) * Math.cos(angle), y + (r + distance) * Math.sin(angle)];
      const x0 = Math.cos(angle) > 0.3 ? cx : Math.cos(angle) < -0.3 ? cx - w : cx - w / 2;
      const y0 = Math.sin(angle) > 0.3 ? cy : Math.sin(angle) < -0.3 ? cy - h : cy - h / 2;
      yield at(x0, y0);
    }
  }
}

/**
 * Each dot, sized by its count, and the names of `labelled` on plates as wide as their
 * text. A plate goes beside its dot where it overlaps no other plate, dot or leader line
 * and stays in the frame; where none is free, further out with a leader line back to the
 * dot. Each place is one group (dot, plate, name, leader), so what belongs together stays
 * together. Placed plates are added to `taken`.
 */
function placeLabels(frame: Box, dots: readonly Dot[], labelled: readonly MapPoint[], taken: Box[]): string[] {
  const circle = ({ x, y, r }: Dot) => `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r.toFixed(1)}" class="map__point"/>`;
  const segments: [number, number, number, number][] = [];
  const groups: string[] = dots.filter((d) => !labelled.includes(d.point)).map((d) => `<g class="map__place">${circle(d)}</g>`);
  // The biggest places choose first: theirs are the labels most read.
  const order = dots.filter((d) => labelled.includes(d.point)).sort((a, b) => b.point.count - a.point.count);
  const clearOfDots = (box: Box) => dots.every((o) => nearest(box, o.x, o.y).d > o.r + 1);
  const free = (dot: Dot, box: Box) => {
    if (!inside(box, frame, 2) || taken.some((t) => overlaps(box, t, 1)) || !clearOfDots(box)) return false;
    if (segments.some(([ax, ay, bx, by]) => crosses({ x0: box.x0 - 1, y0: box.y0 - 1, x1: box.x1 + 1, y1: box.y1 + 1 }, ax, ay, bx, by))) return false;
    const end = nearest(box, dot.x, dot.y);
    // A plate beside its dot must not sit as close to another: it would read as that one's.
    if (end.d <= dot.r + 6) return !dots.some((o) => o !== dot && nearest(box, o.x, o.y).d - o.r < end.d - dot.r + 8);
    // A leader line crosses no plate and touches no other dot.
    return !taken.some((t) => crosses(t, dot.x, dot.y, end.x, end.y)) && !dots.some((o) => o !== dot && Math.hypot(o.x - end.x, o.y - end.y) < o.r + 2);
  };
  for (const dot of order) {
    const p = dot.point;
    const text = p.count > 1 ? `${p.name} (${formatNumber(p.count)})` : p.name;
    const w = labelWidth(text, LABEL_SIZE) + 2 * PLATE_PAD;
    let chosen: Box | undefined;
    for (const box of platePositions(dot, w)) {
      if (free(dot, box)) {
        chosen = box;
        break;
      }
    }
    // Nowhere free: beside the dot, inside the frame, over whatever is there.
    chosen ??= fallbackPlate(dot, w, frame);
    taken.push(chosen);
    const end = nearest(chosen, dot.x, dot.y);
    let leader = '';
    if (end.d > dot.r + 6) {
      const k = dot.r / end.d;
      const [sx, sy] = [dot.x + (end.x - dot.x) * k, dot.y + (end.y - dot.y) * k];
      segments.push([sx, sy, end.x, end.y]);
      leader = `<line x1="${sx.toFixed(1)}" y1="${sy.toFixed(1)}" x2="${end.x.toFixed(1)}" y2="${end.y.toFixed(1)}" class="map__leader"/>`;
    }
    groups.push(
      `<g class="map__place">${leader}${circle(dot)}` +
        `<rect x="${chosen.x0.toFixed(1)}" y="${chosen.y0.toFixed(1)}" width="${w.toFixed(1)}" height="15" rx="2" class="map__plate"/>` +
        `<text x="${(chosen.x0 + PLATE_PAD).toFixed(1)}" y="${(chosen.y0 + 11).toFixed(1)}" class="map__label">${esc(text)}</text></g>`,
    );
  }
  return groups;
}

/** Right of the dot, or left of it near the right edge, kept inside the frame. */
function fallbackPlate(dot: Dot, w: number, frame: Box): Box {
  const right = dot.x + dot.r + 3 + w <= frame.x1 - 2;
  const x0 = right ? dot.x + dot.r + 3 : Math.max(frame.x0 + 2, dot.x - dot.r - 3 - w);
  const y0 = Math.max(frame.y0 + 2, Math.min(frame.y1 - 17, dot.y - 7.5));
  return { x0, y0, x1: x0 + w, y1: y0 + 15 };
}

/** Whether a point of the unit plane is inside a MultiPolygon's rings (even-odd). */
function contains(planar: GeoPermissibleObjects, [px, py]: [number, number]): boolean {
  let hit = false;
  for (const polygon of (planar as { coordinates: number[][][][] }).coordinates) {
    for (const ring of polygon) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i] as [number, number];
        const [xj, yj] = ring[j] as [number, number];
        if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) hit = !hit;
      }
    }
  }
  return hit;
}

const COUNTRY_SIZE = 12;
const COUNTRY_TRACKING = 0.12;

/**
 * Country names, in capitals, where they fit clear of the places' dots and labels. The
 * main country (highlight's first) is looked for across its whole visible area, so the
 * reader always learns where the map is; the others only near their middle, if they are
 * large enough to carry a name.
 */
function countryLabels(frame: MapFrame, countries: readonly Country[], highlight: readonly string[], dots: readonly Dot[], taken: Box[]): string[] {
  const labels: string[] = [];
  const main = highlight[0];
  const ordered = [...countries].sort((a, b) => Number(b.name === main) - Number(a.name === main));
  for (const country of ordered) {
    const planar = planarOf(country);
    const [cx, cy] = frame.path.centroid(planar);
    if (!Number.isFinite(cx)) continue;
    const isMain = country.name === main;
    if (!isMain && frame.path.area(planar) <= 4000) continue;
    const text = country.name.toUpperCase();
    const w = labelWidth(text, COUNTRY_SIZE, COUNTRY_TRACKING);
    const fits = (x: number, y: number, onCountry: boolean) => {
      const box = { x0: x - w / 2, y0: y - 10, x1: x + w / 2, y1: y + 3 };
      if (!inside(box, frame.box, 6) || taken.some((t) => overlaps(box, t, 2))) return undefined;
      if (!dots.every((o) => nearest(box, o.x, o.y).d > o.r + 2)) return undefined;
      // The whole name on its own country: its middle and both ends.
      const ok = !onCountry || [box.x0, x, box.x1].every((px) => contains(planar, frame.toPlane(px, y - 4)));
      return ok ? box : undefined;
    };
    // The main country's name may go anywhere in the frame; the others' only near their middle.
    const { x0, y0, x1, y1 } = isMain ? frame.box : { x0: cx - 40, y0: cy - 40, x1: cx + 40, y1: cy + 40 };
    const candidates: [number, number][] = [[cx, cy]];
    for (let y = y0; y <= y1; y += 10) for (let x = x0; x <= x1; x += 20) candidates.push([x, y]);
    candidates.sort((a, b) => Math.hypot(a[0] - cx, a[1] - cy) - Math.hypot(b[0] - cx, b[1] - cy));
    // A main country too small to hold its name has it beside it, as near its middle as is free.
    const tries = isMain ? [true, false] : [true];
    const found = tries.flatMap((onCountry) => candidates.filter(([x, y]) => onCountry || Math.hypot(x - cx, y - cy) < 60).map((c) => [c, onCountry] as const));
    for (const [[x, y], onCountry] of found) {
      const box = fits(x, y, onCountry);
      if (!box) continue;
      taken.push(box);
      labels.push(`<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="middle" class="map__country-label">${esc(text)}</text>`);
      break;
    }
  }
  return labels;
}

/** The SVG element: sea, the drawn layers, then the frames, titled and described for screen readers. */
function mapSvg(caption: string, layers: readonly string[], second?: Box): string {
  const frame = (b: Box) => `<rect x="${b.x0}" y="${b.y0}" width="${b.x1 - b.x0}" height="${b.y1 - b.y0}" class="map__frame"/>`;
  return (
    `<svg class="map" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="fb-map-title fb-map-desc" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="fb-map-title">Locator map</title><desc id="fb-map-desc">${esc(caption)}</desc>` +
    (second
      ? `<rect width="${WIDTH}" height="${HEIGHT}" class="map__gap"/>` +
        [MAIN, second].map((b) => `<rect x="${b.x0}" y="${b.y0}" width="${b.x1 - b.x0}" height="${b.y1 - b.y0}" class="map__sea"/>`).join('')
      : `<rect width="${WIDTH}" height="${HEIGHT}" class="map__sea"/>`) +
    layers.join('') +
    (second ? frame(MAIN) + `<g class="map__inset">${frame(second)}</g>` : frame(FULL)) +
    '</svg>'
  );
}
