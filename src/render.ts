import Handlebars from 'handlebars';
import slugify from '@sindresorhus/slugify';
import { formatDate, formatNumber, formatRange } from './format.js';
import type { Brief } from './schema.js';
import type { Tally } from './tally.js';

/** A template as text: the pure renderer never touches the disk (see template.ts for loading). */
export const DEFAULT_LABEL = 'Flash Brief';

export interface TemplateSource {
  name: string;
  layout: string;
  partials: Record<string, string>;
  /** Path of the stylesheet relative to the page, e.g. assets/flash-brief/brief.css. */
  stylesheet: string;
}

/** Markdown fields after placeholders and Markdown have run: sanitized HTML strings. */
export interface RenderedProse {
  summary?: string;
  /** The summary as plain text, for meta description and PDF subject. */
  summaryText?: string;
  developments: string;
  analysis: string[];
  background: string[];
  incidents: (string | undefined)[];
}

export interface RenderOptions {
  pageSize: 'Letter' | 'A4';
  generator: string;
}

export type Renderer = (brief: Brief, tally: Tally, prose: RenderedProse, options: RenderOptions) => string;

/**
 * Compiles a template once; the returned function renders any number of briefs. Our own
 * Handlebars environment (not the global one), escaping everything by default: the only
 * raw HTML that reaches a page is our sanitized Markdown, passed as SafeString, so
 * templates never need a triple-stash.
 */
export function createRenderer(template: TemplateSource): Renderer {
  const hbs = Handlebars.create();
  for (const [name, text] of Object.entries(template.partials)) {
    hbs.registerPartial(name, hbs.compile(text, { strict: false, preventIndent: true }));
  }
  const layout = hbs.compile(template.layout, { preventIndent: true });
  return (brief, tally, prose, options) =>
    layout(briefView(brief, tally, prose, options, template.stylesheet), {
      allowProtoPropertiesByDefault: false,
      allowProtoMethodsByDefault: false,
    });
}

const safe = (html: string | undefined) => (html === undefined ? undefined : new Handlebars.SafeString(html));

/** "A", "A and B", "A, B and C" */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 2) return names.join(' and ');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** What the templates see: every value ready to print, so templates stay free of logic. */
export function briefView(
  brief: Brief,
  tally: Tally,
  prose: RenderedProse,
  options: RenderOptions,
  stylesheet: string,
) {
  const authors = brief.authors ?? [];
  const ids = new Set<string>();
  const anchor = (heading: string) => {
    const base = slugify(heading) || 'section';
    let id = base;
    for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
    ids.add(id);
    return id;
  };
  return {
    lang: brief.lang ?? 'en',
    title: brief.title,
    label: brief.label ?? DEFAULT_LABEL,
    description: prose.summaryText,
    date: { iso: brief.date, text: formatDate(brief.date) },
    authors,
    byline: joinNames(authors.map((a) => a.name)),
    summary: safe(prose.summary),
    developments: safe(prose.developments),
    analysis: (brief.analysis ?? []).map((q, i) => ({
      quote: safe(prose.analysis[i]),
      name: q.name,
      role: q.role,
      paraphrase: q.paraphrase === true,
    })),
    background: (brief.background ?? []).map((s, i) => ({
      heading: s.heading,
      id: anchor(s.heading),
      body: safe(prose.background[i]),
    })),
    related: (brief.related ?? []).map((r) => ({
      title: r.title,
      url: r.url,
      source: r.source,
      authors: r.authors ? joinNames(r.authors) : undefined,
    })),
    topics: brief.topics ?? [],
    tally: tallyView(brief, tally),
    stylesheet,
    pageStyle: new Handlebars.SafeString(pageCss(brief.title, brief.label ?? DEFAULT_LABEL, options.pageSize)),
    generator: options.generator,
    keywords: (brief.topics ?? []).join(', '),
    authorNames: authors.map((a) => a.name).join(', '),
  };
}

function tallyView(brief: Brief, tally: Tally) {
  if (tally.total === 0) return undefined;
  const list = (counts: Record<string, number>) =>
    Object.entries(counts).map(([name, count]) => ({ name, count: formatNumber(count) }));
  const weapons = Object.entries(tally.byWeapon).map(([type, w]) => ({
    type,
    incidents: formatNumber(w.incidents),
    // The fonts' Latin subsets have no "≥"; "10+" reads as "at least 10" in any font.
    munitions: `${formatNumber(w.munitions)}${w.exact ? '' : '+'}`,
    exact: w.exact,
  }));
  return {
    heading: brief.tally?.heading ?? 'Incident tally',
    total: formatNumber(tally.total),
    totalWord: tally.total === 1 ? 'incident' : 'incidents',
    fresh: tally.new === tally.total ? undefined : formatNumber(tally.new),
    window: tally.since === null ? '' : formatRange(tally.since, tally.until),
    days: formatNumber(tally.days),
    daysWord: tally.days === 1 ? 'day' : 'days',
    countries: list(tally.byCountry),
    locations: list(tally.byLocation),
    weapons,
    someInexact: weapons.some((w) => !w.exact),
    killed: formatNumber(tally.killed),
    injured: formatNumber(tally.injured),
    claimed: formatNumber(tally.claimed),
  };
}

/**
 * Page size and the running title belong to @page, which only a stylesheet can set.
 * The title becomes a CSS string with every character outside a plain set escaped,
 * so no brief text can end the string or the <style> element.
 */
function pageCss(title: string, label: string, size: 'Letter' | 'A4'): string {
  return [
    `@page { size: ${size}; @top-left { content: ${cssString(title)}; } @bottom-left { content: ${cssString(label)}; } }`,
    '@page :first { @top-left { content: none; } }',
  ].join('\n');
}

/** Every character outside a plain set becomes a CSS escape, so no text can end the string or the <style>. */
export const cssString = (text: string): string =>
  `"${[...text].map((ch) => (/[A-Za-z0-9 ,.:;!?'()-]/.test(ch) ? ch : `\\${ch.codePointAt(0)?.toString(16)} `)).join('')}"`;
