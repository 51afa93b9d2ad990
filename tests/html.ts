import { createHash } from 'node:crypto';
import { decodeHTML, decodeHTMLAttribute } from 'entities';
import { contentSecurityPolicy } from '../src/page/csp.js';

/*
 * What a browser would see in a page, for tests that must prove a page carries no active
 * content. A regular expression over the markup can be fooled by the very tricks an
 * attacker uses (odd spacing, entities, unquoted attributes, raw-text elements), so this
 * follows the tokenizer rules of the HTML standard: tags, attributes with their values
 * decoded, comments, raw-text elements and the foreign content of <svg> and <math>. Tree
 * construction is left out; whether a tag ends up where it is written does not change
 * whether it is dangerous.
 */

export interface HtmlTag {
  /** Lower-cased, as the browser matches it. */
  name: string;
  end: boolean;
  selfClosing: boolean;
  /** Names lower-cased, values with character references decoded. */
  attrs: { name: string; value: string }[];
  /** The undecoded text of a raw-text element (<script>, <style>, ...) that follows the start tag. */
  content?: string;
}

export interface HtmlTokens {
  tags: HtmlTag[];
  /** The text a reader sees, character references decoded; script and style bodies left out. */
  text: string;
}

const WHITESPACE = /[\t\n\f ]/;
const ALPHA = /[A-Za-z]/;
/** Elements whose content is not markup in HTML (but is inside <svg> and <math>). */
const RAW_TEXT = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript']);
/** Like raw text, but character references count: their content is visible text. */
const ESCAPABLE_RAW_TEXT = new Set(['title', 'textarea']);

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

export function tokenizeHtml(input: string): HtmlTokens {
  // The input stream is normalized before tokenizing: CR LF and CR become LF.
  const html = input.replace(/\r\n?/g, '\n');
  const n = html.length;
  const tags: HtmlTag[] = [];
  let text = '';
  // Inside <svg> or <math>, <style> and <title> hold markup, and CDATA sections are text.
  let foreign = 0;
  let i = 0;

  const skipTo = (needle: string, from: number) => {
    const at = html.indexOf(needle, from);
    return at < 0 ? n : at + needle.length;
  };

  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      text += decodeHTML(html.slice(i));
      break;
    }
    text += decodeHTML(html.slice(i, lt));
    i = lt;
    const next = html[i + 1] ?? '';
    if (next === '!') {
      if (html.startsWith('<!--', i)) {
        i = commentEnd(html, i + 4);
      } else if (foreign > 0 && html.startsWith('<![CDATA[', i)) {
        const end = html.indexOf(']]>', i + 9);
        text += html.slice(i + 9, end < 0 ? n : end);
        i = end < 0 ? n : end + 3;
      } else {
        i = skipTo('>', i + 2); // <!DOCTYPE ...> and bogus comments
      }
      continue;
    }
    if (next === '?') {
      i = skipTo('>', i + 2);
      continue;
    }
    if (next === '/') {
      const after = html[i + 2] ?? '';
      if (ALPHA.test(after)) {
        const { tag, end } = readTag(html, i + 2, true);
        tags.push(tag);
        if ((tag.name === 'svg' || tag.name === 'math') && foreign > 0) foreign--;
        i = end;
      } else if (after === '>') {
        i += 3;
      } else if (after === '') {
        text += '</';
        i = n;
      } else {
        i = skipTo('>', i + 2);
      }
      continue;
    }
    if (!ALPHA.test(next)) {
      text += '<';
      i++;
      continue;
    }
    const { tag, end } = readTag(html, i + 1, false);
    tags.push(tag);
    i = end;
    if (tag.name === 'svg' || tag.name === 'math') {
      if (!tag.selfClosing) foreign++;
    } else if (foreign === 0 && tag.name === 'plaintext') {
      tag.content = html.slice(i);
      i = n;
    } else if (foreign === 0 && (RAW_TEXT.has(tag.name) || ESCAPABLE_RAW_TEXT.has(tag.name))) {
      // Only the matching end tag ends these; everything before it is one piece of text.
      const close = new RegExp(`</${tag.name}[\\t\\n\\f />]`, 'gi');
      close.lastIndex = i;
      const found = close.exec(html);
      const stop = found ? found.index : n;
      tag.content = html.slice(i, stop);
      if (ESCAPABLE_RAW_TEXT.has(tag.name)) text += decodeHTML(tag.content);
      i = stop;
    }
  }
  return { tags, text };
}

/** Where a comment opened at `from` (just after "<!--") ends, including the abrupt "<!-->" forms. */
function commentEnd(html: string, from: number): number {
  if (html[from] === '>') return from + 1;
  if (html.startsWith('->', from)) return from + 2;
  const ends = [html.indexOf('-->', from), html.indexOf('--!>', from)].filter((x) => x >= 0);
  if (ends.length === 0) return html.length;
  const at = Math.min(...ends);
  return at + (html.startsWith('-->', at) ? 3 : 4);
}

/** A start or end tag whose name begins at `from`; `end` is the index after its ">". */
function readTag(html: string, from: number, isEnd: boolean): { tag: HtmlTag; end: number } {
  const n = html.length;
  let i = from;
  while (i < n && !/[\t\n\f />]/.test(html[i] as string)) i++;
  const tag: HtmlTag = { name: asciiLower(html.slice(from, i)).replace(/\0/g, '\uFFFD'), end: isEnd, selfClosing: false, attrs: [] };
  const skipSpace = () => {
    while (i < n && WHITESPACE.test(html[i] as string)) i++;
  };
  for (;;) {
    skipSpace();
    if (i >= n) break;
    const c = html[i] as string;
    if (c === '>') {
      i++;
      break;
    }
    if (c === '/') {
      if (html[i + 1] === '>') {
        tag.selfClosing = true;
        i += 2;
        break;
      }
      i++;
      continue;
    }
    // An attribute name may start with "="; after that, "=" ends it.
    const start = i;
    i++;
    while (i < n && !/[\t\n\f />=]/.test(html[i] as string)) i++;
    const name = asciiLower(html.slice(start, i));
    skipSpace();
    let raw = '';
    if (html[i] === '=') {
      i++;
      skipSpace();
      const quote = html[i];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, i + 1);
        raw = html.slice(i + 1, close < 0 ? n : close);
        i = close < 0 ? n : close + 1;
      } else if (quote !== '>') {
        const begin = i;
        while (i < n && !/[\t\n\f >]/.test(html[i] as string)) i++;
        raw = html.slice(begin, i);
      }
    }
    tag.attrs.push({ name, value: decodeHTMLAttribute(raw) });
  }
  return { tag, end: i };
}

/** Attributes whose value the browser loads, follows or submits to. */
const URL_ATTRIBUTES = new Set([
  'href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'background', 'data', 'ping', 'cite',
  'longdesc', 'codebase', 'manifest', 'lowsrc', 'dynsrc', 'icon', 'archive', 'classid', 'usemap', 'srcset',
]);
/** Elements that run, embed or submit something, or change how the page resolves URLs. */
const FORBIDDEN_ELEMENTS = new Set([
  'base', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'form', 'portal', 'math', 'template',
  'foreignobject', 'animate', 'set', 'animatemotion', 'animatetransform', 'handler', 'listener', 'use',
]);
/** The classes of the SVG figures the renderer draws itself (src/figures/timeline.ts, src/figures/locator-map.ts). */
export const TEMPLATE_SVG_CLASSES = new Set(['chart', 'map']);

/** The scheme of a URL as a browser reads it: tabs and line breaks removed, edges trimmed. */
function schemeOf(url: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- browsers strip these characters from URLs
  const cleaned = url.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  return /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(cleaned)?.[1]?.toLowerCase();
}

const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

/**
 * Everything in a page that could run, embed, submit or redirect, one line per finding;
 * an empty list means the page is inert. A whole page (`page: true`) may carry what the
 * bundled layout writes itself: one Content-Security-Policy <meta> that matches its one
 * inline <style>, one JSON-LD data block, and its stylesheet and canonical <link>s. A
 * fragment may carry none of those.
 */
export function findActiveContent(html: string, { page }: { page: boolean }): string[] {
  const { tags } = tokenizeHtml(html);
  const found: string[] = [];
  const starts = tags.filter((t) => !t.end);
  const scripts = starts.filter((t) => t.name === 'script');
  const styles = starts.filter((t) => t.name === 'style');
  const policies = starts.filter((t) => t.name === 'meta' && t.attrs.some((a) => a.name === 'http-equiv'));

  if (page) {
    // The layout's own inline style is allowed by its hash, so the policy must name exactly that hash.
    if (styles.length !== 1) found.push(`${styles.length} <style> elements; the layout writes one`);
    const style = styles[0]?.content ?? '';
    const expected = contentSecurityPolicy(style);
    const policy = policies[0];
    const httpEquiv = policy?.attrs.find((a) => a.name === 'http-equiv')?.value.toLowerCase();
    const content = policy?.attrs.find((a) => a.name === 'content')?.value;
    if (policies.length !== 1 || httpEquiv !== 'content-security-policy' || content !== expected) {
      found.push(`<meta http-equiv> other than the layout's Content-Security-Policy: ${policies.map((p) => JSON.stringify(p.attrs)).join(', ')}`);
    }
    if (!content?.includes(`'sha256-${createHash('sha256').update(style, 'utf8').digest('base64')}'`)) {
      found.push('the inline <style> is not the one the policy allows');
    }
    const dataBlocks = scripts.filter((s) => s.attrs.length === 1 && s.attrs[0]?.name === 'type' && s.attrs[0].value === 'application/ld+json');
    if (scripts.length !== 1 || dataBlocks.length !== 1) found.push(`${scripts.length} <script> elements; the layout writes one JSON-LD block`);
    for (const block of dataBlocks) {
      // A data block is inert only while it stays JSON that no "<" can end early.
      const body = block.content ?? '';
      if (body.includes('<')) found.push('"<" inside the JSON-LD block');
      try {
        JSON.parse(body);
      } catch {
        found.push('the JSON-LD block is not JSON');
      }
    }
  } else {
    for (const s of scripts) found.push(`<script ${JSON.stringify(s.attrs)}>`);
    if (styles.length > 0) found.push(`${styles.length} <style> element(s)`);
    for (const p of policies) found.push(`<meta http-equiv> ${JSON.stringify(p.attrs)}`);
  }

  for (const tag of starts) {
    if (FORBIDDEN_ELEMENTS.has(tag.name)) found.push(`<${tag.name}> element`);
    if (tag.name === 'svg' && !TEMPLATE_SVG_CLASSES.has(tag.attrs.find((a) => a.name === 'class')?.value ?? '')) {
      found.push(`<svg> that is not one of the renderer's figures: ${JSON.stringify(tag.attrs)}`);
    }
    if (tag.name === 'link') {
      const rel = tag.attrs.find((a) => a.name === 'rel')?.value;
      const href = tag.attrs.find((a) => a.name === 'href')?.value ?? '';
      const ours = page && ((rel === 'stylesheet' && /^assets\/[\w.-]+\.css$/.test(href)) || rel === 'canonical');
      if (!ours) found.push(`<link ${JSON.stringify(tag.attrs)}>`);
    }
    for (const { name, value } of tag.attrs) {
      if (name.startsWith('on')) found.push(`event handler ${name} on <${tag.name}>`);
      if (name === 'srcdoc' || name === 'formaction' || name === 'action') found.push(`${name} on <${tag.name}>`);
      if (name === 'style' && /url\s*\(|expression\s*\(|javascript:/i.test(value)) found.push(`style that loads or runs something on <${tag.name}>`);
      if (URL_ATTRIBUTES.has(name)) {
        const urls = name === 'srcset' ? value.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '') : [value];
        for (const url of urls) {
          const scheme = schemeOf(url);
          if (scheme !== undefined && !SAFE_SCHEMES.has(scheme)) found.push(`${name}="${url}" on <${tag.name}> (${scheme}: URL)`);
        }
      }
    }
  }
  return found;
}

/** The visible text of a page with runs of whitespace made single spaces, as a reader sees it. */
export const visibleText = (html: string): string => tokenizeHtml(html).text.replace(/\s+/g, ' ');
