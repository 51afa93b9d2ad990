import { geoIdentity, geoMercator, geoPath, geoStream, type GeoPermissibleObjects } from 'd3-geo';
import { feature } from 'topojson-client';
import type { Figure } from './timeline.js';
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

/**
 * The locator map of a brief's incidents, with the countries named in `highlight`
 * shaded: a figure with its caption, or undefined when no incident could be placed.
 */
export function locatorMap(points: readonly MapPoint[], highlight: readonly string[]): Figure | undefined {
  if (points.length === 0) return undefined;
  const frame = mapFrame(points);
  const { shapes, labels } = countryShapes(frame, highlight);
  const marks = pointMarks(frame, points);
  const list = points.map((p) => `${p.name} (${formatNumber(p.count)})`).join(', ');
  const caption = `Incident locations: ${list}. Borders: Natural Earth.`;
  // Drawn in this order so labels sit over every border and the points over every label.
  return { svg: mapSvg(caption, [...shapes, ...labels, ...marks]), caption };
}

/** What one map looks through: where a coordinate lands, how a planar shape is drawn, and what is in sight. */
interface MapFrame {
  projection: ReturnType<typeof geoMercator>;
  path: ReturnType<typeof geoPath>;
  inView: (country: Country) => boolean;
}

/** `lo`..`hi` widened by a margin, and to at least `min` degrees. */
function span(lo: number, hi: number, min: number): readonly [number, number] {
  const pad = Math.max((hi - lo) * 0.25, (min - (hi - lo)) / 2, 0.5);
  return [lo - pad, hi + pad] as const;
}

/** The view around the points, as a projection for them and a clipped view of the unit plane for the countries. */
function mapFrame(points: readonly MapPoint[]): MapFrame {
  // The view: every point with a margin, and never narrower than a region (6 degrees),
  // so a single base still shows the borders around it.
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  // Mercator runs to infinity at the poles: the view stays between 80 degrees south and 84 north.
  const [south, north] = span(Math.min(...lats), Math.max(...lats), 6).map((v) => Math.max(-80, Math.min(84, v))) as [number, number];
  const [west, east] = span(Math.min(...lons), Math.max(...lons), 8).map((v) => Math.max(-180, Math.min(180, v))) as [number, number];
  const projection = geoMercator()
    .fitExtent(
      [
        [8, 8],
        [WIDTH - 8, HEIGHT - 8],
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
      [0, 0],
      [WIDTH, HEIGHT],
    ]);
  const path = geoPath(view).digits(1);
  // Countries wholly outside the frame are not drawn at all.
  const [x0, y0, x1, y1] = [-tx / k, -ty / k, (WIDTH - tx) / k, (HEIGHT - ty) / k];
  const inView = ({ box }: Country) => !box || (box[2] >= x0 && box[0] <= x1 && box[3] >= y0 && box[1] <= y1);
  return { projection, path, inView };
}

/** The countries in view as paths, and the names of those large enough to carry one. */
function countryShapes({ path, inView }: MapFrame, highlight: readonly string[]): { shapes: string[]; labels: string[] } {
  const shapes: string[] = [];
  const labels: string[] = [];
  for (const country of worldCountries().filter(inView)) {
    const planar = planarOf(country);
    const d = path(planar);
    if (!d) continue;
    const active = highlight.includes(country.name);
    shapes.push(`<path d="${d}" class="map__country${active ? ' map__country--active' : ''}"/>`);
    const [cx, cy] = path.centroid(planar);
    const area = path.area(planar);
    if (Number.isFinite(cx) && cx > 40 && cx < WIDTH - 40 && cy > 20 && cy < HEIGHT - 20 && area > 4000) {
      labels.push(`<text x="${cx.toFixed(1)}" y="${cy.toFixed(1)}" text-anchor="middle" class="map__country-label">${esc(country.name.toUpperCase())}</text>`);
    }
  }
  return { shapes, labels };
}

/** Each point as a dot sized by its count, with its name on a plate beside it. */
function pointMarks({ projection }: MapFrame, points: readonly MapPoint[]): string[] {
  // Labels go right of their point, or left near the right edge; a label that would
  // overlap one already placed moves down a line.
  const placed: { x: number; y: number; w: number }[] = [];
  const marks: string[] = [];
  for (const p of points) {
    const xy = projection([p.lon, p.lat]);
    if (!xy) continue;
    const [x, y] = xy;
    const r = 3.5 + Math.sqrt(p.count) * 1.5;
    const text = p.count > 1 ? `${p.name} (${formatNumber(p.count)})` : p.name;
    const w = text.length * 6.4;
    const right = x + r + 4 + w < WIDTH - 4;
    let ly = y + 4;
    const lx = right ? x + r + 4 : x - r - 4;
    const left = right ? lx : lx - w;
    while (placed.some((q) => Math.abs(q.y - ly) < 13 && left < q.x + q.w && left + w > q.x)) ly += 13;
    placed.push({ x: left, y: ly, w });
    marks.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r.toFixed(1)}" class="map__point"/>`);
    marks.push(`<rect x="${(left - 2).toFixed(1)}" y="${(ly - 11).toFixed(1)}" width="${(w + 4).toFixed(1)}" height="15" rx="2" class="map__plate"/>`);
    marks.push(
      `<text x="${lx.toFixed(1)}" y="${ly.toFixed(1)}" text-anchor="${right ? 'start' : 'end'}" class="map__label">${esc(text)}</text>`,
    );
  }
  return marks;
}

/** The SVG element: sea, the drawn layers, then the frame, titled and described for screen readers. */
function mapSvg(caption: string, layers: readonly string[]): string {
  return (
    `<svg class="map" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="fb-map-title fb-map-desc" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="fb-map-title">Locator map</title><desc id="fb-map-desc">${esc(caption)}</desc>` +
    `<rect width="${WIDTH}" height="${HEIGHT}" class="map__sea"/>` +
    layers.join('') +
    `<rect width="${WIDTH}" height="${HEIGHT}" class="map__frame"/>` +
    '</svg>'
  );
}
