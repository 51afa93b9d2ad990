import type { ManifestEntry } from '../project/build.js';
import { formatDiagnostic } from '../core/diagnostics.js';
import { escapeHtml } from '../core/markdown.js';
import { RELOAD_SCRIPT } from './reload.js';

/*
 * What the preview adds to a built page before serving it: the errors of a brief that
 * failed, over its last good page; a link to its PDF preview; and the reload script.
 * Text in, text out, so it can be checked without a server.
 */

/** Stands in for the page of a brief that has errors and was never built. */
const EMPTY_PAGE = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Errors</title></head><body></body></html>';

export interface PreviewAdditions {
  /** The manifest entry of the page's brief if its last build failed: shown as an overlay. */
  failure?: ManifestEntry;
  /** The slug whose `<slug>.pdf` the page links to as its PDF preview; none for no link. */
  pdfSlug?: string;
}

/**
 * The page as the preview serves it: `page` (the built HTML, or an empty page if none)
 * without its Content-Security-Policy meta tag, and with the error overlay, the PDF link
 * and the reload script added before `</body>`.
 */
export function previewPage(page: string | undefined, additions: PreviewAdditions): string {
  // The published pages forbid scripts; the preview's own reload script needs that lifted.
  const html = (page ?? EMPTY_PAGE).replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\n?/, '');
  const overlay = additions.failure ? errorOverlay(additions.failure) : '';
  const link = additions.pdfSlug !== undefined ? pdfLink(additions.pdfSlug) : '';
  // A function, not a string, so a `$&` or `$'` in an error message is not a replacement pattern.
  return html.replace('</body>', () => `${overlay}${link}${RELOAD_SCRIPT}</body>`);
}

/** The preview's own link to the PDF, which `brief serve` prints when it is followed. */
export const pdfLink = (slug: string): string =>
  `<a href="${escapeHtml(slug)}.pdf" style="position:fixed;right:1rem;bottom:1rem;z-index:2147483646;padding:.4rem .8rem;` +
  'background:#0d2f57;color:#fff;font:600 14px/1.2 system-ui,sans-serif;border-radius:4px;text-decoration:none">PDF preview</a>';

/** The errors, over the last good page, in the same words `brief check` prints (HTML-escaped). */
export function errorOverlay(entry: ManifestEntry): string {
  const lines = (entry.errors ?? []).map((e) => `<li>${escapeHtml(formatDiagnostic({ ...e, severity: 'error' }))}</li>`).join('');
  return (
    '<div id="flashbrief-errors" role="alert" style="position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;z-index:2147483647;' +
    'background:#fff5f5;border-bottom:4px solid #a3161b;padding:1rem 1.5rem;font:14px/1.5 ui-monospace,monospace;color:#1b1f24">' +
    `<strong style="font:700 15px/1.4 system-ui,sans-serif;color:#a3161b">${escapeHtml(entry.source)} has errors; fix them and this page reloads</strong>` +
    `<ul style="margin:.5rem 0 0;padding-left:1.2rem">${lines}</ul></div>`
  );
}
