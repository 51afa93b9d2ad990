import { drawableDashes } from '../core/typography.js';
import { Feed } from 'feed';
import Handlebars from 'handlebars';
import type { Config } from '../core/config.js';
import { asUtc, formatDate, formatNumber, formatRange, textDirection } from '../core/format.js';
import { fixedTextAttributes, topicPath, type TemplateSource } from '../page/renderer.js';
import type { Tally } from '../core/tally.js';
import { siteSettings } from '../core/settings.js';

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
  const hbs = Handlebars.create();
  for (const [name, text] of Object.entries(template.partials)) hbs.registerPartial(name, text);
  const page = hbs.compile(template.index, { preventIndent: true });
  return (view) => drawableDashes(page(view, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false }));
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
  const site: SiteContext = {
    config,
    title: siteSettings(config).title,
    topics: [...new Set(sorted.flatMap((b) => b.topics))].sort((a, b) => a.localeCompare(b)),
    generator,
  };
  const files = new Map<string, string>();
  const page = (heading: string, list: readonly SiteBrief[], base: string) => render(listingView(site, { stylesheet, logo }, heading, list, base));
  files.set('index.html', page(site.title, sorted, ''));
  // Names that differ only in case or punctuation ("Iran", "IRAN") share one page, which
  // lists the briefs of each: one name's page must never replace the other's.
  const byPath = new Map<string, string[]>();
  for (const topic of site.topics) byPath.set(topicPath(topic), [...(byPath.get(topicPath(topic)) ?? []), topic]);
  for (const [file, names] of byPath) files.set(file, page(names[0] as string, sorted.filter((b) => b.topics.some((t) => names.includes(t))), '../'));

  const url = config.site?.url;
  if (url) {
    const absolute = (rel: string) => new URL(rel, url).href;
    const feed = briefFeed(site, sorted, url, absolute);
    files.set('feed.xml', feed.atom1());
    files.set('feed.json', markedJsonFeed(feed.json1(), generator));
    files.set('sitemap.xml', sitemap(site, sorted, absolute).replace('\n', `\n<!-- generator: ${xml(generator)} -->\n`));
  }
  return files;
}

/** What every page and feed of the site shares. */
interface SiteContext {
  config: Config;
  title: string;
  /** Every brief's topics, once each, alphabetically: the topic pages and the navigation. */
  topics: string[];
  generator: string;
}

/** The index template's view of a listing: the index (`base` '') or a topic page ('../'). */
function listingView(
  site: SiteContext,
  files: { stylesheet: string; logo: string | undefined },
  heading: string,
  list: readonly SiteBrief[],
  base: string,
): object {
  const { config, title, topics, generator } = site;
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
    topics: topics.map((t) => ({ name: t, href: `${base}${topicPath(t)}`, current: t === heading })),
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

/**
 * A JSON Feed with the generator named in an extension object (JSON Feed 1.1 "Extensions":
 * keys that start with an underscore are the publisher's own, and readers ignore them):
 * the feed format has no generator field, and the mark tells a later build the file is its own.
 */
function markedJsonFeed(json: string, generator: string): string {
  return JSON.stringify({ ...(JSON.parse(json) as object), _flashbrief: { generator } }, null, 4);
}

/** One feed of the briefs, newest first, written out as Atom and as JSON Feed. */
function briefFeed({ config, title, generator }: SiteContext, sorted: readonly SiteBrief[], url: string, absolute: (rel: string) => string): Feed {
  const feed = new Feed({
    title,
    description: config.site?.description,
    id: url,
    link: url,
    language: siteSettings(config).lang,
    copyright: config.organization ?? '',
    generator,
    // The newest brief, not the clock: the same briefs give the same feed.
    updated: asUtc(sorted.map((b) => b.updated ?? b.date).sort().at(-1) ?? '1970-01-01'),
    feedLinks: { atom: absolute('feed.xml'), json: absolute('feed.json') },
  });
  for (const b of sorted) {
    feed.addItem({
      title: b.title,
      id: absolute(`${b.slug}.html`),
      link: absolute(`${b.slug}.html`),
      description: b.summary,
      date: asUtc(b.updated ?? b.date),
      published: asUtc(b.date),
      // The feed library's JSON Feed reads the first author without checking there is one
      // (an empty list throws in feed 6.0.0's json1(); no upstream issue found).
      ...(b.authors.length > 0 ? { author: b.authors.map((name) => ({ name })) } : {}),
      ...(b.topics.length > 0 ? { category: b.topics.map((name) => ({ name })) } : {}),
    });
  }
  return feed;
}

/** Every page, each dated by its newest brief, so crawlers revisit only what changed. */
function sitemap({ topics }: SiteContext, sorted: readonly SiteBrief[], absolute: (rel: string) => string): string {
  const newest = sorted[0]?.date;
  const entries = [
    { loc: absolute('index.html'), lastmod: newest },
    ...topics.map((t) => ({ loc: absolute(topicPath(t)), lastmod: sorted.find((b) => b.topics.includes(t))?.date })),
    ...sorted.map((b) => ({ loc: absolute(`${b.slug}.html`), lastmod: b.updated ?? b.date })),
  ];
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
    entries.map((e) => `  <url><loc>${xml(e.loc)}</loc>${e.lastmod ? `<lastmod>${e.lastmod}</lastmod>` : ''}</url>\n`).join('') +
    '</urlset>\n'
  );
}

/** "6 incidents, Oct 17 – Oct 24, 2023": the number a reader scans the index for. */
function keyTally(tally: SiteBrief['tally']): string | undefined {
  if (!tally || tally.total === 0 || tally.since === null) return undefined;
  return `${formatNumber(tally.total)} ${tally.total === 1 ? 'incident' : 'incidents'}, ${formatRange(tally.since, tally.until)}`;
}

const xml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
