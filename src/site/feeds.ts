/*
 * The site's Atom feed and JSON Feed, written here rather than by a feed library: what a
 * brief says (title, summary, topics, authors) is plain text, and goes into both feeds as
 * text, never as HTML a reader would render. Atom marks every such element type="text"
 * and escapes it; JSON Feed carries it as content_text, summary and title, which the
 * format defines as plain text. So no markup a brief contains can become live in a feed
 * reader, and feed.xml is well-formed whatever the text: characters XML 1.0 cannot hold
 * at all (C0 controls but tab and line breaks, lone surrogates, U+FFFE and U+FFFF) and
 * C1 controls, which it discourages, become U+FFFD. Pure: entries in, text out.
 */

/** One entry of a feed; every text is plain text. Dates are ISO 8601 date-times (UTC). */
export interface FeedEntry {
  title: string;
  /** Absolute URL of the brief's page: the entry's id and link. */
  url: string;
  summary?: string;
  /** When it was last changed (a correction moves it). */
  updated: string;
  published: string;
  authors: readonly string[];
  topics: readonly string[];
}

/** The feed itself; every text is plain text. */
export interface FeedHead {
  title: string;
  description?: string;
  /** The site's absolute URL: the feed's id and home page. */
  home: string;
  /** Absolute URLs of the two feeds. */
  atom: string;
  json: string;
  /** The BCP 47 language of the site. */
  lang: string;
  rights?: string;
  /** The newest entry's date (ISO 8601), so the same briefs give the same feed. */
  updated: string;
  /** "flashbrief 0.1.0": the mark by which a later build knows the file is its own. */
  generator: string;
}

/** Characters XML 1.0 cannot carry, and C1 controls: each becomes U+FFFD. */
const NOT_XML = /[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Text made safe for a feed: what XML cannot hold replaced by U+FFFD. */
export const feedText = (s: string): string => s.replace(NOT_XML, '\ufffd');

const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };

/** Text escaped for XML element content or a quoted attribute, with the entities every XML reader knows. */
const xml = (s: string): string => feedText(s).replace(/[<>&'"]/g, (c) => ENTITIES[c] as string);

/** The Atom feed (RFC 4287): feed.xml. */
export function atomFeed(head: FeedHead, entries: readonly FeedEntry[]): string {
  const text = (tag: string, value: string, indent: string) => `${indent}<${tag} type="text">${xml(value)}</${tag}>\n`;
  const parts = [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xml(head.lang)}">\n`,
    `    <id>${xml(head.home)}</id>\n`,
    text('title', head.title, '    '),
    head.description ? text('subtitle', head.description, '    ') : '',
    `    <updated>${xml(head.updated)}</updated>\n`,
    `    <generator>${xml(head.generator)}</generator>\n`,
    `    <link rel="alternate" href="${xml(head.home)}"/>\n`,
    `    <link rel="self" href="${xml(head.atom)}"/>\n`,
    head.rights ? text('rights', head.rights, '    ') : '',
  ];
  for (const e of entries) {
    parts.push(
      '    <entry>\n',
      text('title', e.title, '        '),
      `        <id>${xml(e.url)}</id>\n`,
      `        <link rel="alternate" href="${xml(e.url)}"/>\n`,
      `        <updated>${xml(e.updated)}</updated>\n`,
      `        <published>${xml(e.published)}</published>\n`,
      e.summary ? text('summary', e.summary, '        ') : '',
      ...e.authors.map((name) => `        <author><name>${xml(name)}</name></author>\n`),
      ...e.topics.map((name) => `        <category term="${xml(name)}"/>\n`),
      '    </entry>\n',
    );
  }
  parts.push('</feed>\n');
  return parts.join('');
}

/**
 * The JSON Feed (version 1.1): feed.json, with the generator named in an extension
 * object (keys that start with an underscore are the publisher's own, and readers ignore
 * them): the format has no generator field, and the mark tells a later build the file is
 * its own.
 */
export function jsonFeed(head: FeedHead, entries: readonly FeedEntry[]): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: feedText(head.title),
    home_page_url: head.home,
    feed_url: head.json,
    ...(head.description ? { description: feedText(head.description) } : {}),
    language: head.lang,
    items: entries.map((e) => ({
      id: e.url,
      url: e.url,
      title: feedText(e.title),
      // JSON Feed asks for content_html or content_text: the summary, as text, or the title.
      content_text: feedText(e.summary ?? e.title),
      ...(e.summary ? { summary: feedText(e.summary) } : {}),
      date_published: e.published,
      date_modified: e.updated,
      ...(e.authors.length > 0 ? { authors: e.authors.map((name) => ({ name: feedText(name) })) } : {}),
      ...(e.topics.length > 0 ? { tags: e.topics.map(feedText) } : {}),
    })),
    _flashbrief: { generator: head.generator },
  };
  return `${JSON.stringify(feed, null, 4)}\n`;
}
