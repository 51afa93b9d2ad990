import postcss, { type ChildNode } from 'postcss';

/*
 * The CSS an SVG may keep: what a <style> element or a style (or presentation) attribute
 * says, less anything by which a browser could fetch a file. Decided conservatively,
 * because CSS has many ways to spell a fetch: url(), image(), image-set() and its
 * prefixed forms, cross-fade(), @import, @font-face, and backslash escapes that turn
 * "\75 rl(" into "url(" once the browser reads them. So a declaration, rule or at-rule
 * that holds a backslash at all, or any of those names, goes; what is left is checked
 * once more as a whole text, and a stylesheet that still fails is dropped entirely.
 * References to the document's own parts ("url(#gradient)") fetch nothing and stay.
 */

/** A reference to a part of this document: url(#id), quoted or not. */
const OWN_PART = /url\(\s*(['"]?)#[\w.:-]*\1\s*\)/gi;

/**
 * Names by which CSS fetches (or in some browser may fetch) a file. Written loosely on
 * purpose (space before the parenthesis, any case): a false alarm only drops a style.
 */
const FETCHES = /(?:url|image|image-set|cross-fade|element|src|paint|expression)\s*\(|@import|@font-face|@namespace/i;

/** At-rules whose contents are ordinary rules, checked one by one; every other at-rule goes. */
const KEPT_AT_RULES = new Set(['media', 'supports', 'keyframes', '-webkit-keyframes', 'layer', 'container']);

/**
 * Whether CSS text (a stylesheet, a declaration list or one value) can fetch nothing: no
 * backslash anywhere and, references to the document's own parts aside, no name by
 * which CSS fetches. Strings count as well as code: a false alarm only drops a style.
 */
export function isInertCss(text: string): boolean {
  return !text.includes('\\') && !FETCHES.test(text.replace(OWN_PART, ''));
}

/** Whether one node of a stylesheet may stay, its children aside. */
function keepNode(node: ChildNode): boolean {
  switch (node.type) {
    // A comment fetches nothing, but it is text only people read: dropping it keeps the check simple.
    case 'comment':
      return false;
    case 'atrule':
      return KEPT_AT_RULES.has(node.name.toLowerCase()) && isInertCss(`@${node.name} ${node.params}`);
    case 'rule':
      return isInertCss(node.selector);
    case 'decl':
      return isInertCss(`${node.prop}:${node.value}`);
    default:
      return false;
  }
}

/**
 * A <style> element's text less everything that could fetch a file. Returns the CSS to
 * keep ('' when none) and whether anything was taken out. Never throws: CSS that postcss
 * cannot read is dropped whole.
 */
export function cleanStylesheet(css: string): { css: string; changed: boolean } {
  let root: postcss.Root;
  try {
    root = postcss.parse(css);
    root.walk((node) => {
      if (!keepNode(node)) node.remove();
    });
  } catch {
    return { css: '', changed: css.trim() !== '' };
  }
  const kept = root.toString();
  // postcss reads CSS as a browser does in almost every case; the whole text is checked
  // again so that a case where they differ cannot bring a fetch through.
  if (!isInertCss(kept)) return { css: '', changed: true };
  return { css: kept, changed: kept !== css };
}

/**
 * A style attribute's declarations less those that could fetch a file. Returns the
 * declarations to keep ('' when none) and whether anything was taken out. Never throws.
 */
export function cleanDeclarations(style: string): { css: string; changed: boolean } {
  if (isInertCss(style)) return { css: style, changed: false };
  try {
    // Read as the body of one rule: anything that is not a plain declaration in it goes.
    const root = postcss.parse(`x{${style}}`);
    const rule = root.first;
    if (root.nodes.length !== 1 || rule?.type !== 'rule') return { css: '', changed: true };
    const kept = rule.nodes.filter((n) => n.type === 'decl' && keepNode(n)).map(String).join('; ');
    return isInertCss(kept) ? { css: kept, changed: true } : { css: '', changed: true };
  } catch {
    return { css: '', changed: true };
  }
}
