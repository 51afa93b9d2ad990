import { asUtc, formatNumber, formatRange, formatShortDate, formatShortDateWithYear, needsYear, weaponName } from '../core/format.js';
import { escapeHtml as esc } from '../core/markdown.js';
import { daysBetween, inWindow, type TalliedIncident, type Window } from '../core/tally.js';

/*
 * The timeline: incidents per day in the window, stacked by weapon type, drawn as SVG
 * at build time. No browser JavaScript, crisp at any zoom and in the PDF, and told
 * apart by pattern as well as shade, so it survives greyscale printing.
 */

export interface Figure {
  /** Inline SVG, with its own title and description for screen readers. */
  svg: string;
  /** The same information as a sentence: the figure's caption and text alternative. */
  caption: string;
  /**
   * The caption as HTML, each name from the brief (a place, a weapon type) in its own
   * <bdi>: in an English sentence an Arabic or Hebrew name keeps its place in the list,
   * and the sentence its order, on a page of either direction.
   */
  captionHtml: string;
}

/** How a caption writes a name from the brief: as it is (plain text), or escaped and isolated (HTML). */
export type NameMark = (name: string) => string;
export const plainName: NameMark = (name) => name;
export const isolatedName: NameMark = (name) => `<bdi>${esc(name)}</bdi>`;

/** An incident's bar segment: its one weapon type, or a label for none or several. */
function category(incident: TalliedIncident['incident']): string {
  const types = [...new Set((incident.weapons ?? []).map((w) => w.type))];
  if (types.length === 0) return 'not reported';
  // Shown in the legend and the caption: an abbreviation in capitals, as in the record.
  return types.length === 1 ? weaponName(types[0] as string) : 'several types';
}

const FILLS = ['url(#fb-fill-0)', 'url(#fb-fill-1)', 'url(#fb-fill-2)', 'url(#fb-fill-3)', 'url(#fb-fill-4)', 'url(#fb-fill-5)'];
// Solid dark, solid light, diagonal lines, dots, cross-hatch, open: distinct in grey.
const PATTERNS = `<defs>
<pattern id="fb-fill-0" width="4" height="4" patternUnits="userSpaceOnUse"><rect width="4" height="4" fill="#0d2f57"/></pattern>
<pattern id="fb-fill-1" width="4" height="4" patternUnits="userSpaceOnUse"><rect width="4" height="4" fill="#9fb3c8"/></pattern>
<pattern id="fb-fill-2" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="5" height="5" fill="#fff"/><rect width="2.2" height="5" fill="#a3161b"/></pattern>
<pattern id="fb-fill-3" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="#fff"/><circle cx="2.5" cy="2.5" r="1.3" fill="#1b1f24"/></pattern>
<pattern id="fb-fill-4" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="#fff"/><path d="M0 0L5 5M5 0L0 5" stroke="#59626d" stroke-width="1"/></pattern>
<pattern id="fb-fill-5" width="4" height="4" patternUnits="userSpaceOnUse"><rect width="4" height="4" fill="#fff"/></pattern>
</defs>`;

/**
 * Incidents per day in the window, stacked by weapon type, with a caption that says the
 * same in words. Drawn only when there is something to compare: at least two incidents
 * over at least two days. One incident is a sentence, not a chart. `published` is the
 * brief's date (YYYY-MM-DD): dates in another year carry theirs.
 */
export function timelineChart(window: Window, records: readonly TalliedIncident[], published?: string): Figure | undefined {
  const { since, until } = window;
  const counted = inWindow(window, records);
  if (since === null || counted.length < 2 || daysBetween(since, until) < 1) return undefined;

  const days = daysBetween(since, until) + 1;
  const dates = Array.from({ length: days }, (_, i) => addDays(since, i));
  const counts = dayCounts(counted);
  const scale = chartScale(counts.perDay, days);
  const key = legend(counts.categories);
  const years = needsYear(dates, published);
  const parts = [...gridLines(scale), ...bars(dates, counts, scale, years), ...key.parts];
  const head = `Incidents per day, ${formatRange(since, until)}, by weapon type.`;
  const caption = `${head} ${perDaySentence(dates, counts.perDay, years, plainName)}.`;
  // The day-by-day list is the chart's text alternative, in the PDF too (read aloud and
  // copied from it); it is marked so that a template can style it apart from the title.
  const captionHtml = `${head}<span class="figure__detail"> ${perDaySentence(dates, counts.perDay, years, isolatedName)}.</span>`;
  return { svg: chartSvg(caption, parts, HEIGHT + (key.rows - 1) * LEGEND_ROW), caption, captionHtml };
}

const WIDTH = 640;
const HEIGHT = 200;
/** Room for the count ticks at the left and the dates and legend below. */
const MARGIN = { top: 16, right: 12, bottom: 44, left: 30 };

/** Incidents per day and category, and the categories in stacking order. */
interface DayCounts {
  perDay: Map<string, Map<string, number>>;
  categories: string[];
}

function dayCounts(counted: readonly TalliedIncident[]): DayCounts {
  const perDay = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  for (const { incident } of counted) {
    const day = perDay.get(incident.date) ?? new Map<string, number>();
    const cat = category(incident);
    day.set(cat, (day.get(cat) ?? 0) + 1);
    perDay.set(incident.date, day);
    totals.set(cat, (totals.get(cat) ?? 0) + 1);
  }
  // Most frequent at the bottom, so the common case reads as one solid base.
  const categories = [...totals.keys()].sort((a, b) => (totals.get(b) ?? 0) - (totals.get(a) ?? 0) || a.localeCompare(b));
  return { perDay, categories };
}

/** A category's fill: by its rank, the last pattern shared by every category past it. */
const fillOf = (categories: readonly string[], cat: string) => FILLS[Math.min(categories.indexOf(cat), FILLS.length - 1)] as string;

/** The count axis (a tick every `step`, up to `top`) and the width each day gets. */
interface ChartScale {
  step: number;
  top: number;
  y: (n: number) => number;
  band: number;
  barW: number;
}

function chartScale(perDay: DayCounts['perDay'], days: number): ChartScale {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  let max = 0;
  for (const day of perDay.values()) max = Math.max(max, [...day.values()].reduce((a, b) => a + b, 0));
  // About four ticks, on whole incidents.
  const step = Math.max(1, Math.ceil(max / 4));
  const top = Math.ceil(max / step) * step;
  const y = (n: number) => MARGIN.top + plotH - (n / top) * plotH;
  const band = plotW / days;
  const barW = Math.max(2, Math.min(band * 0.7, 36));
  return { step, top, y, band, barW };
}

/** The horizontal lines and their counts. */
function gridLines({ step, top, y }: ChartScale): string[] {
  const parts: string[] = [];
  for (let n = 0; n <= top; n += step) {
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(n).toFixed(1)}" y2="${y(n).toFixed(1)}" stroke="#cfd5dc" stroke-width="${n === 0 ? 1.2 : 0.6}"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${(y(n) + 3.5).toFixed(1)}" text-anchor="end" class="chart__tick">${n}</text>`);
  }
  return parts;
}

/** A stacked bar per day, and its date under it (every day, or about ten of them on a long window). */
function bars(dates: readonly string[], { perDay, categories }: DayCounts, { y, band, barW }: ChartScale, years: boolean): string[] {
  const parts: string[] = [];
  // A label with its year ("Dec 20, 2023") is about 64 units wide: across a new year the
  // labels are spaced so that it never runs into its neighbours.
  const labelEvery = Math.max(dates.length <= 16 ? 1 : Math.ceil(dates.length / 10), years ? Math.ceil(LONG_LABEL / band) : 1);
  let shown: string | undefined;
  let taken = -Infinity;
  dates.forEach((date, i) => {
    const x = MARGIN.left + band * i + (band - barW) / 2;
    let base = 0;
    for (const cat of categories) {
      const n = perDay.get(date)?.get(cat) ?? 0;
      if (n === 0) continue;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(base + n).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + n)).toFixed(1)}" fill="${fillOf(categories, cat)}" stroke="#1b1f24" stroke-width="0.6"/>`,
      );
      base += n;
    }
    if (i % labelEvery === 0) {
      const label = tickLabel(date, shown, years);
      const placed = placeTick(MARGIN.left + band * i + band / 2, label, taken);
      if (placed) {
        parts.push(`<text x="${placed.x.toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 14}" text-anchor="${placed.anchor}" class="chart__tick">${esc(label)}</text>`);
        taken = placed.right;
        shown = date;
      }
    }
  });
  return parts;
}

/** A generous width of one character of a date label (11px Source Sans 3 and its fallbacks), in chart units. */
const TICK_CHAR = 5.8;

/**
 * Where a date label goes: centred under its day, or moved in (anchored at its start or
 * end) where centring would run it past the chart's edge, which clips it. A label that
 * would then touch the one before it (right edge `taken`) is left out: the caption lists
 * every day.
 */
function placeTick(centre: number, label: string, taken: number): { x: number; anchor: string; right: number } | undefined {
  const width = label.length * TICK_CHAR;
  let placed = { x: centre, anchor: 'middle', left: centre - width / 2, right: centre + width / 2 };
  if (placed.right > WIDTH - 1) placed = { x: WIDTH - 1, anchor: 'end', left: WIDTH - 1 - width, right: WIDTH - 1 };
  else if (placed.left < 1) placed = { x: 1, anchor: 'start', left: 1, right: 1 + width };
  return placed.left < taken + 4 ? undefined : placed;
}

const LONG_LABEL = 66;

/**
 * A day's tick: the month is named on the first tick and on the first tick of each new
 * month (whether or not the 1st itself has a tick), the year on the first tick and on
 * the first of each new year when the chart spans two; other ticks are day numbers.
 */
function tickLabel(date: string, previous: string | undefined, years: boolean): string {
  if (years && previous?.slice(0, 4) !== date.slice(0, 4)) return formatShortDateWithYear(date);
  if (previous?.slice(0, 7) !== date.slice(0, 7)) return formatShortDate(date);
  return String(Number(date.slice(8)));
}

/** A swatch and name per category, in a row along the bottom. */
/** The height of one more row of legend, when the weapon types do not fit on one line. */
const LEGEND_ROW = 16;

/**
 * The key to the bars' fills, one swatch and name per weapon type, wrapped onto more rows
 * (and the chart made taller) when the names do not fit the width: a long or numerous set
 * of names would otherwise run off the chart's right edge. Widths are estimated at 6.2
 * units a character.
 */
function legend(categories: readonly string[]): { parts: string[]; rows: number } {
  const parts: string[] = [];
  let x = MARGIN.left;
  let row = 0;
  for (const cat of categories) {
    const width = 15 + cat.length * 6.2;
    if (x > MARGIN.left && x + width > WIDTH - MARGIN.right) {
      row += 1;
      x = MARGIN.left;
    }
    const y = HEIGHT + row * LEGEND_ROW;
    parts.push(`<rect x="${x}" y="${y - 16}" width="11" height="11" fill="${fillOf(categories, cat)}" stroke="#1b1f24" stroke-width="0.6"/>`);
    parts.push(`<text x="${x + 15}" y="${y - 6.5}" class="chart__legend">${esc(cat)}</text>`);
    x += width + 18;
  }
  return { parts, rows: row + 1 };
}

/** The chart in words, day by day: the caption's second half and the screen reader's description. */
function perDaySentence(dates: readonly string[], perDay: DayCounts['perDay'], years: boolean, mark: NameMark): string {
  const dayText = years ? formatShortDateWithYear : formatShortDate;
  return dates
    .filter((d) => perDay.has(d))
    .map((d) => {
      const day = [...(perDay.get(d) as Map<string, number>)];
      const total = day.reduce((sum, [, n]) => sum + n, 0);
      const cats = day.map(([c, n]) => (n > 1 ? `${mark(c)} ×${formatNumber(n)}` : mark(c))).join(', ');
      return `${dayText(d)}: ${formatNumber(total)} (${cats})`;
    })
    .join('; ');
}

function chartSvg(caption: string, parts: readonly string[], height = HEIGHT): string {
  return (
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="fb-chart-title fb-chart-desc" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="fb-chart-title">Incidents per day</title><desc id="fb-chart-desc">${esc(caption)}</desc>` +
    PATTERNS +
    parts.join('') +
    '</svg>'
  );
}

function addDays(iso: string, n: number): string {
  return new Date(asUtc(iso).getTime() + n * 86_400_000).toISOString().slice(0, 10);
}
