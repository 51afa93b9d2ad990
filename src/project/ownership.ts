/*
 * Which files of an output folder are the build's own, so that it may replace them: an
 * output folder can be shared with files someone else put there (a hand-written
 * index.html in a docs/ folder a site is served from), and a build must never overwrite
 * those. A file is the build's when the build's record names it (the cache, see
 * cache.ts `owns`), when it is a shared asset (named after its content, under assets/),
 * or when it carries the mark every default output carries: the record can be deleted
 * with the cache, and the marks let such a folder be rebuilt without it.
 */

/** A shared asset's name: `name.<10 hex digits of its content's hash>.ext` (templates.ts hashedName). */
const HASHED_ASSET = /^assets\/[^/]+\.[0-9a-f]{10}\.[A-Za-z0-9]+$/;

/** "flashbrief" in UTF-16BE hex, as a PDF's document information writes a text string. */
const PDF_CREATOR_HEX = Buffer.from('flashbrief', 'utf16le').swap16().toString('hex');

/**
 * Whether a file at `rel` (relative to the output folder, with forward slashes) carries
 * the mark of a flashbrief output: a page or topic page with the generator meta element,
 * a fragment's outer `<div class="flashbrief"`, a PDF whose Creator is flashbrief, a feed
 * or sitemap that names flashbrief as its generator, or a shared asset's content-hashed
 * name. Reads at most the first 64 KB of a text file (the marks sit in its head) and
 * the whole of a PDF (the document information is near its end).
 */
export function carriesFlashbriefMark(rel: string, bytes: Buffer): boolean {
  if (HASHED_ASSET.test(rel)) return true;
  if (rel.endsWith('.pdf')) {
    return bytes.includes('/Creator (flashbrief') || bytes.includes(PDF_CREATOR_HEX) || bytes.includes(PDF_CREATOR_HEX.toUpperCase());
  }
  const head = bytes.subarray(0, 64 * 1024).toString('utf8');
  if (rel.endsWith('.html')) return /<meta name="generator" content="flashbrief[ "]/.test(head) || head.startsWith('<div class="flashbrief"');
  if (rel.endsWith('.xml')) return head.includes('<generator>flashbrief') || head.includes('<!-- generator: flashbrief');
  if (rel.endsWith('.json')) return head.includes('"_flashbrief"');
  return false;
}
