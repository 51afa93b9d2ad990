import { createHash } from 'node:crypto';
import { decodeHTMLAttribute } from 'entities';

/*
 * The Content-Security-Policy every published page carries (SECURITY.md): as a <meta> tag,
 * so it holds on any host, whatever headers the server sends. A template writes it with
 * {{csp}}; a page whose template forgot gets it all the same.
 */

/**
 * What a published page may load: its own stylesheet, fonts and images, web images from
 * Markdown, and, when `inlineStyle` is given, the one inline <style> it carries (by its
 * SHA-256 hash). No script runs (a JSON-LD block is data), no plugin, no form, no <base>
 * rewrite. The index and topic pages have no inline style, and so allow none.
 */
export function contentSecurityPolicy(inlineStyle?: string): string {
  const hash = inlineStyle === undefined ? undefined : createHash('sha256').update(inlineStyle, 'utf8').digest('base64');
  return [
    "default-src 'none'",
    hash === undefined ? "style-src 'self'" : `style-src 'self' 'sha256-${hash}'`,
    "font-src 'self'",
    "img-src 'self' https: http: data:",
    "script-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** The tag as the bundled templates write it (Handlebars escapes the quotes), so the preview server finds it the same way. */
export const policyTag = (policy: string): string =>
  `<meta http-equiv="Content-Security-Policy" content="${policy.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;')}">`;

/**
 * `html` with `policy` in force: unchanged when its head already has a Content-Security-Policy
 * <meta> with exactly that policy, else with one added where the browser applies it, early in
 * the head: after <meta charset> (which must stay within the first bytes), else after <head>,
 * else after <html> or the doctype, where the parser still opens the head. A <meta> policy
 * in the body is ignored by browsers, so one there does not count. A template's own,
 * different policy stays: browsers enforce every policy a page has, so adding ours only
 * narrows what the page may do.
 */
export function withContentSecurityPolicy(html: string, policy: string): string {
  const headEnd = html.search(/<\/head\s*>|<body[\s>]/i);
  const head = headEnd < 0 ? html : html.slice(0, headEnd);
  const metas = [...head.matchAll(/<meta\b[^>]*>/gi)];
  const isPolicy = (tag: string) => {
    const attrs = attributes(tag);
    return attrs.get('http-equiv')?.toLowerCase() === 'content-security-policy' && attrs.get('content')?.trim() === policy;
  };
  if (metas.some((m) => isPolicy(m[0]))) return html;
  const charset = metas.find((m) => attributes(m[0]).has('charset'));
  const anchor = charset ?? /<head(?:\s[^>]*)?>/i.exec(head) ?? /<html(?:\s[^>]*)?>/i.exec(head) ?? /<!doctype[^>]*>/i.exec(head);
  const at = anchor ? (anchor.index ?? 0) + anchor[0].length : 0;
  return `${html.slice(0, at)}\n${policyTag(policy)}${html.slice(at)}`;
}

/** The attributes of one start tag, names in lower case, values decoded. */
function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  const body = tag.replace(/^<[a-z]+/i, '').replace(/\/?>$/, '');
  for (const m of body.matchAll(/([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    const name = (m[1] as string).toLowerCase();
    if (!found.has(name)) found.set(name, decodeHTMLAttribute(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return found;
}
