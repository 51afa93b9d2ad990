import { escapeUTF8 } from 'entities';

/** What the XMP packet says of a brief; the same fields the PDF's Info dictionary carries. */
export interface XmpFields {
  title: string;
  authors: readonly string[];
  subject?: string;
  keywords: readonly string[];
  /** ISO 8601 instant, e.g. 2024-01-29T00:00:00Z: the brief's date, so the same brief prints the same bytes. */
  date: string;
  /** The program that made the file (flashbrief and its version). */
  creator: string;
  /** BCP 47 language tag of the brief. */
  lang: string;
}

/*
 * Why XMP as well as the Info dictionary: PDF 2.0 (ISO 32000-2, 14.3.2) deprecates Info
 * in favour of the catalog's /Metadata stream, and archives, DAM systems and PDF/A
 * checkers read only XMP. The packet follows XMP Part 1 (ISO 16684-1): Dublin Core for
 * title, authors, description, subjects and language; xmp: for dates and creator tool;
 * pdf: for producer and keywords, which must agree with Info (ISO 32000-2, 14.3.3).
 * No xpacket padding: the stream is written whole on every print, never edited in place.
 */

/**
 * The XMP metadata packet for a printed brief, as XML text (UTF-8 when encoded).
 * Every value is escaped; a language alternative (rdf:Alt) is tagged x-default, as
 * XMP requires, and also with the brief's language.
 */
export function xmpPacket(fields: XmpFields): string {
  // XML 1.0 has no way to write most control characters, even as references: they go.
  // eslint-disable-next-line no-control-regex
  const text = (s: string) => escapeUTF8(s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ''));
  const alt = (s: string) => {
    const lang = text(fields.lang);
    const items = [`<rdf:li xml:lang="x-default">${text(s)}</rdf:li>`];
    if (fields.lang.toLowerCase() !== 'x-default') items.push(`<rdf:li xml:lang="${lang}">${text(s)}</rdf:li>`);
    return `<rdf:Alt>${items.join('')}</rdf:Alt>`;
  };
  const list = (kind: 'Seq' | 'Bag', values: readonly string[]) => `<rdf:${kind}>${values.map((v) => `<rdf:li>${text(v)}</rdf:li>`).join('')}</rdf:${kind}>`;
  const lines = [
    `<dc:format>application/pdf</dc:format>`,
    `<dc:title>${alt(fields.title)}</dc:title>`,
    fields.authors.length > 0 ? `<dc:creator>${list('Seq', fields.authors)}</dc:creator>` : '',
    fields.subject ? `<dc:description>${alt(fields.subject)}</dc:description>` : '',
    fields.keywords.length > 0 ? `<dc:subject>${list('Bag', fields.keywords)}</dc:subject>` : '',
    `<dc:language>${list('Bag', [fields.lang])}</dc:language>`,
    `<xmp:CreateDate>${text(fields.date)}</xmp:CreateDate>`,
    `<xmp:ModifyDate>${text(fields.date)}</xmp:ModifyDate>`,
    `<xmp:MetadataDate>${text(fields.date)}</xmp:MetadataDate>`,
    `<xmp:CreatorTool>${text(fields.creator)}</xmp:CreatorTool>`,
    `<pdf:Producer>${text(fields.creator)}</pdf:Producer>`,
    fields.keywords.length > 0 ? `<pdf:Keywords>${text(fields.keywords.join(', '))}</pdf:Keywords>` : '',
  ].filter(Boolean);
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">',
    ...lines,
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n');
}
