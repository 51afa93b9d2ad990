import Handlebars from 'handlebars';
import { decodeHTML } from 'entities';
import { Marked, Tokenizer, type Token, type Tokens, type TokenizerAndRendererExtension } from 'marked';

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

/** Whether a link's text is its own address, give or take the scheme, "www." and a final "/" or "mailto:". */
export function sameAddress(text: string, href: string): boolean {
  const bare = (s: string) => decodeEntities(s).trim().toLowerCase().replace(/^(?:https?:\/\/|mailto:)/, '').replace(/^www\./, '').replace(/\/$/, '');
  return bare(text) === bare(href);
}

/** Images are fetched by readers' browsers, so only web URLs. */
export const isSafeImageSrc = (src: string): boolean => /^https?:\/\/[^\s]+$/i.test(src);

/**
 * A local image of a brief (`![alt](photos/x.jpg)`) as the project found it: the asset the
 * page links to, its size, and what is wrong with it. The project reads the files; the
 * core only looks them up by the path as written.
 */
export interface LocalImage {
  /** Output-relative path of the copy the page shows (assets/<name>.<hash>.<ext>); absent when the file cannot be used. */
  asset?: string;
  /** Intrinsic size in CSS pixels, when known: the page keeps the image's room while it loads. */
  width?: number;
  height?: number;
  /** Why it cannot be used (errors) or could be better (warnings), said at the image. */
  problems: readonly { severity: 'error' | 'warning'; message: string }[];
}

/** A brief's local images by the address written in its Markdown (as the Markdown parser gives it). */
export type ImageLookup = ReadonlyMap<string, LocalImage>;

/** An address with a scheme (https:, data:, file:) or starting with "//": not a path in the project. */
export const hasScheme = (src: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(src) && !/^[a-z]:[\\/]/i.test(src);

/**
 * Footnote numbers and ids shared by every Markdown field of one brief: the fields are
 * rendered one by one, but a reader sees one page, so numbers run on from field to field
 * and ids carry the brief's own prefix (two briefs' fragments may share a CMS page).
 */
export interface NoteScope {
  /** Starts every id, e.g. "note-tower-22": letters, digits and "-" only. */
  prefix: string;
  /** The number the next new note gets. */
  next: number;
}

/** A fresh numbering for one brief; `key` (the slug) makes its ids unlike any other brief's. */
export const createNoteScope = (key: string): NoteScope => ({ prefix: `note-${key.replace(/[^A-Za-z0-9-]/g, '-')}`, next: 1 });

/** What one render of one field knows: its notes so far. Set only while a render runs. */
interface RenderState {
  scope: NoteScope;
  /** Each note's content by its label, the first definition of a label winning. */
  definitions: Map<string, Token[]>;
  /** Labels in the order of their first reference, with their numbers. */
  cited: Map<string, { number: number; refs: number }>;
  /** The brief's local images, by the address written. */
  images: ImageLookup;
}

/**
 * marked's extensions cannot be handed per-call data, and rendering is synchronous, so the
 * state of the render in progress lives here between renderMarkdown's start and end.
 */
let current: RenderState | undefined;

const noteId = (scope: NoteScope, n: number) => `${scope.prefix}-${n}`;
const refId = (scope: NoteScope, n: number, occurrence: number) => `${scope.prefix}-ref-${n}${occurrence > 1 ? `-${occurrence}` : ''}`;

/** `[^label]: text`, its lazy continuation lines, and after blank lines the lines indented under it. */
const DEFINITION = /^\[\^([^\]\s]{1,100})\]:[ \t]*/;
/** A line that starts a block of its own (heading, quote, list, table, code), so it ends a note. */
const BLOCK_START = /^\s*(?:[#>|`~]|[-*+]\s|\d{1,9}[.)]\s)/;

/** GFM footnote definitions: kept aside, printed after the field's text as a numbered list. */
const footnoteDefinition: TokenizerAndRendererExtension = {
  name: 'footnoteDefinition',
  level: 'block',
  start: (src) => /^\[\^[^\]\s]+\]:/m.exec(src)?.index,
  tokenizer(src) {
    const head = DEFINITION.exec(src);
    if (!head) return undefined;
    const lines = src.split('\n');
    const body = [(lines[0] ?? '').slice(head[0].length)];
    let end = 1;
    while (end < lines.length) {
      let next = end;
      while (next < lines.length && (lines[next] ?? '').trim() === '') next++;
      const line = lines[next];
      if (line === undefined) break;
      // After a blank line only indented lines belong to the note; right after it, a line
      // of running text does too (as in a paragraph), but not a new note or another block.
      const continues = next > end ? /^(?: {2,}|\t)/.test(line) : !DEFINITION.test(line) && !BLOCK_START.test(line);
      if (!continues) break;
      for (let k = end; k <= next; k++) body.push((lines[k] ?? '').replace(/^(?: {1,4}|\t)/, ''));
      end = next + 1;
    }
    const raw = lines.slice(0, end).join('\n') + (end < lines.length ? '\n' : '');
    const label = head[1] ?? '';
    const content = this.lexer.blockTokens(body.join('\n'));
    if (current && !current.definitions.has(label)) current.definitions.set(label, content);
    // The content is kept under a name of its own, not `tokens`, so plain text (the summary) leaves notes out.
    return { type: 'footnoteDefinition', raw, label, content };
  },
  renderer: () => '',
};

/** `[^label]` with a definition in the same field: a numbered link to its note. */
const footnoteRef: TokenizerAndRendererExtension = {
  name: 'footnoteRef',
  level: 'inline',
  start: (src) => {
    const index = src.indexOf('[^');
    return index < 0 ? undefined : index;
  },
  tokenizer(src) {
    const match = /^\[\^([^\]\s]{1,100})\]/.exec(src);
    const label = match?.[1];
    if (!match || label === undefined || !current?.definitions.has(label)) return undefined;
    const { scope, cited } = current;
    let note = cited.get(label);
    if (!note) {
      note = { number: scope.next++, refs: 0 };
      cited.set(label, note);
    }
    note.refs += 1;
    return { type: 'footnoteRef', raw: match[0], number: note.number, id: refId(scope, note.number, note.refs), href: `#${noteId(scope, note.number)}` };
  },
  renderer: (token) => `<sup class="note-ref"><a id="${escapeHtml(token.id)}" href="${escapeHtml(token.href)}" aria-label="Note ${token.number}">${token.number}</a></sup>`,
};

/** The field's cited notes, numbered, each with a way back to where it was cited. */
function renderNotes(marked: Marked, state: RenderState): string {
  if (state.cited.size === 0) return '';
  const items = [...state.cited].map(([label, { number, refs }]) => {
    const body = marked.parser(state.definitions.get(label) ?? []).trimEnd();
    const back = Array.from({ length: refs }, (_, k) =>
      ` <a class="notes__back" href="#${refId(state.scope, number, k + 1)}" aria-label="Back to the text${refs > 1 ? ` (${k + 1})` : ''}">\u2191</a>`,
    ).join('');
    // The way back sits at the end of the note's last paragraph, not on a line of its own.
    const inner = body.endsWith('</p>') ? `${body.slice(0, -'</p>'.length)}${back}</p>` : `${body}${back}`;
    return `<li id="${noteId(state.scope, number)}" value="${number}">${inner}</li>\n`;
  });
  return `<ol class="notes" aria-label="Notes">\n${items.join('')}</ol>\n`;
}

function createMarked(headingOffset: number): Marked {
  return new Marked({
    gfm: true,
    async: false,
    extensions: [footnoteDefinition, footnoteRef],
    tokenizer: {
      // GFM runs a bare address to the next space, so a note mark written straight after
      // one ("see https://example.org/a.[^1]") would end up inside the link. The address
      // ends where a note mark starts; GFM's own rules then trim its final punctuation.
      url(src: string) {
        const at = (/^\S*/.exec(src)?.[0] ?? '').indexOf('[^');
        if (at <= 0) return false;
        return Tokenizer.prototype.url.call(this, src.slice(0, at));
      },
    },
    renderer: {
      html({ text }: Tokens.HTML | Tokens.Tag): string {
        return escapeHtml(text);
      },
      link({ href, title, tokens, text }: Tokens.Link): string {
        const label = this.parser.parseInline(tokens);
        if (!isSafeHref(href)) return label;
        const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
        // A link that shows its own address is not given it again in print.
        const bare = sameAddress(text, href) ? ' class="bare"' : '';
        return `<a href="${escapeHtml(href)}"${bare}${titleAttr}>${label}</a>`;
      },
      // An image alone in its paragraph is a figure, with its title as caption and credit.
      // A paragraph takes the direction of its first letter (dir="auto"), so an English
      // paragraph in an Arabic brief (or the reverse) keeps its words' order and its full stop
      // at its own end. List items do the same in the stylesheet (unicode-bidi: plaintext),
      // which leaves their markers on the list's side.
      paragraph({ tokens }: Tokens.Paragraph): string {
        const figure = imageFigure(tokens);
        return figure ?? `<p dir="auto">${this.parser.parseInline(tokens)}</p>\n`;
      },

      image({ href, title, text }: Tokens.Image): string {
        const local = current?.images.get(href);
        if (local?.asset) return localImage(local, text, title, 'prose-image');
        if (!isSafeImageSrc(href)) return escapeHtml(text);
        const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
        return `<span class="remote-image"><img class="prose-image" src="${escapeHtml(href)}" alt="${escapeHtml(text)}"${titleAttr}>${remotePlaceholder(href, text)}</span>`;
      },
      table(token: Tokens.Table): string {
        return renderTable(token, (cell) => this.parser.parseInline(cell.tokens));
      },
      // A heading inside a section must sit below the section's own heading. Like a
      // paragraph it takes the direction of its first letter (dir="auto"): an English line in
      // an Arabic brief, or the reverse, reads in its own order, its full stop at its own end.
      heading({ tokens, depth }: Tokens.Heading): string {
        const level = Math.min(depth + headingOffset, 6);
        return `<h${level} dir="auto">${this.parser.parseInline(tokens)}</h${level}>\n`;
      },
    },
  });
}

/** The `<img>` of a local image: its asset, its alt text and, when known, its size. */
function localImage(image: LocalImage, alt: string, title: string | null | undefined, cls: string): string {
  const size = image.width && image.height ? ` width="${Math.round(image.width)}" height="${Math.round(image.height)}"` : '';
  const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
  return `<img class="${cls}" src="${escapeHtml(image.asset ?? '')}" alt="${escapeHtml(alt)}"${size}${titleAttr}>`;
}

/**
 * A title's caption and credit: `"The checkpoint on 12 March | Photo: Jane Roe"` is the
 * caption "The checkpoint on 12 March" and the credit "Photo: Jane Roe".
 */
export function captionAndCredit(title: string | null | undefined): { caption: string; credit: string } {
  const text = (title ?? '').trim();
  const bar = text.indexOf(' | ');
  if (bar < 0) return text.startsWith('| ') ? { caption: '', credit: text.slice(2).trim() } : { caption: text, credit: '' };
  return { caption: text.slice(0, bar).trim(), credit: text.slice(bar + 3).trim() };
}

/**
 * What the PDF prints for a web image: a print has no network (Chromium would draw its
 * broken-image icon), so it says what the image is and where it lives, in English whatever
 * the page's direction, the writer's alt text isolated in its own.
 */
function remotePlaceholder(href: string, alt: string): string {
  return `<span class="remote-image__print" aria-hidden="true" lang="en" dir="ltr">Image not printed: <bdi>${escapeHtml(alt.trim() || 'Image')}</bdi> (${escapeHtml(href)})</span>`;
}

/**
 * A paragraph holding one image and nothing else (spaces aside) as a figure, its title as
 * caption and credit; undefined for any other paragraph. A web image is a figure too: its
 * credit is owed wherever it is shown, and the PDF prints caption and credit under the
 * placeholder that stands for the image.
 */
function imageFigure(tokens: readonly Token[]): string | undefined {
  const shown = tokens.filter((t) => !(t.type === 'text' && t.raw.trim() === ''));
  const image = shown.length === 1 && shown[0]?.type === 'image' ? (shown[0] as Tokens.Image) : undefined;
  if (!image || image.text.trim() === '') return undefined;
  const local = current?.images.get(image.href);
  // The title is the caption now, so the image does not repeat it as a tooltip.
  let body: string;
  let cls = 'prose-figure';
  if (local?.asset) body = localImage(local, image.text, undefined, 'prose-figure__image');
  else if (!local && isSafeImageSrc(image.href)) {
    body = `<img class="prose-figure__image" src="${escapeHtml(image.href)}" alt="${escapeHtml(image.text)}">${remotePlaceholder(image.href, image.text)}`;
    cls += ' prose-figure--remote';
  } else return undefined;
  const { caption, credit } = captionAndCredit(image.title);
  const parts = [caption && `<span class="prose-figure__caption">${escapeHtml(caption)}</span>`, credit && `<span class="prose-figure__credit">${escapeHtml(credit)}</span>`].filter(Boolean);
  const figcaption = parts.length > 0 ? `<figcaption dir="auto">${parts.join(' ')}</figcaption>` : '';
  return `<figure class="${cls}">${body}${figcaption}</figure>\n`;
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

/** Characters up to which a cell is kept on one line when its whole column is that short. */
const SHORT_CELL = 16;

/** Whether every filled cell of a column is a figure, and at least one is. */
function isFigureColumn(cells: readonly Tokens.TableCell[]): boolean {
  const texts = cells.map((cell) => decodeEntities(cell.text).trim());
  return texts.some((t) => FIGURE.test(t)) && texts.every((t) => FIGURE.test(t) || NO_FIGURE.test(t));
}

function renderTable(token: Tokens.Table, inline: (cell: Tokens.TableCell) => string): string {
  const classes = token.header.map((_, column) => {
    const cells = token.rows.map((row) => row[column]).filter((cell) => cell !== undefined);
    const align = token.align[column];
    // The writer's own alignment wins; a column of figures left unmarked goes to the end.
    const figures = isFigureColumn(cells);
    const aligned = align === 'left' ? undefined : align === 'center' ? 'center' : figures ? 'num' : align === 'right' ? 'end' : undefined;
    // A column of short entries (dates, places, codes) is kept one entry a line, so the
    // column of long text beside it cannot squeeze "Feb 10" into "Feb / 10".
    const short = !figures && cells.every((cell) => decodeEntities(cell.text).trim().length <= SHORT_CELL) ? 'short' : undefined;
    return [aligned, short].filter(Boolean).join(' ') || undefined;
  });
  const cell = (c: Tokens.TableCell, column: number, tag: 'th' | 'td') => {
    const cls = classes[column];
    // The cell keeps the table's direction (its alignment); its text is isolated in its own.
    return `<${tag}${tag === 'th' ? ' scope="col"' : ''}${cls ? ` class="${cls}"` : ''}><bdi>${inline(c)}</bdi></${tag}>`;
  };
  const head = `<thead>\n<tr>${token.header.map((c, i) => cell(c, i, 'th')).join('')}</tr>\n</thead>\n`;
  const body = token.rows.length === 0 ? '' : `<tbody>\n${token.rows.map((row) => `<tr>${row.map((c, i) => cell(c, i, 'td')).join('')}</tr>\n`).join('')}</tbody>\n`;
  // On a narrow screen a table of many columns scrolls sideways inside its own box rather
  // than widening the page; the box takes keyboard focus so it can be scrolled without a
  // pointer, and is named for screen readers by the table's first header.
  const name = escapeHtml(`Table: ${token.header.map((c) => c.text).find((t) => t.trim() !== '') ?? ''}`.replace(/: $/, ''));
  return `<div class="table-scroll" role="region" tabindex="0" aria-label="${name}">\n<table>\n${head}${body}</table>\n</div>\n`;
}

/** Sections are h2 in the page, so Markdown's "#" becomes h3. */
const blockMarked = createMarked(2);

const NO_IMAGES: ImageLookup = new Map();

/** Runs one render with its own state, restoring the previous one (renders do not nest, but a throw must not leak state). */
function withState<T>(scope: NoteScope, render: (state: RenderState) => T, images: ImageLookup = NO_IMAGES): T {
  const previous = current;
  const state: RenderState = { scope, definitions: new Map(), cited: new Map(), images };
  current = state;
  try {
    return render(state);
  } finally {
    current = previous;
  }
}

/**
 * A block Markdown field as sanitized HTML. Its footnotes are numbered from `notes.next`
 * on (which it advances) and listed after its text; without `notes` they start at 1.
 * Local images are shown when `images` has them (an image alone in its paragraph as a
 * figure); any other local path prints its alt text.
 */
export const renderMarkdown = (text: string, notes: NoteScope = createNoteScope('field'), images?: ImageLookup): string =>
  withState(
    notes,
    (state) => {
      const html = blockMarked.parser(blockMarked.lexer(text));
      return html + renderNotes(blockMarked, state);
    },
    images,
  );

/** One line of inline Markdown (a quote, an incident summary): no paragraphs and so no notes; its local images stay inline. */
export const renderInlineMarkdown = (text: string, images?: ImageLookup): string =>
  withState(createNoteScope('inline'), () => blockMarked.parseInline(text) as string, images);

/** The words of a Markdown text without markup, for a meta description or a PDF subject. */
export function markdownToPlainText(text: string): string {
  const words: string[] = [];
  // Notes and their markers are not part of the text's words.
  const tokens = withState(createNoteScope('plain'), () => blockMarked.lexer(text));
  blockMarked.walkTokens(tokens, (token) => {
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

/** What an author wrote in one field that the checks look at: its images and its notes. */
export interface MarkdownParts {
  /** Each image as written (`raw`), with its address and alt text. */
  images: { raw: string; src: string; alt: string }[];
  /** `[^label]` written where no note of that label is defined: it prints as written. */
  unresolved: { raw: string; label: string }[];
  /** Notes defined but never cited: they are not printed. */
  uncited: { raw: string; label: string }[];
}

/** The images and notes of a Markdown field, in reading order, for `brief check` to report on. */
export function markdownParts(text: string): MarkdownParts {
  const parts: MarkdownParts = { images: [], unresolved: [], uncited: [] };
  withState(createNoteScope('check'), (state) => {
    const tokens = blockMarked.lexer(text);
    const visit = (token: Token) => {
      if (token.type === 'image') parts.images.push({ raw: token.raw, src: (token as Tokens.Image).href, alt: (token as Tokens.Image).text });
      if (token.type === 'footnoteDefinition') {
        const label = String(token.label);
        if (!state.cited.has(label)) parts.uncited.push({ raw: `[^${label}]:`, label });
        blockMarked.walkTokens(token.content as Token[], visit);
      }
      // A reference without a note stays text; marked keeps "[^x]" whole in one text token or splits it at "[".
      if (token.type === 'text' && !('tokens' in token && token.tokens?.length)) {
        for (const m of token.raw.matchAll(/\[\^([^\]\s]{1,100})\](?!:)/g)) parts.unresolved.push({ raw: m[0], label: m[1] ?? '' });
      }
    };
    blockMarked.walkTokens(tokens, visit);
  });
  return parts;
}
