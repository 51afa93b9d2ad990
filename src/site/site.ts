import slugify from '@sindresorhus/slugify';
import { Feed } from 'feed';
import Handlebars from 'handlebars';
import type { Config } from '../core/config.js';
import { asUtc, formatDate, formatNumber, formatRange, textDirection } from '../core/format.js';
import type { TemplateSource } from '../page/renderer.js';
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

const topicPath = (topic: string) => `topics/${slugify(topic) || 'topic'}.html`;

/** The index and topic pages' template: the template's index.hbs with its partials. */
export function createIndexRenderer(template: TemplateSource): ((view: object) => string) | undefined {
  if (!template.index) return undefined;
  const hbs = Handlebars.create();
  for (const [name, text] of Object.entries(template.partials)) hbs.registerPartial(name, text);
  const page = hbs.compile(template.index, { preventIndent: true });
  return (view) => page(view, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
}

export function siteFiles(
  briefs: readonly SiteBrief[],
  config: Config,
  render: (view: object) => string,
  stylesheet: string,
  generator: string,
  logo?: string,
): Map<string, string> {
  const sorted = [...briefs].sort((a, b) => b.date.localeCompare(a.date) || a.title.localeCompare(b.title));
  const title = config.site?.title ?? 'Flash Briefs';
  const topics = [...new Set(sorted.flatMap((b) => b.topics))].sort((a, b) => a.localeCompare(b));
  const files = new Map<string, string>();

  // Topic pages sit one folder down, so their links start with "../": relative links
  // keep the site working from any base path.
  const page = (heading: string, list: readonly SiteBrief[], base: string) =>
    render({
      lang: siteSettings(config).lang,
      dir: textDirection(siteSettings(config).lang),
      title: heading === title ? title : `${heading} · ${title}`,
      heading,
      siteTitle: title,
      description: config.site?.description,
      organization: config.organization,
      stylesheet: `${base}${stylesheet}`,
      logo: logo && `${base}${logo}`,
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
    });

  files.set('index.html', page(title, sorted, ''));
  for (const topic of topics) files.set(topicPath(topic), page(topic, sorted.filter((b) => b.topics.includes(topic)), '../'));

  const url = config.site?.url;
  if (url) {
    const absolute = (rel: string) => new URL(rel, url).href;
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
    files.set('feed.xml', feed.atom1());
    files.set('feed.json', feed.json1());
    const newest = sorted[0]?.date;
    const entries = [
      { loc: absolute('index.html'), lastmod: newest },
      ...topics.map((t) => ({ loc: absolute(topicPath(t)), lastmod: sorted.find((b) => b.topics.includes(t))?.date })),
      ...sorted.map((b) => ({ loc: absolute(`${b.slug}.html`), lastmod: b.updated ?? b.date })),
    ];
    files.set(
      'sitemap.xml',
      '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
        entries.map((e) => `  <url><loc>${xml(e.loc)}</loc>${e.lastmod ? `<lastmod>${e.lastmod}</lastmod>` : ''}</url>\n`).join('') +
        '</urlset>\n',
    );
  }
  return files;
}

/** "6 incidents, Oct 17 – Oct 24, 2023": the number a reader scans the index for. */
function keyTally(tally: SiteBrief['tally']): string | undefined {
  if (!tally || tally.total === 0 || tally.since === null) return undefined;
  return `${formatNumber(tally.total)} ${tally.total === 1 ? 'incident' : 'incidents'}, ${formatRange(tally.since, tally.until)}`;
}

const xml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
