import { describe, expect, it } from 'vitest';
import type { ManifestEntry } from '../../src/project/build.js';
import { gonePage, pdfRefusal, previewPage } from '../../src/serve/preview-page.js';
import { RELOAD_SCRIPT } from '../../src/serve/reload.js';

const PAGE =
  '<!DOCTYPE html><html><head><meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="script-src \'none\'">\n' +
  '<title>A</title></head><body><main>Text</main></body></html>';

const failed = (message: string): ManifestEntry => ({
  source: 'briefs/a.yaml',
  slug: 'a',
  ok: false,
  outputs: [],
  errors: [{ file: 'briefs/a.yaml', line: 3, column: 7, message, severity: 'error' }],
});

describe('the page the preview serves', () => {
  it('lifts the script ban and ends with the reload script, with no overlay or PDF link unless asked', () => {
    const html = previewPage(PAGE, {});
    expect(html).not.toContain('Content-Security-Policy');
    expect(html).toContain('<main>Text</main>');
    expect(html.endsWith(`${RELOAD_SCRIPT}</body></html>`)).toBe(true);
    expect(html).not.toContain('flashbrief-errors');
    expect(html).not.toContain('PDF preview');
  });

  it('lifts every policy of a page whose template wrote its own beside the build\'s', () => {
    const two = PAGE.replace('<title>', '<META HTTP-EQUIV=\'content-security-policy\' CONTENT="default-src \'none\'">\n<title>');
    const html = previewPage(two, {});
    expect(html).not.toMatch(/content-security-policy/i);
    expect(html).toContain('<meta charset="utf-8">\n<title>A</title>');
  });

  it('links the PDF preview by slug, escaped', () => {
    expect(previewPage(PAGE, { pdfSlug: 'a' })).toContain('<a href="a.pdf" ');
    expect(previewPage(PAGE, { pdfSlug: 'a"b' })).toContain('<a href="a&quot;b.pdf" ');
  });

  it('shows the errors over the page as `brief check` words them, escaped', () => {
    const html = previewPage(PAGE, { failure: failed('unknown field <script>') });
    expect(html).toContain('<main>Text</main>');
    expect(html).toContain('id="flashbrief-errors"');
    expect(html).toContain('briefs/a.yaml has errors; fix them and this page reloads');
    expect(html).toContain('<li>briefs/a.yaml:3:7: unknown field &lt;script&gt;</li>');
    expect(html).not.toContain('field <script>');
  });

  it('keeps $-patterns in an error message as written', () => {
    const html = previewPage(PAGE, { failure: failed("a $& and a $' in the text") });
    expect(html).toContain("a $&amp; and a $&#x27; in the text");
    // One body: a `$'` read as a replacement pattern would have copied the page's tail in.
    expect(html.match(/<\/body>/g)).toHaveLength(1);
  });

  it('stands in an empty page for a brief with errors that never built', () => {
    const html = previewPage(undefined, { failure: failed('bad') });
    expect(html).toMatch(/^<!DOCTYPE html><html><head><meta charset="utf-8"><title>Errors<\/title><\/head><body><div id="flashbrief-errors"/);
    expect(html).toContain(`${RELOAD_SCRIPT}</body>`);
  });

  it('lists the briefs that failed over the index: each linked to its page when it has one, with its first error, escaped', () => {
    const second: ManifestEntry = { ...failed('second <i>'), source: 'briefs/<b>.yaml', slug: null };
    const many: ManifestEntry = { ...failed('first <script>alert(1)</script>'), errors: [...(failed('x').errors ?? []), ...(failed('y').errors ?? [])] };
    const html = previewPage(PAGE, { failing: [{ entry: failed('unknown key "<script>alert(1)</script>"'), slug: 'a' }, { entry: second }, { entry: many, slug: 'a"b' }] });
    expect(html).toContain('<main>Text</main>');
    expect(html).toContain('id="flashbrief-failing"');
    expect(html).toContain('these 3 briefs have errors');
    expect(html).toContain('<li><a href="a.html">briefs/a.yaml</a> — briefs/a.yaml:3:7: unknown key &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;</li>');
    expect(html).toContain('<li>briefs/&lt;b&gt;.yaml — briefs/a.yaml:3:7: second &lt;i&gt;</li>');
    expect(html).toContain('<a href="a%22b.html">briefs/a.yaml</a> — briefs/a.yaml:3:7: x (and 1 more)</li>');
    expect(html).not.toMatch(/<script>alert|<i>|<b>/);
    expect(html.endsWith(`${RELOAD_SCRIPT}</body></html>`)).toBe(true);
    expect(previewPage(PAGE, { failing: [] })).not.toContain('flashbrief-failing');
  });

  it("stands in for a failed brief's PDF with its errors, escaped, and the reload script", () => {
    const html = pdfRefusal(failed('unknown field <script>'));
    expect(html).toContain('briefs/a.yaml has errors, so its PDF is not printed; fix them and this page reloads');
    expect(html).toContain('<li>briefs/a.yaml:3:7: unknown field &lt;script&gt;</li>');
    expect(html).not.toContain('field <script>');
    expect(html).toContain(`${RELOAD_SCRIPT}</body>`);
  });

  it('stands in for the page of a brief that is gone, the slug escaped, with the reload script', () => {
    const html = gonePage('<script>x</script>');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt; no longer exists: its brief was removed or its slug changed');
    expect(html).not.toContain('<script>x');
    expect(html).toContain(`${RELOAD_SCRIPT}</body>`);
  });
});
