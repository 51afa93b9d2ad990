import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import slugify from '@sindresorhus/slugify';
import { firstStrongDirection, formatDate, formatDateTime, formatNumber, formatRange, shortDateFormatFor, textDirection, weaponCount, weaponName } from '../core/format.js';
import type { Figure } from '../figures/timeline.js';
import { drawableDashes } from '../core/typography.js';
import type { Config } from '../core/config.js';
import type { Brief, Incident } from '../core/schema.js';
import type { Dimension, Tally } from '../core/tally.js';
import { briefSettings, DEFAULTS, siteSettings } from '../core/settings.js';
import { sameAddress } from '../core/markdown.js';
import { contentSecurityPolicy, withContentSecurityPolicy } from './csp.js';

/** A template as text: the pure renderer never touches the disk (see project/templates.ts for loading). */
export const DEFAULT_LABEL = DEFAULTS.label;

export interface TemplateSource {
  name: string;
  layout: string;
  partials: Record<string, string>;
  /** Path of the stylesheet relative to the page, e.g. assets/brief.3f2a9c1e07.css. */
  stylesheet: string;
  /** The site's index and topic pages (index.hbs), when the template has one. */
  index?: string;
}

/** Markdown fields after placeholders and Markdown have run: sanitized HTML strings. */
export interface RenderedProse {
  summary?: string;
  /** The summary as plain text, for meta description and PDF subject. */
  summaryText?: string;
  developments: string;
  analysis: string[];
  background: string[];
  corrections: string[];
}

/** Everything a page shows, computed by the core; the renderer only arranges it. */
export interface RenderInput {
  brief: Brief;
  tally: Tally;
  prose: RenderedProse;
  figures: { timeline?: Figure; map?: Figure };
  /**
   * The incidents the tally counts, in date order, with their summaries as sanitized HTML
   * and, for a revision, the version it revises (what the record says changed).
   */
  annex: { incident: Incident; summary?: string; previous?: Incident }[];
  /** The latest earlier brief of the series: what "new" is new since. */
  previous?: { date: string; title: string; slug: string };
  /** The latest earlier brief of the series that is published: where a reader goes back to. */
  back?: { date: string; title: string; slug: string };
  /** The earliest later brief of the series that is published: where a reader goes on to. */
  next?: { date: string; title: string; slug: string };
  slug: string;
}

export interface RenderOptions {
  pageSize: 'Letter' | 'A4';
  generator: string;
  config: Config;
  /** A PDF is published beside the page, so the page links to it. */
  pdf: boolean;
  /** The build's clock, for embargoes; injectable so tests and rebuilds can fix it. */
  now: Date;
  /** The logo's path in the output (assets/logo.<hash>.svg), when one is configured. */
  logo?: string;
  /** The site's index and topic pages are written beside the page, so the page links to them. */
  site?: boolean;
  /** The project's own font files (brief.config.yaml fonts.files), each an @font-face of the page. */
  fontFaces?: readonly BrandFontFace[];
}

/** One font file of the project as the page loads it: what its own tables say, and where it is. */
export interface BrandFontFace {
  /** The family the font's name table gives (what fonts.body and fonts.headings name). */
  family: string;
  /** The weight (usWeightClass, 1 to 1000), or the range a variable font's wght axis spans. */
  weight: number | readonly [number, number];
  style: 'normal' | 'italic';
  /** Output-relative path of the content-named file, e.g. assets/BrandSans-Bold.3f2a9c1e07.woff2. */
  src: string;
  format: 'woff2' | 'woff' | 'truetype' | 'opentype';
}

/** The most characters of a topic's slug that its page's file name keeps (see topicPath). */
const TOPIC_SLUG_CHARS = 80;

/** A topic name as topics are told apart: names equal after this (`Iran`, `IRAN`) share one page. */
export const topicKey = (topic: string): string => topic.toLowerCase();

/**
 * Where a topic's page is, from the site's root: `topics/<slug>.html` for a name that its
 * slug spells out (its lower case is the slug with spaces for hyphens, such as "Middle
 * East"), else `topics/<slug, at most 80 characters>-<8 hex digits>.html`, the digits a
 * hash of the name's lower case (topicKey). So two names get one page only when they differ
 * in case alone: "C++" and "C#", "a-b", "a b" and "a/b", "index" and "../index" each get
 * their own, where the slug alone once gave them one page, headed by one name. A plain
 * slug never ends in a hyphen and 8 hex digits (such a name is hashed too), so a plain
 * page is never a hashed one's. File names stay under 100 bytes (ASCII), however long the name.
 */
export function topicPath(topic: string): string {
  const key = topicKey(topic);
  const slug = slugify(key);
  const plain = slug !== '' && slug.length <= TOPIC_SLUG_CHARS && key === slug.replace(/-/g, ' ') && !/-[0-9a-f]{8}$/.test(slug);
  if (plain) return `topics/${slug}.html`;
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 8);
  const cut = slug.slice(0, TOPIC_SLUG_CHARS).replace(/-+$/, '');
  return `topics/${cut === '' ? 'topic' : cut}-${hash}.html`;
}

/** A page for the site, or a fragment (the brief alone, in a scoped wrapper) for a CMS. */
export type Part = 'page' | 'fragment';
export type PageRenderer = (input: RenderInput, options: RenderOptions, part?: Part) => string;

/** The class that scopes a fragment and its stylesheet, so a CMS page's own styles and ours do not mix. */
export const FRAGMENT_SCOPE = 'flashbrief';

/**
 * Compiles a template once; the returned function renders any number of briefs. Our own
 * Handlebars environment (not the global one), escaping everything by default: the only
 * raw HTML that reaches a page is our sanitized Markdown, passed as SafeString, so
 * templates never need a triple-stash.
 */
export function createPageRenderer(template: TemplateSource): PageRenderer {
  // Handlebars compiles a template when it first renders: kept per template, a build in a
  // process that built before (serve's rebuild after a save) does not compile it again
  // (was a sixth of such a rebuild). templates.ts hands out the same template while its files are unchanged.
  let renderer = pageRenderers.get(template);
  if (!renderer) pageRenderers.set(template, (renderer = compilePageRenderer(template)));
  return renderer;
}

const pageRenderers = new WeakMap<TemplateSource, PageRenderer>();

function compilePageRenderer(template: TemplateSource): PageRenderer {
  const hbs = Handlebars.create();
  for (const [name, text] of Object.entries(template.partials)) {
    hbs.registerPartial(name, hbs.compile(text, { strict: false, preventIndent: true }));
  }
  const parts = {
    page: hbs.compile(template.layout, { preventIndent: true }),
    fragment: hbs.compile(`<div class="${FRAGMENT_SCOPE}" lang="{{lang}}" dir="{{dir}}">\n{{> brief}}\n</div>\n`, { preventIndent: true }),
  };
  return (input, options, part = 'page') => {
    const view = briefView(input, options, template.stylesheet);
    const html = drawableDashes(parts[part](view, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false }));
    // A layout that forgot {{csp}} gets the policy all the same: no page goes out without it.
    // A fragment is not a page: the CMS page around it has its own head.
    return part === 'page' ? withContentSecurityPolicy(html, view.csp) : html;
  };
}

/** A quotation mark that can open a quote, in the conventions of the languages briefs quote. */
const QUOTE_MARK = /^["'\u2018\u201a\u201b\u201c\u201e\u201f\u00ab\u00bb\u2039\u203a\u300c\u300e\u301d\uff02]/u;

/** An error Handlebars raises while rendering (a partial or helper it cannot find): the template's, not ours. */
export const isTemplateException = (err: unknown): err is Error => err instanceof Handlebars.Exception;

const safe = (html: string | undefined) => (html === undefined ? undefined : new Handlebars.SafeString(html));

/** "A", "A and B", "A, B and C" */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 2) return names.join(' and ');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** What the templates see: every value ready to print, so templates stay free of logic. */
export function briefView(input: RenderInput, options: RenderOptions, stylesheet: string) {
  const { brief, prose } = input;
  const authors = brief.authors ?? [];
  const ids = new Set<string>();
  const anchor = (heading: string) => {
    const base = slugify(heading) || 'section';
    let id = base;
    for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
    ids.add(id);
    return id;
  };
  const { config } = options;
  const { label, lang } = briefSettings(brief, config);
  const style = pageCss(brief.title, config.footer ?? label, config.header, options.pageSize, config, options.fontFaces ?? []);
  const siteUrl = config.site?.url;
  const canonical = siteUrl ? new URL(`${input.slug}.html`, siteUrl).href : undefined;
  return {
    lang,
    dir: textDirection(lang),
    en: fixedTextAttributes(lang),
    title: brief.title,
    label,
    organization: config.organization,
    logo: options.logo,
    disclaimer: config.disclaimer,
    pdfHref: options.pdf ? `${input.slug}.pdf` : undefined,
    asOf: brief.as_of && { iso: brief.as_of, text: formatDateTime(brief.as_of) },
    embargo: isEmbargoed(brief, options.now) ? { iso: brief.embargo, text: formatDateTime(brief.embargo as string) } : undefined,
    corrections: (brief.corrections ?? []).map((c, i) => ({ date: { iso: c.date, text: formatDate(c.date) }, text: safe(prose.corrections[i]) })),
    canonical,
    jsonLd: new Handlebars.SafeString(
      jsonForHtml({
        '@context': 'https://schema.org',
        '@type': 'Report',
        headline: brief.title,
        datePublished: brief.date,
        inLanguage: lang,
        ...(prose.summaryText ? { description: prose.summaryText } : {}),
        ...(canonical ? { url: canonical } : {}),
        ...(authors.length > 0 ? { author: authors.map((a) => ({ '@type': 'Person', name: a.name, ...(a.role ? { jobTitle: a.role } : {}) })) } : {}),
        ...(brief.topics?.length ? { keywords: brief.topics.join(', ') } : {}),
        ...(config.organization ? { publisher: { '@type': 'Organization', name: config.organization } } : {}),
      }),
    ),
    description: prose.summaryText,
    date: { iso: brief.date, text: formatDate(brief.date) },
    authors,
    byline: joinNames(authors.map((a) => a.name)),
    summary: safe(prose.summary),
    developments: safe(prose.developments),
    analysis: (brief.analysis ?? []).map((q, i) => ({
      quote: safe(prose.analysis[i]),
      // A quote written with its own marks ("«Это недопустимо»", "“这是…”") gets none added.
      marked: QUOTE_MARK.test(q.quote.trimStart()),
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
      // A title that is its own address is already printed in full: paper gives it once.
      printed: sameAddress(r.title, r.url) ? undefined : printedUrl(r.url),
      source: r.source,
      authors: r.authors ? joinNames(r.authors) : undefined,
    })),
    topics: brief.topics ?? [],
    // The same topics with their pages, when the site is written (else no link leads anywhere).
    topicLinks: (brief.topics ?? []).map((name) => ({ name, href: options.site ? topicPath(name) : undefined })),
    seriesNav: seriesNav(input, options),
    tally: tallyView(input, anchor),
    timeline: input.figures.timeline && figureView(input.figures.timeline),
    map: input.figures.map && figureView(input.figures.map),
    annex: annexView(input),
    // A record of one or two incidents: print sets the figures smaller, so that such a
    // brief fits one page instead of spilling its record and closing lines onto a second.
    fewIncidents: input.annex.length > 0 && input.annex.length <= 2,
    stylesheet,
    pageStyle: new Handlebars.SafeString(style),
    csp: contentSecurityPolicy(style),
    generator: options.generator,
    keywords: (brief.topics ?? []).join(', '),
    authorNames: authors.map((a) => a.name).join(', '),
  };
}

/**
 * The way on from a brief: the previous and next briefs of its series, and the site's
 * index. Undefined when there is nowhere to go, so no empty navigation is drawn.
 */
function seriesNav({ back: previous, next }: RenderInput, options: RenderOptions) {
  const link = (b: { date: string; title: string; slug: string } | undefined) =>
    b && { href: `${b.slug}.html`, title: b.title, date: { iso: b.date, text: formatDate(b.date) } };
  const home = options.site ? { href: 'index.html', title: siteSettings(options.config).title } : undefined;
  if (!previous && !next && !home) return undefined;
  return { previous: link(previous), next: link(next), home };
}

/** Embargoed until its moment has passed; a time without an offset is read as UTC. */
export const isEmbargoed = (brief: Pick<Brief, 'embargo'>, now: Date): boolean => (embargoLifts(brief) ?? -Infinity) > now.getTime();

/** When a brief's embargo lifts, in milliseconds since the epoch (a time without a zone is UTC); undefined for none. */
export const embargoLifts = (brief: Pick<Brief, 'embargo'>): number | undefined =>
  brief.embargo === undefined ? undefined : Date.parse(/T.*(Z|[+-]\d\d:\d\d)$/.test(brief.embargo) || !brief.embargo.includes('T') ? brief.embargo : `${brief.embargo}Z`);

/**
 * The short date format of the incident record and its tables: with the year whenever
 * the window or the record (incidents and their revisions) reaches into a second year.
 */
function recordDay({ tally, annex, brief }: RenderInput): (iso: string) => string {
  const dates = annex.flatMap(({ incident }) => [incident.date, ...(incident.revised === undefined ? [] : [incident.revised])]);
  return shortDateFormatFor([...dates, ...(tally.since === null ? [] : [tally.since, tally.until])], brief.date);
}

// The caption's HTML isolates each name from the brief in its own direction (escaped in src/figures).
const figureView = (figure: Figure) => ({ svg: new Handlebars.SafeString(figure.svg), caption: new Handlebars.SafeString(figure.captionHtml) });

/**
 * The attributes of the templates' own fixed English text (headings, labels, "(not
 * claimed)") on a page in another language: lang="en" for screen readers and hyphenation,
 * and on a right-to-left page dir="ltr", so that an English phrase reads left to right
 * with its numbers and full stop where English puts them rather than being reordered by
 * the page's direction. Nothing on an English page.
 */
export function fixedTextAttributes(lang: string): Handlebars.SafeString {
  const english = lang.toLowerCase().split(/[-_]/)[0] === 'en';
  const rtl = textDirection(lang) === 'rtl';
  return new Handlebars.SafeString(`${english ? '' : ' lang="en"'}${rtl ? ' dir="ltr"' : ''}`);
}

/** The id an incident's annex row carries, so tally numbers can point at it. */
const incidentAnchor = (incident: Incident, index: number) => `incident-${incident.id ?? index + 1}`;

const keyOf: Record<Dimension, (i: Incident) => string[]> = {
  country: (i) => [i.country],
  location: (i) => [i.location],
  perpetrator: (i) => (i.perpetrator === undefined ? [] : [i.perpetrator]),
  weapon: (i) => [...new Set((i.weapons ?? []).map((w) => w.type))],
};

function tallyView(input: RenderInput, anchor: (s: string) => string) {
  const { brief, tally, annex, previous } = input;
  if (tally.total === 0) return undefined;
  const day = recordDay(input);
  // Each number links to the list of the incidents behind it (HTML; print hides the lists).
  const behind = (Object.keys(keyOf) as Dimension[]).flatMap((dimension) => {
    const groups = new Map<string, { href: string; label: string }[]>();
    annex.forEach(({ incident }, index) => {
      for (const key of keyOf[dimension](incident)) {
        const list = groups.get(key) ?? [];
        list.push({ href: `#${incidentAnchor(incident, index)}`, label: incident.id ?? `${incident.date} ${incident.location}` });
        groups.set(key, list);
      }
    });
    return [...groups].map(([name, incidents]) => ({ id: anchor(`count-${dimension}-${name}`), dimension, name, incidents }));
  });
  const link = (dimension: Dimension, name: string) => `#${behind.find((b) => b.dimension === dimension && b.name === name)?.id ?? ''}`;
  const list = (dimension: Dimension, counts: Record<string, number>) =>
    Object.entries(counts).map(([name, count]) => ({ name, count: formatNumber(count), href: link(dimension, name), other: false }));
  const weapons = Object.entries(tally.byWeapon).map(([type, w]) => ({
    type,
    // As shown: an abbreviation in capitals ("IED"); `type` stays the key as written.
    name: weaponName(type),
    incidents: formatNumber(w.incidents),
    // The fonts' Latin subsets have no "≥"; "10+" reads as "at least 10" in any font.
    munitions: `${formatNumber(w.munitions)}${w.exact ? '' : '+'}`,
    launched: `${w.exact ? '' : 'at least '}${formatNumber(w.munitions)}`,
    exact: w.exact,
    href: link('weapon', type),
    // True only on the tally box's row for the rest of a long list (boxList).
    other: false,
  }));
  // The tally box shows the longest lists cut short (see boxList); the record keeps them whole.
  const other = (n: number, what: string) => `${formatNumber(n)} other ${what}`;
  const countries = list('country', tally.byCountry);
  const locationRows = list('location', tally.byLocation);
  const box = {
    countries: boxList(countries, (rest) => ({ name: other(rest.length, 'countries'), count: sumOf(rest, tally.byCountry), href: '#incident-record', other: true })),
    locations: boxList(locationRows, (rest) => ({ name: other(rest.length, 'places'), count: sumOf(rest, tally.byLocation), href: '#incident-record', other: true })),
    weapons: boxList(weapons, (rest) => {
      // An incident may use several types, so the rest counts incidents, not the types' sum;
      // and its launches only when every one of them is known.
      const types = new Set(rest.map((w) => w.type));
      const incidents = annex.filter(({ incident }) => (incident.weapons ?? []).some((w) => types.has(w.type))).length;
      const rows = rest.map((w) => tally.byWeapon[w.type] as Tally['byWeapon'][string]);
      const exact = rows.every((w) => w.exact);
      return {
        type: other(rest.length, 'types'),
        name: other(rest.length, 'types'),
        incidents: formatNumber(incidents),
        munitions: exact ? formatNumber(rows.reduce((sum, w) => sum + w.munitions, 0)) : '',
        href: '#incident-record',
        other: true,
      };
    }),
  };
  const firstLast = new Map<string, { first: string; last: string }>();
  for (const { incident } of annex) {
    const seen = firstLast.get(incident.location);
    firstLast.set(incident.location, {
      first: seen && seen.first < incident.date ? seen.first : incident.date,
      last: seen && seen.last > incident.date ? seen.last : incident.date,
    });
  }
  return {
    heading: brief.tally?.heading ?? 'Incident tally',
    total: formatNumber(tally.total),
    totalHref: '#incident-record',
    totalWord: tally.total === 1 ? 'incident' : 'incidents',
    sinceLast:
      previous && tally.new < tally.total
        ? {
            fresh: formatNumber(tally.new),
            date: formatDate(previous.date),
            href: `${previous.slug}.html`,
            title: previous.title,
          }
        : undefined,
    window: tally.since === null ? '' : formatRange(tally.since, tally.until),
    days: formatNumber(tally.days),
    daysWord: tally.days === 1 ? 'day' : 'days',
    countries,
    locations: locationRows.map((l) => ({
      ...l,
      country: annex.find(({ incident }) => incident.location === l.name)?.incident.country,
      first: day(firstLast.get(l.name)?.first ?? ''),
      last: day(firstLast.get(l.name)?.last ?? ''),
    })),
    perpetrators: list('perpetrator', tally.byPerpetrator),
    weapons,
    box,
    // The note explains "N+" with a number the reader can actually see in the table.
    inexactExample: Object.values(tally.byWeapon).find((w) => !w.exact)?.munitions,
    killed: formatNumber(tally.killed),
    injured: formatNumber(tally.injured),
    claimed: formatNumber(tally.claimed),
    compare: (brief.compare ?? []).map((c) => {
      const difference = c.figure - tally.total;
      return {
        source: c.source,
        figure: formatNumber(c.figure),
        asOf: formatDate(c.as_of),
        url: c.url,
        printed: c.url && printedUrl(c.url),
        note: c.note,
        difference:
          difference === 0 ? 'the same as ours' : `${formatNumber(Math.abs(difference))} ${difference > 0 ? 'more' : 'fewer'} than ours`,
      };
    }),
    behind,
  };
}

/** Rows a list of the tally box shows at most: a longer one pushed the box off page 1. */
export const BOX_ROWS = 8;

/**
 * A list as the tally box shows it: whole when it has at most BOX_ROWS rows, else its
 * first BOX_ROWS - 1 and one row that sums up the rest (`rest` makes it), so that the
 * box keeps to the first page however many places a brief has. The incident record
 * lists them all.
 */
export function boxList<T, R>(rows: readonly T[], rest: (others: readonly T[]) => R): (T | R)[] {
  if (rows.length <= BOX_ROWS) return [...rows];
  return [...rows.slice(0, BOX_ROWS - 1), rest(rows.slice(BOX_ROWS - 1))];
}

/** The incidents of the named rows, summed and formatted: each incident has one country and one location, so none is counted twice. */
const sumOf = (rows: readonly { name: string }[], counts: Record<string, number>) => formatNumber(rows.reduce((sum, r) => sum + (counts[r.name] ?? 0), 0));


/** "example.org" for a web source, the address for an e-mail one. */
function sourceLabel(url: string): string {
  if (url.toLowerCase().startsWith('mailto:')) return url.slice('mailto:'.length).split('?')[0] || 'e-mail';
  return URL.canParse(url) ? new URL(url).hostname.replace(/^www\./, '') : url;
}

/**
 * An incident's sources as links labelled by their site; two from one site are told
 * apart by number ("example.org", "example.org (2)") rather than shown alike.
 */
function sourcesView(urls: readonly string[]) {
  const seen = new Map<string, number>();
  return urls.map((url) => {
    const site = sourceLabel(url);
    const n = (seen.get(site) ?? 0) + 1;
    seen.set(site, n);
    return { url, label: n === 1 ? site : `${site} (${n})`, printed: printedUrl(url) };
  });
}

/** A link's address as a printed page gives it: in full, an e-mail one without its "mailto:". */
const printedUrl = (url: string): string => (url.toLowerCase().startsWith('mailto:') ? url.slice('mailto:'.length).split('?')[0] || url : url);

/** The incident record at the end: one row per counted incident, ready to print. */
function annexView(input: RenderInput) {
  const { annex } = input;
  if (annex.length === 0) return undefined;
  const day = recordDay(input);
  return annex.map(({ incident, summary, previous }, index) => ({
    id: incidentAnchor(incident, index),
    ref: incident.id,
    date: day(incident.date),
    iso: incident.date,
    location: incident.location,
    country: incident.country,
    weapons: weaponsText(incident),
    perpetrator: incident.perpetrator,
    claimed: incident.claimed === true,
    // Only `claimed: false` says the group did not claim it; left out, the brief does not say.
    notClaimed: incident.claimed === false,
    // Every row says who was hurt, summary or not: a reader scanning the record for
    // casualties must not have to read each summary to learn that a row had none.
    casualties: [
      incident.killed === undefined ? undefined : `${formatNumber(incident.killed)} killed`,
      incident.injured === undefined ? undefined : `${formatNumber(incident.injured)} injured`,
    ]
      .filter(Boolean)
      .join(', '),
    summary: safe(summary),
    // On paper "[1]" means nothing; the site's name does.
    // On paper the link cannot be followed, so the PDF prints the whole address instead.
    sources: sourcesView(incident.sources ?? []),
    revision: revisionView(incident, previous, day),
  }));
}

const weaponsText = (incident: Incident) => (incident.weapons ?? []).map((w) => weaponCount(w.type, w.count)).join(', ');

/** Each fact a revision can change, as the record words it, an absent value included. */
const FACTS: [string, (i: Incident, day: (iso: string) => string) => string][] = [
  ['date', (i, day) => day(i.date)],
  ['location', (i) => i.location],
  ['country', (i) => i.country],
  ['weapons', (i) => weaponsText(i) || 'not reported'],
  ['perpetrator', (i) => i.perpetrator ?? 'unknown'],
  // Only `claimed: true` counts as claimed, so an absent value reads as "no".
  ['claimed', (i) => (i.claimed === true ? 'yes' : 'no')],
  ['killed', (i) => (i.killed === undefined ? 'not reported' : formatNumber(i.killed))],
  ['injured', (i) => (i.injured === undefined ? 'not reported' : formatNumber(i.injured))],
  ['position', (i) => (i.lat === undefined || i.lon === undefined ? 'not given' : `${i.lat}, ${i.lon}`)],
];

/**
 * brief-format "Revisions": the record shows the revision date and what changed, field
 * by field, from the version counted before to the one counted now:
 * { date: "Oct 26", changes: "injured 20 (was 0)", note } for "revised Oct 26: injured 20 (was 0) (note)".
 * In words rather than with an arrow: "→" is in none of the shipped fonts' subsets, and a
 * PDF must never fall back to a font of the machine.
 */
function revisionView(incident: Incident, previous: Incident | undefined, day: (iso: string) => string) {
  if (incident.revised === undefined) return undefined;
  const changes: string[] = [];
  if (previous) {
    for (const [name, text] of FACTS) {
      const [before, after] = [text(previous, day), text(incident, day)];
      if (before !== after) changes.push(`${name} ${after} (was ${before})`);
    }
    // Long texts do not fit the record; saying that they changed is enough.
    if ((previous.summary ?? '') !== (incident.summary ?? '')) changes.push('summary updated');
    if ((previous.sources ?? []).join(' ') !== (incident.sources ?? []).join(' ')) changes.push('sources updated');
  }
  return { date: day(incident.revised), iso: incident.revised, changes: changes.join(', '), note: incident.revision_note };
}

/**
 * Page size and the running title belong to @page, which only a stylesheet can set.
 * The title becomes a CSS string with every character outside a plain set escaped,
 * so no brief text can end the string or the <style> element.
 */
function pageCss(title: string, footer: string, header: string | undefined, size: 'Letter' | 'A4', config: Config, faces: readonly BrandFontFace[]): string {
  // Colours are validated as #rrggbb and fonts as plain names, so both can go into the stylesheet.
  const { colors, fonts } = config;
  const custom = [
    colors?.accent && `--accent: ${colors.accent};`,
    colors?.kicker && `--kicker: ${colors.kicker};`,
    // The shipped face follows a chosen one: it prints what that font lacks (other scripts,
    // or everything when it is not installed) rather than a font of the machine.
    fonts?.body && `--serif: "${fonts.body}", "Source Serif 4", var(--scripts-serif), Georgia, serif;`,
    fonts?.headings && `--sans: "${fonts.headings}", "Source Sans 3", var(--scripts-sans), Arial, sans-serif;`,
  ].filter(Boolean);
  // The furniture's text, in the hidden boxes that make its fonts load (see brief.css).
  const furniture = cssString([title, footer, header ?? '', 'Page 0123456789 of'].join(' '));
  return [
    ...faces.map(fontFaceRule),
    ...(custom.length > 0 ? [`:root { ${custom.join(' ')} }`] : []),
    // Each text in its own direction (an English title on a right-to-left page keeps its
    // full stop at its end): margin boxes take the page's direction and ignore unicode-bidi
    // and dir, and bidi control characters would be copied out of the PDF with the text.
    `@page { size: ${size}; @top-left { ${marginText(title)} } @bottom-left { ${marginText(footer)} }${header ? ` @top-right { ${marginText(header)} }` : ''} }`,
    '@page :first { @top-left { content: none; } }',
    `html::before, html::after { content: ${furniture}; }`,
  ].join('\n');
}

/**
 * The @font-face rule of one of the project's font files. Here, in the page's own style,
 * rather than in the template's stylesheet: it comes from the configuration, so every
 * template gets it, and the print job is handed the same page. The family is the font's
 * own (untrusted) name, so it goes in as an escaped CSS string; swap shows the text at
 * once on a slow connection, and printing waits for the font all the same.
 */
function fontFaceRule(face: BrandFontFace): string {
  return `@font-face { font-family: ${cssString(face.family)}; src: url(${cssString(face.src)}) format("${face.format}"); font-weight: ${typeof face.weight === 'number' ? face.weight : face.weight.join(' ')}; font-style: ${face.style}; font-display: swap; }`;
}

/**
 * JSON inside an HTML <script type="application/ld+json">: "<" is escaped so no value
 * can close the element, and the two line separators JSON allows but scripts do not.
 */
export const jsonForHtml = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** A margin box's declarations for a text: its content, and the direction its first letter gives it. */
function marginText(text: string): string {
  const direction = firstStrongDirection(text);
  return `content: ${cssString(text)};${direction ? ` direction: ${direction};` : ''}`;
}

/** Every character outside a plain set becomes a CSS escape, so no text can end the string or the <style>. */
export const cssString = (text: string): string =>
  `"${[...text].map((ch) => (/[A-Za-z0-9 ,.:;!?'()-]/.test(ch) ? ch : `\\${ch.codePointAt(0)?.toString(16)} `)).join('')}"`;
