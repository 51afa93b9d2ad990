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
  /** The box of each polygon of `planar` ([x0, y0, x1, y1] on the same plane), in its order; made on first use. */
  polygonBoxes?: [number, number, number, number][];
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

/**
 * The polygons of a country's planar shape that reach into a frame's view: an island or
 * exclave whose box misses the view is left out before the shape is clipped. Exact: a
 * polygon whose box misses the view rectangle can neither cross nor enclose it, so once
 * clipped it draws nothing and adds nothing to a centroid or area; the others keep their
 * order, so the path is the same. A large country streams only its parts in view
 * (clipping every vertex of every polygon of every country in view was most of a map).
 */
function visibleOf(country: Country, frame: MapFrame): GeoPermissibleObjects {
  const planar = planarOf(country) as GeoPermissibleObjects & { coordinates: number[][][][] };
  country.polygonBoxes ??= planar.coordinates.map((polygon) => {
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [x, y] of polygon[0] ?? []) [x0, y0, x1, y1] = [Math.min(x0, x as number), Math.min(y0, y as number), Math.max(x1, x as number), Math.max(y1, y as number)];
    return [x0, y0, x1, y1];
  });
  const boxes = country.polygonBoxes;
  const kept = planar.coordinates.filter((_, i) => frame.reaches(boxes[i] as [number, number, number, number]));
  return kept.length === planar.coordinates.length ? planar : ({ type: 'MultiPolygon', coordinates: kept } as GeoPermissibleObjects);
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
  // Places the map could not name: the caption says which number is which, and which are dots alone.
  const key = (mark: NameMark, numbered: PlacedLabels['numbered'], unnamed: readonly MapPoint[]) =>
    (numbered.length > 0 ? ` Numbered on the map for want of room: ${numbered.map(({ point, n }) => `${formatNumber(n)} ${mark(point.name)}`).join(', ')}.` : '') +
    (unnamed.length > 0 ? ` Marked on the map but too close to others to name: ${joinList(unnamed.map((p) => mark(p.name)))}.` : '');
  const split = splitFrames(points);
  if (!split) {
    const frame = mapFrame(points, FULL);
    const drawn = drawFrame(frame, points, points, highlight);
    const captionOf = (mark: NameMark) => `Incident locations: ${list(mark)}.${key(mark, drawn.numbered, drawn.unnamed)} Borders: Natural Earth.`;
    const caption = captionOf(plainName);
    return { svg: mapSvg(caption, drawn.layers), caption, captionHtml: captionOf(isolatedName) };
  }
  const { main, cluster, far } = split;
  const overview = mapFrame(points, OVERVIEW);
  const outline = outlineOf(main, overview);
  const inMain = drawFrame(main, cluster, cluster, highlight);
  const inOverview = drawFrame(overview, points, far, highlight, 1 + inMain.numbered.length, outline, false);
  const numbered = [...inMain.numbered, ...inOverview.numbered];
  const unnamed = [...inMain.unnamed, ...inOverview.unnamed];
  const captionOf = (mark: NameMark) =>
    `Incident locations: ${list(mark)}.${key(mark, numbered, unnamed)} The larger frame shows the area around ${joinList(cluster.map((p) => mark(p.name)))}; ` +
    `the smaller one shows every location, with that area outlined. Borders: Natural Earth.`;
  const caption = captionOf(plainName);
  const layers = [
    ...inMain.layers,
    ...inOverview.layers,
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
  /** Whether a box on the unit Mercator plane ([x0, y0, x1, y1]) meets the view. */
  reaches: (box: readonly [number, number, number, number]) => boolean;
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
  const reaches = (b: readonly [number, number, number, number]) => b[2] >= x0 && b[0] <= x1 && b[3] >= y0 && b[1] <= y1;
  const inView = ({ box: b }: Country) => !b || reaches(b);
  return { box, projection, path, inView, reaches, toPlane: (x, y) => [(x - tx) / k, (y - ty) / k] };
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
 * dots only), and the country names that fit around them, clear of the places' labels.
 * Places whose names do not fit are numbered from `firstNumber`. `avoid` is a box labels
 * keep clear of; `countryNames` is false for a frame too small to carry them.
 */
function drawFrame(
  frame: MapFrame,
  points: readonly MapPoint[],
  labelled: readonly MapPoint[],
  highlight: readonly string[],
  firstNumber = 1,
  avoid?: Box,
  countryNames = true,
): { layers: string[] } & Omit<PlacedLabels, 'groups'> {
  const shown = worldCountries().filter(frame.inView);
  const shapes: string[] = [];
  const drawn: { country: Country; d: string }[] = [];
  for (const country of shown) {
    const d = frame.path(visibleOf(country, frame));
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
  const claims: Claims = { boxes: avoid ? [avoid] : [], segments: [] };
  const marks = placeLabels(frame.box, dots, labelled, claims, firstNumber);
  const names = countryNames ? countryLabels(frame, drawn.map((d) => d.country), highlight, dots, claims) : [];
  // Borders, then country names, then places: a place's label is never under a name.
  return { layers: [...shapes, ...names, ...marks.groups], numbered: marks.numbered, unnamed: marks.unnamed };
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

/** Latin letters (with their accents and punctuation), whose widths labelWidth knows from the font. */
const LATIN_ONLY = /^(?:[\u0020-\u024f\u1e00-\u1eff\u2000-\u206f]|\p{M})*$/u;

/**
 * For a name in another script, whose width labelWidth can only estimate (its glyphs come
 * from whichever shipped face has them), the text is set to the plate's width exactly
 * (SVG textLength), so the plate the placement reserved is the room the name takes: an
 * estimate off by a fifth let a Hebrew name's plate run over a country's label, and left
 * a Korean one's plate far wider than its text.
 */
function fitToPlate(name: string, box: Box): string {
  if (LATIN_ONLY.test(name.normalize('NFD'))) return '';
  return ` textLength="${(box.x1 - box.x0 - 2 * PLATE_PAD).toFixed(1)}" lengthAdjust="spacingAndGlyphs"`;
}

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

/** Label text: 12-unit type (its plate is PLATE_HEIGHT tall). */
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

/** A straight line of the map: a leader from a dot's edge to its plate. */
type Segment = readonly [number, number, number, number];

/**
 * What a frame's labels have claimed so far: plates and country names (boxes), and
 * leader lines (segments). Whatever comes later keeps clear of all of them.
 */
interface Claims {
  boxes: Box[];
  segments: Segment[];
}

/** How far a plate may sit from its dot's edge: further, and the eye no longer pairs them. */
export const LEADER_MAX = 40;
/** A plate nearer than this to its dot's edge is beside it and needs no leader line. */
const BESIDE = 6;

/** Whether two segments meet (touching counts: a leader may not run along another). */
function segmentsMeet([ax, ay, bx, by]: Segment, [cx, cy, dx, dy]: Segment): boolean {
  const turn = (px: number, py: number, qx: number, qy: number, rx: number, ry: number) => Math.sign((qx - px) * (ry - py) - (qy - py) * (rx - px));
  const within = (px: number, py: number, qx: number, qy: number, rx: number, ry: number) =>
    Math.min(px, qx) <= rx && rx <= Math.max(px, qx) && Math.min(py, qy) <= ry && ry <= Math.max(py, qy);
  const [d1, d2, d3, d4] = [turn(cx, cy, dx, dy, ax, ay), turn(cx, cy, dx, dy, bx, by), turn(ax, ay, bx, by, cx, cy), turn(ax, ay, bx, by, dx, dy)];
  if (d1 !== d2 && d3 !== d4 && d1 * d2 <= 0 && d3 * d4 <= 0 && !(d1 === 0 && d2 === 0)) return true;
  // Collinear: they meet where one's end lies on the other.
  return (
    (d1 === 0 && within(cx, cy, dx, dy, ax, ay)) ||
    (d2 === 0 && within(cx, cy, dx, dy, bx, by)) ||
    (d3 === 0 && within(ax, ay, bx, by, cx, cy)) ||
    (d4 === 0 && within(ax, ay, bx, by, dx, dy))
  );
}

/**
 * Clearance a leader keeps from every other line, in map units. Lines are drawn rounded to
 * 0.1 and stroked about 0.6 wide, so two that miss each other by less than this would
 * print as touching, or cross once rounded.
 */
const LINE_CLEARANCE = 1;

/** Least distance between two segments, in map units: 0 when they meet. */
function segmentGap(a: Segment, b: Segment): number {
  if (segmentsMeet(a, b)) return 0;
  return Math.min(toSegment(a, b[0], b[1]), toSegment(a, b[2], b[3]), toSegment(b, a[0], a[1]), toSegment(b, a[2], a[3]));
}

/** Whether a segment passes through a box (an end inside, or crossing an edge). */
export function segmentHitsBox(segment: Segment, box: Box): boolean {
  const [ax, ay, bx, by] = segment;
  const strictlyIn = (x: number, y: number) => x > box.x0 && x < box.x1 && y > box.y0 && y < box.y1;
  if (strictlyIn(ax, ay) || strictlyIn(bx, by)) return true;
  const edges: Segment[] = [
    [box.x0, box.y0, box.x1, box.y0],
    [box.x1, box.y0, box.x1, box.y1],
    [box.x1, box.y1, box.x0, box.y1],
    [box.x0, box.y1, box.x0, box.y0],
  ];
  return edges.some((e) => segmentsMeet(segment, e));
}

/** Distance from a point to a segment. */
function toSegment([ax, ay, bx, by]: Segment, x: number, y: number): number {
  const length2 = (bx - ax) ** 2 + (by - ay) ** 2;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / length2));
  return Math.hypot(ax + t * (bx - ax) - x, ay + t * (by - ay) - y);
}

const grown = (b: Box, pad: number): Box => ({ x0: b.x0 - pad, y0: b.y0 - pad, x1: b.x1 + pad, y1: b.y1 + pad });

/**
 * Where a plate may go around a dot, nearest first: the eight places beside it (the
 * usual point-feature candidates: right, left, the four corners, above, below), then
 * rings further out, reached by a leader line, never more than LEADER_MAX from the dot.
 */
function* platePositions(dot: Dot, w: number, h: number): Generator<Box> {
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
  for (let distance = 10; distance <= LEADER_MAX; distance += 6) {
    for (let i = 0; i < 16; i++) {
      const angle = (i * Math.PI) / 8;
      const [cx, cy] = [x + (r + distance) * Math.cos(angle), y + (r + distance) * Math.sin(angle)];
      const x0 = Math.cos(angle) > 0.3 ? cx : Math.cos(angle) < -0.3 ? cx - w : cx - w / 2;
      const y0 = Math.sin(angle) > 0.3 ? cy : Math.sin(angle) < -0.3 ? cy - h : cy - h / 2;
      yield at(x0, y0);
    }
  }
}

/** The plate of a name: 12-unit type, 15 units tall from 11 above the baseline to 4 below. */
const PLATE_HEIGHT = 15;
/** The plate of a place's number when its name does not fit: smaller type, the number only. */
const NUMBER_SIZE = 9;
const NUMBER_HEIGHT = 11;

/** A frame's places as drawn: each one's group, and those only numbered or not named at all. */
interface PlacedLabels {
  groups: string[];
  numbered: { point: MapPoint; n: number }[];
  unnamed: MapPoint[];
}

/** One place a dot's plate could go: the plate, and its leader line when it is away from the dot. */
interface Candidate {
  dot: Dot;
  box: Box;
  leader?: Segment;
}

/** Whether two plates (with their leader lines) cannot both be drawn. */
function clash(a: Candidate, b: Candidate): boolean {
  if (overlaps(a.box, b.box, 1)) return true;
  if (a.leader && segmentHitsBox(a.leader, grown(b.box, 1))) return true;
  if (b.leader && segmentHitsBox(b.leader, grown(a.box, 1))) return true;
  return a.leader !== undefined && b.leader !== undefined && segmentGap(a.leader, b.leader) < LINE_CLEARANCE;
}

/**
 * Where each of `order`'s dots may put a plate `width(dot)` wide and `height` tall, given
 * what is fixed already (the frame, every dot, `claims`): nearest its dot first.
 */
function candidatesOf(frame: Box, dots: readonly Dot[], order: readonly Dot[], width: (dot: Dot) => number, height: number, claims: Claims): Map<Dot, Candidate[]> {
  const clearOfDots = (box: Box, pad: number) => dots.every((o) => nearest(box, o.x, o.y).d > o.r + pad);
  const fits = (dot: Dot, box: Box): Candidate | undefined => {
    if (!inside(box, frame, 2) || claims.boxes.some((t) => overlaps(box, t, 1)) || !clearOfDots(box, 1)) return undefined;
    if (claims.segments.some((s) => segmentHitsBox(s, grown(box, 1)))) return undefined;
    const end = nearest(box, dot.x, dot.y);
    if (end.d - dot.r > LEADER_MAX) return undefined;
    // Dots centred inside this one mark the same spot at this scale: a label near one is
    // near them all, so only the others can make it ambiguous or stand in its line's way.
    const others = dots.filter((o) => o !== dot && Math.hypot(o.x - dot.x, o.y - dot.y) >= Math.max(o.r, dot.r));
    // A plate beside its dot must not sit as close to another: it would read as that one's.
    if (end.d <= dot.r + BESIDE) return others.some((o) => nearest(box, o.x, o.y).d - o.r < end.d - dot.r + 8) ? undefined : { dot, box };
    // Away from its dot, a plate keeps clear of the others' dots too, so it is read by its line.
    if (!clearOfDots(box, BESIDE)) return undefined;
    const k = dot.r / end.d;
    const leader: Segment = [dot.x + (end.x - dot.x) * k, dot.y + (end.y - dot.y) * k, end.x, end.y];
    // A leader line crosses no fixed line or plate, and passes no other dot.
    if (claims.segments.some((s) => segmentGap(s, leader) < LINE_CLEARANCE) || claims.boxes.some((t) => segmentHitsBox(leader, grown(t, 1)))) return undefined;
    if (others.some((o) => toSegment(leader, o.x, o.y) < o.r + 2)) return undefined;
    return { dot, box, leader };
  };
  return new Map(order.map((dot) => [dot, [...platePositions(dot, width(dot), height)].flatMap((box) => fits(dot, box) ?? [])]));
}

/**
 * A plate for as many of `order`'s dots as will take one, none clashing: greedy in
 * `order` (most incidents first), every dot beside its own before any takes a leader
 * line, then repaired. A dot left without a plate takes one whose clashing plates can
 * move elsewhere, or belong to places with fewer incidents between them than it has, so
 * each repair names more places or more incidents' places, and the repairs end.
 */
function choosePlates(order: readonly Dot[], candidates: Map<Dot, Candidate[]>): Map<Dot, Candidate> {
  const chosen = new Map<Dot, Candidate>();
  const clashes = (c: Candidate) => [...chosen.values()].filter((o) => o.dot !== c.dot && clash(c, o));
  for (const leaders of [false, true]) {
    for (const dot of order.filter((d) => !chosen.has(d))) {
      const c = (candidates.get(dot) ?? []).find((c) => (leaders || !c.leader) && clashes(c).length === 0);
      if (c) chosen.set(dot, c);
    }
  }
  for (let changed = true, rounds = 0; changed && rounds < 20; rounds++) {
    changed = false;
    for (const dot of order.filter((d) => !chosen.has(d))) {
      for (const c of candidates.get(dot) ?? []) {
        const blockers = clashes(c);
        if (blockers.length > 3) continue;
        for (const b of blockers) chosen.delete(b.dot);
        chosen.set(dot, c);
        const moved = blockers.map((b) => {
          const other = (candidates.get(b.dot) ?? []).find((o) => clashes(o).length === 0);
          if (other) chosen.set(b.dot, other);
          return other;
        });
        const lost = blockers.filter((_, i) => !moved[i]).reduce((n, b) => n + b.dot.point.count, 0);
        if (lost === 0 || lost < dot.point.count) {
          changed = true;
          break;
        }
        // No gain: put everything back.
        chosen.delete(dot);
        for (const b of blockers) chosen.set(b.dot, b);
      }
    }
  }
  return chosen;
}

/**
 * Each dot, sized by its count, and the names of `labelled` on plates as wide as their
 * text, placed as point-feature labels: candidate positions around each dot (beside it,
 * or within LEADER_MAX with a leader line), chosen greedily by incident count and then
 * repaired. A plate overlaps no other plate, dot or leader line and stays in the frame; a
 * leader line crosses no other line, plate or dot. A place whose name fits nowhere gets
 * a small number by its dot instead (numbered from `firstNumber`; the caption says which
 * place each is), or when even that does not fit, its dot alone, and the caption names
 * it. Each place is one group (leader, dot, plate, name), so what belongs together stays
 * together. What is drawn is added to `claims`, for the country names placed after.
 */
function placeLabels(frame: Box, dots: readonly Dot[], labelled: readonly MapPoint[], claims: Claims, firstNumber: number): PlacedLabels {
  const circle = ({ x, y, r }: Dot) => `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r.toFixed(1)}" class="map__point"/>`;
  const order = dots.filter((d) => labelled.includes(d.point)).sort((a, b) => b.point.count - a.point.count);
  const nameOf = ({ point: p }: Dot) => (p.count > 1 ? `${p.name} (${formatNumber(p.count)})` : p.name);
  const names = choosePlates(order, candidatesOf(frame, dots, order, (d) => labelWidth(nameOf(d), LABEL_SIZE) + 2 * PLATE_PAD, PLATE_HEIGHT, claims));
  const claim = (c: Candidate) => {
    claims.boxes.push(c.box);
    if (c.leader) claims.segments.push(c.leader);
  };
  names.forEach(claim);
  // The places left over are numbered in the order of the caption's list, north to south;
  // every number's plate is as wide as the widest number.
  const left = dots.filter((d) => order.includes(d) && !names.has(d));
  const widest = labelWidth(formatNumber(Math.max(10, firstNumber + left.length - 1)).replace(/\d/g, '0'), NUMBER_SIZE) + 2 * PLATE_PAD;
  const marks = choosePlates(left, candidatesOf(frame, dots, left, () => widest, NUMBER_HEIGHT, claims));
  marks.forEach(claim);
  const numbered = left.filter((d) => marks.has(d)).map((d, i) => ({ point: d.point, n: firstNumber + i }));
  const unnamed = left.filter((d) => !marks.has(d)).map((d) => d.point);
  const rect = ({ box }: Candidate, cls: string) =>
    `<rect x="${box.x0.toFixed(1)}" y="${box.y0.toFixed(1)}" width="${(box.x1 - box.x0).toFixed(1)}" height="${box.y1 - box.y0}" rx="2" class="${cls}"/>`;
  const line = ({ leader }: Candidate) => {
    if (!leader) return '';
    const [x1, y1, x2, y2] = leader.map((v) => v.toFixed(1));
    return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" class="map__leader"/>`;
  };
  // Leader line under the dot, dot under the plate: a group draws them in that order.
  const groups = dots.map((d) => {
    const name = names.get(d);
    if (name) {
      const text = `<text x="${(name.box.x0 + PLATE_PAD).toFixed(1)}" y="${(name.box.y0 + 11).toFixed(1)}"${fitToPlate(nameOf(d), name.box)} class="map__label">${esc(nameOf(d))}</text>`;
      return `<g class="map__place">${line(name)}${circle(d)}${rect(name, 'map__plate')}${text}</g>`;
    }
    const mark = marks.get(d);
    const n = numbered.find((x) => x.point === d.point)?.n;
    if (mark && n !== undefined) {
      // A number sits in the middle of its plate.
      const text = `<text x="${((mark.box.x0 + mark.box.x1) / 2).toFixed(1)}" y="${(mark.box.y0 + 8.5).toFixed(1)}" text-anchor="middle" class="map__number">${formatNumber(n)}</text>`;
      return `<g class="map__place">${line(mark)}${circle(d)}${rect(mark, 'map__plate map__plate--number')}${text}</g>`;
    }
    return `<g class="map__place">${circle(d)}</g>`;
  });
  return { groups, numbered, unnamed };
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
 * Country names, in capitals, where they fit clear of the places' dots, labels and leader lines. The
 * main country (highlight's first) is looked for across its whole visible area, so the
 * reader always learns where the map is; the others only near their middle, if they are
 * large enough to carry a name.
 */
function countryLabels(frame: MapFrame, countries: readonly Country[], highlight: readonly string[], dots: readonly Dot[], claims: Claims): string[] {
  const labels: string[] = [];
  const main = highlight[0];
  const ordered = [...countries].sort((a, b) => Number(b.name === main) - Number(a.name === main));
  for (const country of ordered) {
    const visible = visibleOf(country, frame);
    const [cx, cy] = frame.path.centroid(visible);
    if (!Number.isFinite(cx)) continue;
    const isMain = country.name === main;
    if (!isMain && frame.path.area(visible) <= 4000) continue;
    const text = country.name.toUpperCase();
    const w = labelWidth(text, COUNTRY_SIZE, COUNTRY_TRACKING);
    const fits = (x: number, y: number, onCountry: boolean) => {
      const box = { x0: x - w / 2, y0: y - 10, x1: x + w / 2, y1: y + 3 };
      if (!inside(box, frame.box, 6) || claims.boxes.some((t) => overlaps(box, t, 2))) return undefined;
      if (claims.segments.some((s) => segmentHitsBox(s, grown(box, 2)))) return undefined;
      if (!dots.every((o) => nearest(box, o.x, o.y).d > o.r + 2)) return undefined;
      // The whole name on its own country: its middle and both ends.
      // The points tested are in the view (see `inside` above), so the polygons in view decide (visibleOf).
      const ok = !onCountry || [box.x0, x, box.x1].every((px) => contains(visible, frame.toPlane(px, y - 4)));
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
      claims.boxes.push(box);
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
