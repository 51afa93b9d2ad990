import Handlebars from 'handlebars';
import { decodeHTML } from 'entities';
import { Marked, type Tokens } from 'marked';

/*
 * Markdown from a brief becomes part of a public page, so the output policy lives in one
 * renderer: raw HTML is shown as text, never passed through as markup, and links and
 * images keep only URLs that cannot run anything. Everything else marked produces is
 * escaped by marked itself.
 */

/** HTML escaping for text and attributes: the same rules Handlebars applies in templates. */
export const escapeHtml = (s: string): string => Handlebars.escapeExpression(s);

/** http, https, mailto, or an in-page #anchor; compared on the raw text, so no encoding trick passes. */
export function isSafeHref(href: string): boolean {
  return /^(?:https?:\/\/|mailto:)[^\s]+$/i.test(href) || /^#[\w.:-]*$/.test(href);
}

/** Images are fetched by readers' browsers, so only web URLs. */
export const isSafeImageSrc = (src: string): boolean => /^https?:\/\/[^\s]+$/i.test(src);

function createMarked(headingOffset: number): Marked {
  return new Marked({
    gfm: true,
    async: false,
    renderer: {
      html({ text }: Tokens.HTML | Tokens.Tag): string {
        return escapeHtml(text);
      },
      link({ href, title, tokens }: Tokens.Link): string {
        const label = this.parser.parseInline(tokens);
        if (!isSafeHref(href)) return label;
        const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
        return `<a href="${escapeHtml(href)}"${titleAttr}>${label}</a>`;
      },
      image({ href, title, text }: Tokens.Image): string {
        if (!isSafeImageSrc(href)) return escapeHtml(text);
        const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
        return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}"${titleAttr}>`;
      },
      // A heading inside a section must sit below the section's own heading.
      heading({ tokens, depth }: Tokens.Heading): string {
        const level = Math.min(depth + headingOffset, 6);
        return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
      },
    },
  });
}

/** Sections are h2 in the page, so Markdown's "#" becomes h3. */
const blockMarked = createMarked(2);

export const renderMarkdown = (text: string): string => blockMarked.parse(text) as string;

export const renderInlineMarkdown = (text: string): string => blockMarked.parseInline(text) as string;

/** The words of a Markdown text without markup, for a meta description or a PDF subject. */
export function markdownToPlainText(text: string): string {
  const words: string[] = [];
  blockMarked.walkTokens(blockMarked.lexer(text), (token) => {
    if ('tokens' in token && token.tokens && token.tokens.length > 0) return;
    if (token.type === 'text' || token.type === 'codespan' || token.type === 'escape' || token.type === 'html') {
      words.push(token.type === 'text' || token.type === 'escape' ? decodeEntities(token.text) : token.text);
    }
    if (token.type === 'space' || token.type === 'br') words.push(' ');
  });
  return words.join('').replace(/\s+/g, ' ').trim();
}

/** marked keeps entities in text tokens as written (&copy;, &#8212;); plain text wants the characters. */
const decodeEntities = (s: string): string => decodeHTML(s);
