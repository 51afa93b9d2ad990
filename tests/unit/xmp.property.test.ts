import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { xmpPacket } from '../../src/print/xmp.js';

/*
 * The XMP packet over any text a brief may hold: it stays well-formed XML, and each value
 * reads back as written (less the control characters XML 1.0 cannot carry).
 */
// eslint-disable-next-line no-control-regex
const xmlSafe = (s: string) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'rdf:li', trimValues: false, processEntities: true, parseTagValue: false });
const texts = (node: { [k: string]: { 'rdf:li': unknown[] } } | undefined, kind: string) =>
  node?.[kind]?.['rdf:li'].map((li) => String(typeof li === 'object' ? ((li as { '#text'?: string })['#text'] ?? '') : li)) ?? [];

describe('the XMP packet', () => {
  it('is well-formed and reads back as written, for any title, authors and keywords', () => {
    const value = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '' && xmlSafe(s) === s && s === s.trim());
    fc.assert(
      fc.property(value, fc.array(value, { maxLength: 4 }), fc.array(value, { maxLength: 4 }), fc.constantFrom('en', 'fr', 'ar', 'zh-Hans'), (title, authors, keywords, lang) => {
        const xml = xmpPacket({ title, authors, keywords, subject: title, date: '2024-03-10T00:00:00Z', creator: 'flashbrief 0.1.0', lang });
        expect(XMLValidator.validate(xml)).toBe(true);
        const d = parser.parse(xml)['x:xmpmeta']['rdf:RDF']['rdf:Description'];
        expect(texts(d['dc:title'], 'rdf:Alt')).toEqual([title, title]);
        expect(texts(d['dc:creator'], 'rdf:Seq')).toEqual(authors);
        expect(texts(d['dc:subject'], 'rdf:Bag')).toEqual(keywords);
        expect(texts(d['dc:language'], 'rdf:Bag')).toEqual([lang]);
      }),
      { numRuns: 300 },
    );
  });

  it('drops control characters XML cannot carry, and escapes markup', () => {
    const xml = xmpPacket({ title: 'A\u0001 <b>&"x"</b>', authors: [], keywords: [], date: '2024-03-10T00:00:00Z', creator: 'c', lang: 'en' });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('A &lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;');
    expect(xml).not.toContain('\u0001');
  });
});
