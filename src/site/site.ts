import { drawableDashes } from '../core/typography.js';
import Handlebars from 'handlebars';
import type { Config } from '../core/config.js';
import { asUtc, formatDate, formatNumber, formatRange, textDirection } from '../core/format.js';
import { fixedTextAttributes, topicPath, type TemplateSource } from '../page/renderer.js';
import { contentSecurityPolicy, withContentSecurityPolicy } from '../page/csp.js';
import type { Tally } from '../core/tally.js';
import { siteSettings } from '../core/settings.js';
import { atomFeed, jsonFeed, type FeedEntry, type FeedHead } from './feeds.js';

/*
 * The newsroom site around the briefs: an index of all briefs (newest first), a page
 * per topic, and, where the site's address is configured, an Atom feed, a JSON Feed
 * and a sitemap. Pure: briefs in, files (path -> text) out.
 */

export interface SiteBrief {
  slug: string;
  title: string;
  label: string;
  date: string;
  summary?: string;
  topics: string[];
  authors: string[];
  /** What the index says of the tally: its total and window. */
  tally?: Pick<Tally, 'total' | 'since' | 'until'>;
  pdf: boolean;
  /** The latest correction's date: a corrected brief's feed entry moves. */
  updated?: string;
}


/** The index and topic pages' template: the template's index.hbs with its partials. */
export function createIndexRenderer(template: TemplateSource): ((view: object) => string) | undefined {
  if (!template.index) return undefined;
  // Kept per template, as page renderers are (renderer.ts createPageRenderer): compiled once per process.
  let renderer = indexRenderers.get(template);
  if (!renderer) indexRenderers.set(template, (renderer = compileIndexRenderer(template)));
  return renderer;
}

const indexRenderers = new WeakMap<TemplateSource, (view: object) => string>();

function compileIndexRenderer(template: TemplateSource): (view: object) => string {
  const hbs = Handlebars.create();
  for (const [name, text] of Object.entries(template.partials)) hbs.registerPartial(name, text);
  const page = hbs.compile(template.index, { preventIndent: true });
  // An index.hbs that forgot {{csp}} gets the policy all the same: no page goes out without it.
  return (view) =>
    withContentSecurityPolicy(drawableDashes(page(view, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false })), contentSecurityPolicy());
}

/**
 * The site's files around the briefs (path -> text): the index and a page per topic, and,
 * when `site.url` is configured, the Atom feed, the JSON Feed and the sitemap, whose
 * links must be absolute. `render` is the index template; `stylesheet` and `logo` are
 * paths from the site's root.
 */
export function siteFiles(
  briefs: readonly SiteBrief[],
  config: Config,
  render: (view: object) => string,
  stylesheet: string,
  generator: string,
  logo?: string,
): Map<string, string> {
  const sorted = [...briefs].sort((a, b) => b.date.localeCompare(a.date) || a.title.localeCompare(b.title));
  const { names, pages } = topicPages(sorted);
  const site: SiteContext = { config, title: siteSettings(config).title, names, pages, generator };
  const files = new Map<string, string>();
  const assets = { stylesheet, logo };
  files.set('index.html', render(listingView(site, assets, site.title, sorted, '')));
  for (const [file, page] of pages) files.set(file, render(listingView(site, assets, page.name, page.briefs, '../')));

  const url = config.site?.url;
  if (url) {
    const absolute = (rel: string) => new URL(rel, url).href;
    const { head, entries } = briefFeed(site, sorted, url, absolute);
    files.set('feed.xml', atomFeed(head, entries));
    files.set('feed.json', jsonFeed(head, entries));
    files.set('sitemap.xml', sitemap(site, sorted, absolute));
  }
  return files;
}

/** One topic page: the name it is headed with, and its briefs, newest first. */
interface TopicPage {
  name: string;
  briefs: SiteBrief[];
}

/**
 * Every topic name once, alphabetically, with its page, and each page's briefs, in one
 * pass over the briefs (newest first). Names that differ only in case ("Iran", "IRAN")
 * share one page (topicPath), headed by the first of them, which lists the briefs of
 * each: one name's page must never replace the other's. Any other two names have pages of their own. The pages together list each
 * brief once per topic it has, so the site grows with the briefs' topics, not with their
 * square.
 */
function topicPages(sorted: readonly SiteBrief[]): { names: { name: string; file: string }[]; pages: Map<string, TopicPage> } {
  const collator = new Intl.Collator();
  const fileOf = new Map<string, string>();
  for (const b of sorted) for (const t of b.topics) if (!fileOf.has(t)) fileOf.set(t, topicPath(t));
  const names = [...fileOf].map(([name, file]) => ({ name, file })).sort((a, b) => collator.compare(a.name, b.name));
  const pages = new Map<string, TopicPage>();
  for (const { name, file } of names) if (!pages.has(file)) pages.set(file, { name, briefs: [] });
  for (const b of sorted) {
    for (const file of new Set(b.topics.map((t) => fileOf.get(t) as string))) (pages.get(file) as TopicPage).briefs.push(b);
  }
  return { names, pages };
}

/** What every page and feed of the site shares. */
interface SiteContext {
  config: Config;
  title: string;
  /** Every brief's topics, once each, alphabetically, with their pages: the index's list of issues. */
  names: { name: string; file: string }[];
  /** The topic pages by file, in the order of their names. */
  pages: Map<string, TopicPage>;
  generator: string;
}

/** Where a topic page links back to the full list of topics: the index's list of issues. */
const ISSUES_ANCHOR = 'issues';

/**
 * The index template's view of a listing: the index (`base` '') or a topic page ('../').
 * Only the index lists every topic; a topic page links to that list (`allIssues`), so a
 * page costs what it lists and no page repeats the whole site.
 */
function listingView(
  site: SiteContext,
  files: { stylesheet: string; logo: string | undefined },
  heading: string,
  list: readonly SiteBrief[],
  base: string,
): object {
  const { config, title, names, generator } = site;
  const index = base === '';
  // Topic pages sit one folder down, so their links start with "../": relative links
  // keep the site working from any base path.
  return {
    lang: siteSettings(config).lang,
    dir: textDirection(siteSettings(config).lang),
    en: fixedTextAttributes(siteSettings(config).lang),
    title: heading === title ? title : `${heading} · ${title}`,
    heading,
    siteTitle: title,
    description: config.site?.description,
    organization: config.organization,
    stylesheet: `${base}${files.stylesheet}`,
    logo: files.logo && `${base}${files.logo}`,
    home: `${base}index.html`,
    generator,
    csp: contentSecurityPolicy(),
    // `current` stays for templates written when every page listed every topic; no topic is current on the index.
    topics: index ? names.map(({ name, file }) => ({ name, href: file, current: false })) : [],
    issuesId: ISSUES_ANCHOR,
    allIssues: index || names.length === 0 ? undefined : `${base}index.html#${ISSUES_ANCHOR}`,
    briefs: list.map((b) => ({
      href: `${base}${b.slug}.html`,
      pdfHref: b.pdf ? `${base}${b.slug}.pdf` : undefined,
      title: b.title,
      label: b.label,
      date: { iso: b.date, text: formatDate(b.date) },
      summary: b.summary,
      keyTally: keyTally(b.tally),
    })),
    feed: config.site?.url ? `${base}feed.xml` : undefined,
  };
}

/** The feeds' head and entries, newest first: every text in them plain text (feeds.ts). */
function briefFeed({ config, title, generator }: SiteContext, sorted: readonly SiteBrief[], url: string, absolute: (rel: string) => string): { head: FeedHead; entries: FeedEntry[] } {
  const head: FeedHead = {
    title,
    description: config.site?.description,
    home: url,
    atom: absolute('feed.xml'),
    json: absolute('feed.json'),
    lang: siteSettings(config).lang,
    rights: config.organization,
    // The newest brief, not the clock: the same briefs give the same feed.
    updated: asUtc(sorted.map((b) => b.updated ?? b.date).sort().at(-1) ?? '1970-01-01').toISOString(),
    generator,
  };
  const entries = sorted.map((b) => ({
    title: b.title,
    url: absolute(`${b.slug}.html`),
    summary: b.summary,
    updated: asUtc(b.updated ?? b.date).toISOString(),
    published: asUtc(b.date).toISOString(),
    authors: b.authors,
    topics: b.topics,
  }));
  return { head, entries };
}

/**
 * Every page once, each dated by its newest brief, so crawlers revisit only what changed;
 * a topic page's date is its first brief's, as its list is newest first. One pass over the
 * pages, written as one text, with the generator's mark after the XML declaration.
 */
function sitemap({ pages, generator }: SiteContext, sorted: readonly SiteBrief[], absolute: (rel: string) => string): string {
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<!-- generator: ${xml(generator)} -->\n`,
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n',
  ];
  const url = (loc: string, lastmod: string | undefined) => parts.push(`  <url><loc>${xml(loc)}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</url>\n`);
  url(absolute('index.html'), sorted[0]?.date);
  for (const [file, page] of pages) url(absolute(file), page.briefs[0]?.date);
  for (const b of sorted) url(absolute(`${b.slug}.html`), b.updated ?? b.date);
  parts.push('</urlset>\n');
  return parts.join('');
}

/** "6 incidents, Oct 17 – Oct 24, 2023": the number a reader scans the index for. */
function keyTally(tally: SiteBrief['tally']): string | undefined {
  if (!tally || tally.total === 0 || tally.since === null) return undefined;
  return `${formatNumber(tally.total)} ${tally.total === 1 ? 'incident' : 'incidents'}, ${formatRange(tally.since, tally.until)}`;
}

const xml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
