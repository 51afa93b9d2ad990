import { parseFeed } from '@rowanmanning/feed-parser';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { siteFiles, type SiteBrief } from '../../src/site/site.js';

/*
 * What a brief says reaches the feeds as text: a feed reader shows it, never renders it,
 * and feed.xml is well-formed XML whatever the text. CI runs a fixed number of cases
 * from a fixed seed; FAST_CHECK_RUNS and FAST_CHECK_SEED explore more.
 */
const runs = Number(process.env.FAST_CHECK_RUNS ?? 150);
const seed = Number(process.env.FAST_CHECK_SEED ?? 20240613);

const config = { site: { url: 'https://briefs.example.org/', description: 'Briefs <b>&</b>' }, organization: 'Example & Co' };
const brief = (over: Partial<SiteBrief>): SiteBrief => ({ slug: 'b', title: 'T', label: 'Flash Brief', date: '2024-01-02', topics: [], authors: [], pdf: false, ...over });
const feeds = (briefs: SiteBrief[], conf: object = config) => {
  const files = siteFiles(briefs, conf as never, () => '<html></html>', 'assets/x.css', 'flashbrief 0.1.0');
  return { xml: files.get('feed.xml') as string, json: JSON.parse(files.get('feed.json') as string) as Record<string, unknown> & { items: Record<string, unknown>[] } };
};

const TITLE = "<script>alert('title')</script><img src=x onerror=alert(1)>";
const SUMMARY = "Summary <script>alert(5)</script> <a href='javascript:alert(8)'>a</a>";

describe('the feeds', () => {
  it('carry a hostile title, summary, topic and author as text, in a well-formed feed.xml', async () => {
    const { xml, json } = feeds([brief({ title: TITLE, summary: SUMMARY, topics: ['a<b', ']]>'], authors: ['Jo "x" <y>'] })]);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toMatch(/CDATA|type="html"|<script|<img|<a /);
    const atom = parseFeed(xml);
    expect(atom.items[0]?.title).toBe(TITLE);
    expect(atom.items[0]?.categories.map((c) => c.term)).toEqual(['a<b', ']]>']);
    const entry = new XMLParser({ ignoreAttributes: false }).parse(xml).feed.entry;
    expect(entry.title).toEqual({ '#text': expect.stringContaining('script') as string, '@_type': 'text' });
    expect(entry.summary['@_type']).toBe('text');
    const item = json.items[0] as Record<string, unknown>;
    expect(item).not.toHaveProperty('content_html');
    expect(item).toMatchObject({ title: TITLE, content_text: SUMMARY, summary: SUMMARY, tags: ['a<b', ']]>'], authors: [{ name: 'Jo "x" <y>' }] });
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json._flashbrief).toEqual({ generator: 'flashbrief 0.1.0' });
  });

  it('keep feed.xml well-formed, and every text as it was written, whatever the text', () => {
    const hostile = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom(']]>', '<![CDATA[', '\u0000', '\u001b[2J', '\u0085', '\ud800', '\ufffe', '&amp;', '&#0;', '"\'<>&', '<!--', '--><script>', '<?xml?>'),
    );
    const text = fc.array(hostile, { minLength: 1, maxLength: 4 }).map((p) => p.join(''));
    fc.assert(
      fc.property(text, fc.option(text, { nil: undefined }), fc.array(text, { maxLength: 3 }), fc.array(text, { maxLength: 3 }), text, (title, summary, topics, authors, org) => {
        const { xml, json } = feeds([brief({ title, summary, topics, authors })], { ...config, organization: org, site: { ...config.site, description: org } });
        expect(XMLValidator.validate(xml)).toBe(true);
        const entry = new XMLParser({ ignoreAttributes: false, processEntities: true, htmlEntities: true, parseTagValue: false, trimValues: false }).parse(xml).feed.entry;
        // What XML cannot carry is shown as U+FFFD; everything else comes back as written.
        const shown = (s: string) => s.replace(/[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '\ufffd');
        expect(entry.title['#text'] ?? '').toBe(shown(title).replace(/\r\n?/g, '\n'));
        expect(entry.title['@_type']).toBe('text');
        expect((json.items[0] as { title: string }).title).toBe(shown(title));
        expect(JSON.stringify(json)).not.toContain('content_html');
      }),
      { numRuns: runs, seed },
    );
  });
});
