import fc from 'fast-check';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { sanitizeSvg } from '../../src/project/svg.js';
import { cleanDeclarations, cleanStylesheet } from '../../src/project/svg-style.js';

/*
 * The SVG cleaner on hostile markup: whatever the text, it never throws, and what it
 * returns holds no script, handler, foreign content or reference outside the document,
 * and no style that could fetch a file. CI runs a fixed number of cases from a fixed
 * seed; FAST_CHECK_RUNS and FAST_CHECK_SEED explore more.
 */
const runs = Number(process.env.FAST_CHECK_RUNS ?? 150);
const seed = Number(process.env.FAST_CHECK_SEED ?? 20240613);

const SVG_NS = 'http://www.w3.org/2000/svg';
const window = new JSDOM('').window;

/** Whether CSS text could fetch a file: a backslash, or a fetching function or at-rule to anything but "#id". */
const styleFetches = (css: string) => css.includes('\\') || /(?:url|image|image-set|cross-fade|src)\s*\(|@import|@font-face/i.test(css.replace(/url\(\s*(['"]?)#[\w.:-]*\1\s*\)/gi, ''));

/** What is wrong with a cleaned SVG, read back as a browser reads it: [] when nothing. */
function activeParts(svg: string): string[] {
  const doc = new window.DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.localName === 'parsererror') return [`not well-formed: ${root.textContent}`];
  const found: string[] = [];
  for (const el of [root, ...root.querySelectorAll('*')]) {
    if (el.namespaceURI !== SVG_NS) found.push(`element ${el.nodeName} in ${el.namespaceURI}`);
    if (/^(script|foreignobject|iframe|object|embed)$/i.test(el.localName)) found.push(`<${el.localName}>`);
    if (el.localName === 'style' && styleFetches(el.textContent ?? '')) found.push(`<style>${el.textContent}`);
    for (const a of el.attributes) {
      if (/^on/i.test(a.localName)) found.push(`handler ${a.name}`);
      if (a.localName === 'href' && !a.value.trim().startsWith('#')) found.push(`${a.name}=${a.value}`);
      if (/^(src|srcset|data|action)$/i.test(a.localName)) found.push(`${a.name}=${a.value}`);
      if (!a.localName.startsWith('aria-') && styleFetches(a.value)) found.push(`${a.name}=${a.value}`);
    }
  }
  return found;
}

const URLS = ['http://127.0.0.1:4799/x#a', 'https://evil.example/t.png', '//evil.example/p', 'javascript:alert(1)', 'data:image/svg+xml,<svg/>', 'file:///etc/passwd', '#own'];
const FETCHING_CSS = [
  'fill:url(U)',
  'fill:\\75 rl(U)',
  'fill:\\75rl(U)',
  'fill:u\\rl(U)',
  'fill:\\55\\52\\4c(U)',
  'fill:URL(U)',
  'background-image:image-set("U" 1x)',
  'background-image:-webkit-image-set(url(U) 1x)',
  'background:image("U")',
  'background:cross-fade(url(U), url(U), 50%)',
  'mask:url( "U" )',
  'cursor:url(U),auto',
  'fill:url/**/(U)',
  'fill:u/**/rl(U)',
  'filter:url(U)',
  'content:"\\"}x{fill:url(U)}"',
];
const FETCHING_RULES = ['@import "U";', '@import url(U);', '@\\69mport "U";', '@font-face{font-family:x;src:url(U)}', '@namespace x url(U);', '@media all{rect{fill:url(U)}}', '@supports (fill:red){circle{background:url(U)}}', ']]>', '</style><script>alert(1)</script>'];

const url = fc.constantFrom(...URLS);
const css = fc.tuple(fc.constantFrom(...FETCHING_CSS), url).map(([d, u]) => d.replaceAll('U', u));
const ruleText = fc.oneof(
  fc.tuple(fc.constantFrom('rect', 'circle', 'path', '*', 'svg|rect', 'a\\62 c'), fc.array(css, { maxLength: 3 })).map(([sel, decls]) => `${sel}{${decls.join(';')}}`),
  fc.tuple(fc.constantFrom(...FETCHING_RULES), url).map(([r, u]) => r.replaceAll('U', u)),
  fc.string({ maxLength: 20 }),
);
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('A &amp; B', ']]>', '\u0000', '\u001b[2J', '\u202e', '<![CDATA[x]]>', '&lt;script&gt;'));

/** An element of an SVG, hostile or not, nested a few levels. */
const element: fc.Memo<string> = fc.memo((depth) =>
  fc
    .tuple(
      fc.constantFrom('rect', 'circle', 'g', 'a', 'image', 'use', 'feImage', 'style', 'script', 'foreignObject', 'iframe', 'html:iframe', 'animate', 'set', 'text', 'pattern', 'object', 'embed', 'handler'),
      fc.array(
        fc.oneof(
          fc.tuple(fc.constantFrom('href', 'xlink:href', 'src', 'data', 'fill', 'stroke', 'filter', 'mask', 'clip-path', 'cursor', 'onload', 'onclick', 'OnError', 'aria-label', 'values', 'to'), url).map(([n, u]) => `${n}="${escape(u)}"`),
          fc.tuple(fc.constantFrom('fill', 'style', 'mask'), css).map(([n, c]) => `${n}="${escape(n === 'style' ? c : c.replace(/^[^:]*:/, ''))}"`),
        ),
        { maxLength: 3 },
      ),
      depth > 1 ? fc.array(fc.oneof(element(depth - 1), text.map(escape), ruleText.map((r) => `<![CDATA[${r.replace(/]]>/g, '')}]]>`), ruleText.map(escape)), { maxLength: 3 }) : fc.constant([]),
    )
    .map(([tag, attrs, children]) => {
      const unique = [...new Map(attrs.map((a) => [a.split('=')[0], a])).values()];
      return `<${tag} ${unique.join(' ')}>${children.join('')}</${tag}>`;
    }),
);
const document = fc.array(element(3), { maxLength: 4 }).map(
  (children) => `<svg xmlns="${SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:html="http://www.w3.org/1999/xhtml" width="10" height="10">${children.join('')}</svg>`,
);

describe('the SVG cleaner on arbitrary markup', () => {
  it('never throws, and leaves nothing that runs or fetches in a well-formed SVG', () => {
    fc.assert(
      fc.property(document, (svg) => {
        const result = sanitizeSvg(svg);
        if ('error' in result) return;
        expect(activeParts(result.svg)).toEqual([]);
      }),
      { numRuns: runs, seed },
    );
  });

  it('never throws on text that is only SVG-ish', () => {
    const soup = fc.array(fc.oneof(fc.constantFrom('<svg xmlns="http://www.w3.org/2000/svg">', '</svg>', '<iframe src="x"/>', '<foreignObject>', '</foreignObject>', '<style>', '</style>', '<!DOCTYPE svg [<!ENTITY e "x">]>', '&e;', '<?xml-stylesheet href="http://evil.example/a.css"?>', '<![CDATA[', ']]>', '\\75 rl(', '<script>'), fc.string({ maxLength: 8 })), { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(soup, (svg) => {
        const result = sanitizeSvg(svg);
        if (!('error' in result)) expect(activeParts(result.svg)).toEqual([]);
      }),
      { numRuns: runs, seed },
    );
  });

  it('takes out every CSS spelling of a fetch, in a stylesheet and in a style attribute', () => {
    fc.assert(
      fc.property(fc.array(ruleText, { minLength: 1, maxLength: 5 }), css, (rules, decl) => {
        const sheet = cleanStylesheet(rules.join('\n'));
        expect(styleFetches(sheet.css), sheet.css).toBe(false);
        const inline = cleanDeclarations(`fill:red;${decl}`);
        expect(styleFetches(inline.css), inline.css).toBe(false);
      }),
      { numRuns: runs, seed },
    );
  });
});

describe('the SVG cleaner on the inputs that got through', () => {
  it('cleans a logo with an iframe in foreignObject and one outside it, without a crash', () => {
    const result = sanitizeSvg(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="about:blank"></iframe></foreignObject><iframe src="x"/></svg>',
    );
    expect(result).toEqual({ svg: expect.stringContaining('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>') as string, removed: ['<foreignObject>', '<iframe>'], hasText: false });
  });

  it('drops style written with CSS escapes, image-set() and fetching at-rules, keeping the rest', () => {
    const result = sanitizeSvg(
      `<svg xmlns="${SVG_NS}"><style>rect{fill:\\75 rl(http://127.0.0.1:4799/esc1#a)} circle{fill:u\\rl(http://127.0.0.1:4799/esc2#b)} path{background-image:image-set("http://127.0.0.1:4799/is.png" 1x)} ellipse{fill:red} line{stroke:url(#g)}</style>` +
        '<rect style="fill:\\75rl(http://127.0.0.1:4799/esc3#c);stroke:blue" width="5" height="5"/><circle fill="\\75rl(http://127.0.0.1:4799/esc4#d)" r="2"/></svg>',
    );
    if ('error' in result) throw new Error(result.error);
    expect(result.svg).not.toMatch(/127\.0\.0\.1|\\|image-set/);
    expect(result.svg).toContain('ellipse{fill:red}');
    expect(result.svg).toContain('line{stroke:url(#g)}');
    expect(result.svg).toContain('style="stroke:blue"');
    expect(result.svg).toMatch(/<circle r="2"\/>/);
    expect(result.removed).toEqual(expect.arrayContaining(['style that could load a file, in <style>', 'style that could load a file, in a style attribute', 'fill']));
  });
});
