import createDOMPurify from 'dompurify';
import { JSDOM } from 'jsdom';

/*
 * SVG is a document that can run script, load other files and embed HTML. An SVG image
 * in a brief is cleaned before it is written or printed: DOMPurify's SVG profile keeps
 * drawing and takes out scripts, event handlers and foreignObject, and what follows here
 * takes out every reference to anything but the image's own parts ("#id"), so nothing is
 * fetched or followed. Kept in its own module: jsdom is loaded only when an SVG is met.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** url(...) to anything but a part of this document, and @import: both fetch. */
const OUTSIDE_URL = /url\(\s*(['"]?)(?!\s*#)[^)]*\1\s*\)/gi;
const IMPORT = /@import[^;]*;?/gi;

/** A reference that stays inside the document: "#id". */
const isOwnPart = (value: string) => /^\s*#/.test(value);

/**
 * The SVG document `text`, sanitized: its root must be an <svg>. Returns the cleaned
 * document, what was removed (element and attribute names, each once) and whether what
 * is left draws text, or why it could not be read.
 */
export function sanitizeSvg(text: string): { svg: string; removed: string[]; hasText: boolean } | { error: string } {
  let dom: JSDOM;
  try {
    dom = new JSDOM(text, { contentType: 'image/svg+xml' });
  } catch (err) {
    // The parser names the document about:blank; the author knows which file it is.
    return { error: (String((err as Error).message).split('\n')[0] ?? 'unreadable').replace(/^about:blank:/, 'at ').replace(/\.$/, '') };
  }
  const { window } = dom;
  const root = window.document.documentElement;
  if (!root || root.namespaceURI !== SVG_NS || root.localName !== 'svg') return { error: 'its root element is not <svg> in the SVG namespace' };
  const purify = createDOMPurify(window);
  const removed = new Set<string>();
  purify.addHook('uponSanitizeAttribute', (_node, data) => {
    const name = data.attrName.toLowerCase();
    if ((name === 'href' || name.endsWith(':href')) && !isOwnPart(data.attrValue)) {
      // DOMPurify lists it among what it removed.
      data.keepAttr = false;
    } else if (OUTSIDE_URL.test(data.attrValue) || IMPORT.test(data.attrValue)) {
      data.attrValue = data.attrValue.replace(OUTSIDE_URL, 'none').replace(IMPORT, '');
      removed.add(`url() in ${data.attrName}`);
    }
    OUTSIDE_URL.lastIndex = 0;
    IMPORT.lastIndex = 0;
  });
  // `role` (role="img" with an aria-label is how an accessible SVG names itself) runs nothing.
  purify.sanitize(root, { USE_PROFILES: { svg: true, svgFilters: true }, ADD_ATTR: ['role'], IN_PLACE: true });
  for (const item of purify.removed) {
    if ('attribute' in item && item.attribute) removed.add(item.attribute.name);
    else if ('element' in item && item.element) removed.add(`<${item.element.nodeName}>`);
  }
  for (const style of [...root.getElementsByTagNameNS(SVG_NS, 'style')]) {
    const css = style.textContent ?? '';
    const clean = css.replace(IMPORT, '').replace(OUTSIDE_URL, 'none');
    if (clean !== css) {
      style.textContent = clean;
      removed.add('url() in <style>');
    }
  }
  // An SVG shown as an image cannot use the page's web fonts: its text is set in a font of
  // the machine that prints it. Only text that draws something counts (not an empty <text>).
  const hasText = [...root.getElementsByTagNameNS(SVG_NS, 'text')].some((t) => (t.textContent ?? '').trim() !== '');
  const svg = new window.XMLSerializer().serializeToString(root);
  window.close();
  return { svg: `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`, removed: [...removed], hasText };
}
