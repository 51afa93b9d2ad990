import type { ManifestEntry } from '../project/build.js';
import type { FailingBrief } from './pages.js';
import { formatDiagnostic } from '../core/diagnostics.js';
import { escapeHtml } from '../core/markdown.js';
import { RELOAD_SCRIPT } from './reload.js';

/*
 * What the preview adds to a built page before serving it: the errors of a brief that
 * failed, over its last good page; on the index, the briefs that failed; a link to its
 * PDF preview; and the reload script. And the pages it serves in place of a file: a
 * brief's PDF refused for its errors, a page whose brief is gone. Text in, text out, so
 * it can be checked without a server. Every text from the project is HTML-escaped.
 */

/** Stands in for the page of a brief that has errors and was never built. */
const EMPTY_PAGE = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Errors</title></head><body></body></html>';

export interface PreviewAdditions {
  /** The manifest entry of the page's brief if its last build failed: shown as an overlay. */
  failure?: ManifestEntry;
  /** The slug whose `<slug>.pdf` the page links to as its PDF preview; none for no link. */
  pdfSlug?: string;
  /** The briefs whose last build failed, listed over the page (the index) with a link to each one's page; none or empty for no list. */
  failing?: readonly FailingBrief[];
}

/**
 * The page as the preview serves it: `page` (the built HTML, or an empty page if none)
 * without its Content-Security-Policy meta tags, and with the error overlay, the PDF link
 * and the reload script added before `</body>`.
 */
export function previewPage(page: string | undefined, additions: PreviewAdditions): string {
  // The published pages forbid scripts; the preview's own reload script needs that lifted
  // (every policy: a page whose template writes its own also carries the build's).
  const html = (page ?? EMPTY_PAGE).replace(/<meta\s[^>]*http-equiv\s*=\s*["']?content-security-policy\b[^>]*>\n?/gi, '');
  const overlay = (additions.failure ? errorOverlay(additions.failure) : '') + (additions.failing?.length ? failingList(additions.failing) : '');
  const link = additions.pdfSlug !== undefined ? pdfLink(additions.pdfSlug) : '';
  // A function, not a string, so a `$&` or `$'` in an error message is not a replacement pattern.
  return html.replace('</body>', () => `${overlay}${link}${RELOAD_SCRIPT}</body>`);
}

/** The preview's own link to the PDF, which `brief serve` prints when it is followed. */
export const pdfLink = (slug: string): string =>
  `<a href="${escapeHtml(slug)}.pdf" style="position:fixed;right:1rem;bottom:1rem;z-index:2147483646;padding:.4rem .8rem;` +
  'background:#0d2f57;color:#fff;font:600 14px/1.2 system-ui,sans-serif;border-radius:4px;text-decoration:none">PDF preview</a>';

/** The overlay's frame: fixed over the top of the page, above everything, its heading and list given as HTML. */
const overlayBox = (id: string, heading: string, list: string): string =>
  `<div id="${id}" role="alert" style="position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;z-index:2147483647;` +
  'background:#fff5f5;border-bottom:4px solid #a3161b;padding:1rem 1.5rem;font:14px/1.5 ui-monospace,monospace;color:#1b1f24">' +
  `<strong style="font:700 15px/1.4 system-ui,sans-serif;color:#a3161b">${heading}</strong>` +
  `<ul style="margin:.5rem 0 0;padding-left:1.2rem">${list}</ul></div>`;

const errorLine = (e: NonNullable<ManifestEntry['errors']>[number]): string => escapeHtml(formatDiagnostic({ ...e, severity: 'error' }));

/**
 * The errors, over the last good page, in the same words `brief check` prints (HTML-escaped).
 * @param heading What the errors stop, after the brief's file (escaped); default: this page.
 */
export function errorOverlay(entry: ManifestEntry, heading = 'has errors; fix them and this page reloads'): string {
  const lines = (entry.errors ?? []).map((e) => `<li>${errorLine(e)}</li>`).join('');
  return overlayBox('flashbrief-errors', `${escapeHtml(entry.source)} ${escapeHtml(heading)}`, lines);
}

/**
 * The briefs that failed, over the index: each brief's file, linked to its page (which
 * shows all its errors) when it has one, and its first error. The index itself is the
 * one a build publishes: it keeps a failed brief's last good version, or leaves a brief
 * that never built off.
 */
export function failingList(failing: readonly FailingBrief[]): string {
  const items = failing.map(({ entry, slug }) => {
    const name = escapeHtml(entry.source);
    const file = slug === undefined ? name : `<a href="${escapeHtml(encodeURIComponent(slug))}.html">${name}</a>`;
    const [first, ...more] = entry.errors ?? [];
    const error = first ? ` — ${errorLine(first)}${more.length > 0 ? ` (and ${more.length} more)` : ''}` : '';
    return `<li>${file}${error}</li>`;
  });
  const heading =
    `${failing.length === 1 ? 'this brief has errors' : `these ${failing.length} briefs have errors`}: ` +
    'the index shows the last good version of each, or leaves it off if it never built; fix them and this page reloads';
  return overlayBox('flashbrief-failing', heading, items.join(''));
}

/** A page of the preview's own, served in place of a file: `body` (HTML) and the reload script. */
const standIn = (title: string, body: string): string =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}${RELOAD_SCRIPT}</body></html>`;

/**
 * Served in place of a brief's PDF while the brief has errors: the errors, and a reload
 * when a build finishes, so the PDF replaces them once the brief builds.
 */
export const pdfRefusal = (entry: ManifestEntry): string =>
  standIn('Errors', errorOverlay(entry, 'has errors, so its PDF is not printed; fix them and this page reloads'));

/**
 * Served in place of the page (or PDF) of a brief that was built but is no longer: its
 * file was removed or its slug changed. Reloads with the next build, so a brief put back
 * shows again.
 */
export const gonePage = (slug: string): string =>
  standIn(
    'No longer exists',
    overlayBox(
      'flashbrief-gone',
      `${escapeHtml(slug)} no longer exists: its brief was removed or its slug changed`,
      '<li><a href="index.html">The index</a> lists the briefs there are.</li>',
    ),
  );
