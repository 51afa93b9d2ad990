import createDOMPurify from 'dompurify';
import { JSDOM } from 'jsdom';
import { cleanDeclarations, cleanStylesheet, isInertCss } from './svg-style.js';

/*
 * SVG is a document that can run script, load other files and embed HTML. An SVG image
 * in a brief is cleaned before it is written or printed: DOMPurify's SVG profile keeps
 * drawing and takes out scripts, event handlers and foreignObject, and what follows here
 * takes out every reference to anything but the image's own parts ("#id") and every
 * style that could fetch a file (svg-style.ts), so nothing is fetched or followed.
 *
 * The document is parsed with DOMParser, never as the window's own document: a parsed
 * document has no browsing context, so an <iframe> in it is only an element and opens
 * no frame (a frame jsdom opened and DOMPurify then removed made window.close() throw).
 * Kept in its own module: jsdom is loaded only when an SVG is met.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Attributes that name a file to load or a place to go, besides href. */
const URL_ATTRIBUTES = new Set(['src', 'srcset', 'data', 'action', 'formaction', 'background', 'poster', 'codebase', 'cite', 'base', 'ping', 'lowsrc', 'dynsrc']);

/** A reference that stays inside the document: "#id". */
const isOwnPart = (value: string) => /^\s*#/.test(value);

/** One window for every SVG: only its DOMParser and DOMPurify are used, and it opens no frame. */
let shared: JSDOM['window'] | undefined;
const sharedWindow = (): JSDOM['window'] => (shared ??= new JSDOM('').window);

export type SvgResult = { svg: string; removed: string[]; hasText: boolean } | { error: string };

/**
 * The SVG document `text`, sanitized: its root must be an <svg>. Returns the cleaned
 * document, what was removed (element and attribute names, each once) and whether what
 * is left draws text, or why it could not be read. Never throws, whatever the text.
 */
export function sanitizeSvg(text: string): SvgResult {
  try {
    return sanitize(text);
  } catch (err) {
    // Not expected: every input is meant to be cleaned or refused above. Refusing the file
    // is the safe answer, and the author is told in plain words.
    return { error: `it could not be cleaned (${String((err as Error)?.message ?? err).split('\n')[0]})` };
  }
}

function sanitize(text: string): SvgResult {
  const window = sharedWindow();
  const doc = new window.DOMParser().parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (!root || root.localName === 'parsererror') {
    // The parser says "1:52: unexpected close tag."; the author knows which file it is.
    const said = (root?.textContent ?? '').split('\n')[0]?.replace(/\.$/, '') || 'unreadable';
    return { error: `at ${said}` };
  }
  if (root.namespaceURI !== SVG_NS || root.localName !== 'svg') return { error: 'its root element is not <svg> in the SVG namespace' };
  const purify = createDOMPurify(window);
  const removed = new Set<string>();
  // `role` (role="img" with an aria-label is how an accessible SVG names itself) runs nothing.
  purify.sanitize(root, { USE_PROFILES: { svg: true, svgFilters: true }, ADD_ATTR: ['role'], IN_PLACE: true });
  for (const item of purify.removed) {
    if ('attribute' in item && item.attribute) removed.add(item.attribute.name);
    else if ('element' in item && item.element) removed.add(`<${item.element.nodeName}>`);
  }
  cleanTree(root, removed);
  // An SVG shown as an image cannot use the page's web fonts: its text is set in a font of
  // the machine that prints it. Only text that draws something counts (not an empty <text>).
  const hasText = [...root.getElementsByTagNameNS(SVG_NS, 'text')].some((t) => (t.textContent ?? '').trim() !== '');
  const svg = new window.XMLSerializer().serializeToString(root);
  return { svg: `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`, removed: [...removed], hasText };
}

/**
 * What DOMPurify leaves that could still reach outside the document, taken out in place
 * and named in `removed`: elements outside the SVG namespace, processing instructions,
 * handlers, references but to the document's own parts, attribute values with a
 * backslash or a CSS fetch, and style that could fetch a file.
 */
function cleanTree(root: Element, removed: Set<string>): void {
  const doc = root.ownerDocument;
  const walker = doc.createTreeWalker(root, 0x1 | 0x40 /* elements and processing instructions */);
  const drop: Node[] = [];
  for (let node: Node | null = walker.currentNode; node; node = walker.nextNode()) {
    if (node.nodeType === 7) {
      drop.push(node);
      removed.add('processing instruction');
      continue;
    }
    const el = node as Element;
    if (el.namespaceURI !== SVG_NS || /^(?:script|foreignobject|iframe|object|embed|handler|listener)$/i.test(el.localName)) {
      drop.push(el);
      removed.add(`<${el.nodeName}>`);
      continue;
    }
    cleanAttributes(el, removed);
    if (el.localName === 'style') {
      const { css, changed } = cleanStylesheet(el.textContent ?? '');
      if (changed) {
        el.textContent = css;
        removed.add('style that could load a file, in <style>');
      }
    }
  }
  for (const node of drop) node.parentNode?.removeChild(node);
}

function cleanAttributes(el: Element, removed: Set<string>): void {
  for (const attr of [...el.attributes]) {
    const name = attr.localName.toLowerCase();
    const value = attr.value;
    let keep = true;
    if (name.startsWith('on') || URL_ATTRIBUTES.has(name)) keep = false;
    else if (name === 'href') keep = isOwnPart(value);
    else if (name === 'style') {
      const { css, changed } = cleanDeclarations(value);
      if (changed) {
        removed.add('style that could load a file, in a style attribute');
        if (css === '') el.removeAttributeNode(attr);
        else attr.value = css;
      }
      continue;
    } else if (!name.startsWith('aria-')) {
      // A presentation attribute is read as CSS: the same rule as a style declaration.
      keep = isInertCss(value);
    }
    if (!keep) {
      el.removeAttributeNode(attr);
      removed.add(attr.name);
    }
  }
}
