import { describe, expect, it } from 'vitest';
import type { ManifestEntry } from '../../src/project/build.js';
import { previewPage } from '../../src/serve/preview-page.js';
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
});
