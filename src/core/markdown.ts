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
      table(token: Tokens.Table): string {
        return renderTable(token, (cell) => this.parser.parseInline(cell.tokens));
      },
      // A heading inside a section must sit below the section's own heading.
      heading({ tokens, depth }: Tokens.Heading): string {
        const level = Math.min(depth + headingOffset, 6);
        return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
      },
    },
  });
}

/*
 * Tables in prose. A column of figures reads down its last digits, so a column whose
 * every filled cell is a number is aligned to the end (class "num") without the writer
 * having to mark it; a column marked `---:` or `:---:` is aligned so too. Alignment is a
 * class, not marked's `align` attribute, which HTML no longer allows.
 */

/** A figure as a table gives one: 12, 1,204, 3.5, -2, 45%, 10+, $1.2, ~30. */
const FIGURE = /^[~≈±+\-\u2212]?[$€£]?\d[\d,.\u202f\u00a0]*[%+]?$/u;
/** What a table writes for "no figure": nothing, a dash, or n/a. */
const NO_FIGURE = /^(?:|[-\u2012-\u2015?]|n\/?a)$/iu;

/** Whether every filled cell of a column is a figure, and at least one is. */
function isFigureColumn(cells: readonly Tokens.TableCell[]): boolean {
  const texts = cells.map((cell) => decodeEntities(cell.text).trim());
  return texts.some((t) => FIGURE.test(t)) && texts.every((t) => FIGURE.test(t) || NO_FIGURE.test(t));
}

function renderTable(token: Tokens.Table, inline: (cell: Tokens.TableCell) => string): string {
  const classes = token.header.map((_, column) => {
    const align = token.align[column];
    // The writer's own alignment wins; a column of figures left unmarked goes to the end.
    if (align === 'left') return undefined;
    if (align === 'center') return 'center';
    if (isFigureColumn(token.rows.map((row) => row[column]).filter((cell) => cell !== undefined))) return 'num';
    return align === 'right' ? 'end' : undefined;
  });
  const cell = (c: Tokens.TableCell, column: number, tag: 'th' | 'td') => {
    const cls = classes[column];
    return `<${tag}${tag === 'th' ? ' scope="col"' : ''}${cls ? ` class="${cls}"` : ''}>${inline(c)}</${tag}>`;
  };
  const head = `<thead>\n<tr>${token.header.map((c, i) => cell(c, i, 'th')).join('')}</tr>\n</thead>\n`;
  const body = token.rows.length === 0 ? '' : `<tbody>\n${token.rows.map((row) => `<tr>${row.map((c, i) => cell(c, i, 'td')).join('')}</tr>\n`).join('')}</tbody>\n`;
  return `<table>\n${head}${body}</table>\n`;
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
