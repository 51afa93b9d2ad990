import type { Page } from 'puppeteer-core';

/*
 * The running head (the title, top left, and brief.config.yaml's header, top right) on one
 * line each. Chromium neither wraps a margin box to a width nor clips it: a 250-character
 * title ran to three lines and pushed the header onto two, into the page's text, and with
 * `white-space: nowrap` the two ran into each other. So before printing, the page measures
 * both texts in the fonts they print in and, when they do not fit side by side, gives the
 * header at most two fifths of the line and shortens what does not fit its share, ending in
 * an ellipsis, whole characters (grapheme clusters) at a time. It runs in the print tab, whose
 * page scripts are off; this code is the printer's, not the page's.
 */

/** What the page reports: the texts as they print (undefined: unchanged), for tests and messages. */
export interface RunningHead {
  title?: string;
  header?: string;
}

/** The header's largest share of the line when both do not fit; the title keeps the rest. */
const HEADER_SHARE = 0.4;
/** Room kept between the two, in CSS px (about 0.2in). */
const GAP = 20;

/** The part of the DOM the measuring code uses (the print code is compiled without the DOM's types). */
interface Style {
  getPropertyValue(name: string): string;
  setProperty(name: string, value: string): void;
}
interface Rule {
  readonly cssRules?: ArrayLike<Rule>;
  readonly selectorText?: string;
  readonly name?: string;
  readonly style?: Style;
}
interface Probe {
  style: Style & Record<string, string>;
  textContent: string | null;
  getBoundingClientRect(): { width: number };
  remove(): void;
}
interface PageGlobals {
  document: {
    styleSheets: ArrayLike<{ cssRules: ArrayLike<Rule> }>;
    body: { appendChild(node: Probe): void };
    createElement(tag: string): Probe;
    fonts: { ready: Promise<unknown>; load(font: string, text: string): Promise<unknown> };
  };
  Intl: typeof Intl;
}

/**
 * Shortens the running head of the page in `tab` so that title and header each print on one
 * line, side by side, and returns what it set. Call it once the brief's document is loaded.
 */
export function fitRunningHead(tab: Page): Promise<RunningHead> {
  return tab.evaluate(measureAndFit, HEADER_SHARE, GAP);
}

/** Runs in the page: see the file's comment. Self-contained, as it is sent to the page as source. */
async function measureAndFit(headerShare: number, gap: number): Promise<{ title?: string; header?: string }> {
  const { document } = globalThis as unknown as PageGlobals;
  await document.fonts.ready;
  // Every un-selectored @page rule, in order: later declarations win, as in the cascade.
  const pageRules: Rule[] = [];
  const walk = (rules: ArrayLike<Rule>) => {
    for (const rule of Array.from(rules)) {
      if (rule.selectorText !== undefined && rule.style && rule.cssRules && rule.selectorText.trim() === '') pageRules.push(rule);
      else if (rule.cssRules && rule.selectorText === undefined) walk(rule.cssRules);
    }
  };
  for (const sheet of Array.from(document.styleSheets)) {
    try {
      walk(sheet.cssRules);
    } catch {
      // A sheet of another origin cannot be read; the page has none that sets the head.
    }
  }
  const last = (read: (rule: Rule) => string) => pageRules.map(read).filter((v) => v !== '').pop() ?? '';
  const marginRule = (rule: Rule, name: string) => Array.from(rule.cssRules ?? []).find((r) => r.name === name);
  const boxValue = (name: string, property: string) => last((rule) => marginRule(rule, name)?.style?.getPropertyValue(property) ?? '');
  /** The text of a margin box's `content` when it is one string (the page writes it so). */
  const contentOf = (name: string): string | undefined => {
    const content = boxValue(name, 'content');
    const m = /^"((?:[^"\\]|\\.)*)"$/s.exec(content.trim());
    return m ? (m[1] ?? '').replace(/\\([0-9a-fA-F]{1,6}) ?|\\(.)/gs, (_, hex: string | undefined, ch: string | undefined) => (hex ? String.fromCodePoint(parseInt(hex, 16)) : (ch ?? ''))) : undefined;
  };
  // The page gives each box its text's own direction, so the ellipsis, put at the text's
  // logical end, prints at its end: at the left of an Arabic title.
  const title = contentOf('top-left');
  const header = contentOf('top-right');
  if (title === undefined) return {};

  const probe = (css: Record<string, string>, text = '') => {
    const el = document.createElement('span');
    Object.assign(el.style, { position: 'absolute', visibility: 'hidden', whiteSpace: 'nowrap', top: '0', left: '0' }, css);
    el.textContent = text;
    document.body.appendChild(el);
    return el;
  };
  // The page area's width: the page size less the side margins, as the @page rules set them.
  const SIZES: Record<string, string> = { letter: '8.5in', legal: '8.5in', a4: '210mm', a5: '148mm', a3: '297mm' };
  const size = last((rule) => rule.style?.getPropertyValue('size') ?? '').trim().toLowerCase().split(/\s+/)[0] ?? 'letter';
  const pageWidth = SIZES[size] ?? (size || '8.5in');
  const marginLeft = last((rule) => rule.style?.getPropertyValue('margin-left') ?? '') || '0px';
  const marginRight = last((rule) => rule.style?.getPropertyValue('margin-right') ?? '') || '0px';
  const area = probe({ display: 'block', width: `calc(${pageWidth} - ${marginLeft} - ${marginRight})` });
  const areaWidth = area.getBoundingClientRect().width;
  area.remove();

  const styleOf = (name: string): Record<string, string> => ({
    font: boxValue(name, 'font') || `${boxValue(name, 'font-weight') || '400'} ${boxValue(name, 'font-size') || '8pt'} ${boxValue(name, 'font-family') || 'sans-serif'}`,
    letterSpacing: boxValue(name, 'letter-spacing') || 'normal',
    textTransform: boxValue(name, 'text-transform') || 'none',
    direction: boxValue(name, 'direction') || 'ltr',
  });
  const width = async (name: string, text: string) => {
    const css = styleOf(name);
    await document.fonts.load(css.font ?? '', text).catch(() => undefined);
    const el = probe(css, text);
    const w = el.getBoundingClientRect().width;
    el.remove();
    return w;
  };
  /** The longest start of `text` that fits `room` with an ellipsis, cut between grapheme clusters. */
  const shorten = async (name: string, text: string, room: number): Promise<string> => {
    if ((await width(name, text)) <= room) return text;
    const parts = Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), (s) => s.segment);
    const cut = (n: number) => `${parts.slice(0, n).join('').replace(/[\s,;:.\u2013\u2014-]+$/u, '')}\u2026`;
    let lo = 0;
    let hi = parts.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if ((await width(name, cut(mid))) <= room) lo = mid;
      else hi = mid - 1;
    }
    return cut(lo);
  };

  const titleWidth = await width('top-left', title);
  const headerWidth = header === undefined ? 0 : await width('top-right', header);
  if (titleWidth + headerWidth + (header === undefined ? 0 : gap) <= areaWidth) return {};
  // The header gets what a short title leaves, else its share at most.
  const headerRoom = header === undefined ? 0 : Math.min(headerWidth, Math.max(areaWidth * headerShare, areaWidth - titleWidth - gap));
  const titleRoom = areaWidth - headerRoom - (header === undefined ? 0 : gap);
  const fitted: { title?: string; header?: string } = {};
  const set = (name: string, text: string, room: number) => {
    const quoted = `"${Array.from(text, (ch) => `\\${ch.codePointAt(0)?.toString(16)} `).join('')}"`;
    for (const rule of pageRules) {
      const box = marginRule(rule, name);
      if (box?.style?.getPropertyValue('content')) box.style.setProperty('content', quoted);
    }
    // The boxes' widths, so Chromium does not share the line out by the texts' full lengths.
    const owner = pageRules.map((rule) => marginRule(rule, name)).filter((box) => box?.style).pop();
    owner?.style?.setProperty('width', `${room}px`);
  };
  fitted.title = await shorten('top-left', title, titleRoom);
  set('top-left', fitted.title, titleRoom);
  if (header !== undefined) {
    fitted.header = await shorten('top-right', header, headerRoom);
    set('top-right', fitted.header, headerRoom);
  }
  return fitted;
}
