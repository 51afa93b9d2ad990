import { describe, expect, it } from 'vitest';
import { createNoteScope, isSafeHref, markdownParts, markdownToPlainText, renderInlineMarkdown, renderMarkdown } from '../../src/core/markdown.js';

describe('renderMarkdown', () => {
  it('renders ordinary Markdown', () => {
    expect(renderMarkdown('Some **bold** and *em*.\n\n- one\n- two')).toBe(
      '<p dir="auto">Some <strong>bold</strong> and <em>em</em>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n',
    );
  });

  it.each([
    ['<script>alert(1)</script>', '<script'],
    ['<img src=x onerror="alert(1)">', '<img'],
    ['<iframe src="https://evil.example"></iframe>', '<iframe'],
    ['text <b onclick="x()">bold</b>', '<b '],
    ['<base href="https://evil.example/">', '<base'],
    ['<meta http-equiv="refresh" content="0;url=https://evil.example">', '<meta'],
    ['<svg><script>alert(1)</script></svg>', '<svg'],
    ['<!-- comment --> x', '<!--'],
  ])('shows raw HTML %s as text, never as markup', (input, tag) => {
    const html = renderMarkdown(input);
    expect(html).not.toContain(tag);
    expect(html).toContain('&lt;');
  });

  it.each([
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](&#106;avascript:alert(1))',
    '[x](java%0ascript:alert(1))',
    '[x](data:text/html;base64,PHNjcmlwdD4=)',
    '[x](vbscript:msgbox(1))',
    '[x](file:///etc/passwd)',
    '[x](/relative/path)',
    '[x](//evil.example/)',
    '<javascript:alert(1)>',
  ])('drops the link of %s but keeps its text', (input) => {
    const html = renderMarkdown(input);
    expect(html).not.toContain('href');
    expect(html).not.toContain('<a');
  });

  it.each([
    ['[a](https://example.org/x?a=1&b=2)', 'href="https://example.org/x?a&#x3D;1&amp;b&#x3D;2"'],
    ['[a](http://example.org)', 'href="http://example.org"'],
    ['[a](mailto:desk@example.org)', 'href="mailto:desk@example.org"'],
    ['[a](#latest-developments)', 'href="#latest-developments"'],
  ])('keeps the safe link %s', (input, attr) => {
    expect(renderMarkdown(input)).toContain(attr);
  });

  it('keeps only http(s) images, escapes their attributes, and gives print a placeholder with the alt text', () => {
    expect(renderMarkdown('![alt](data:image/svg+xml;base64,PHN2Zz4=)')).toBe('<p dir="auto">alt</p>\n');
    expect(renderMarkdown('See ![a"lt](https://example.org/i.png "t") here')).toBe(
      '<p dir="auto">See <span class="remote-image"><img class="prose-image" src="https://example.org/i.png" alt="a&quot;lt" title="t">' +
        '<span class="remote-image__print" aria-hidden="true" lang="en" dir="ltr">Image not printed: <bdi>a&quot;lt</bdi> (https://example.org/i.png)</span></span> here</p>\n',
    );
  });

  it('makes a web image alone in its paragraph a figure, its caption and credit under the image and the print placeholder', () => {
    expect(renderMarkdown('![a"lt](https://example.org/i.png "The <port> | Credit: A & B")')).toBe(
      '<figure class="prose-figure prose-figure--remote"><img class="prose-figure__image" src="https://example.org/i.png" alt="a&quot;lt">' +
        '<span class="remote-image__print" aria-hidden="true" lang="en" dir="ltr">Image not printed: <bdi>a&quot;lt</bdi> (https://example.org/i.png)</span>' +
        '<figcaption dir="auto"><span class="prose-figure__caption">The &lt;port&gt;</span> <span class="prose-figure__credit">Credit: A &amp; B</span></figcaption></figure>\n',
    );
    // Without a title it is still a figure, with no caption; an address that is not on the web is not one.
    expect(renderMarkdown('![Port](https://example.org/i.png)')).not.toContain('<figcaption');
    expect(renderMarkdown('![Port](https://example.org/i.png)')).toMatch(/^<figure /);
    expect(renderMarkdown('![Port](javascript:alert(1) "x | y")')).toBe('<p dir="auto">Port</p>\n');
  });

  it('puts headings inside a section below the section heading', () => {
    expect(renderMarkdown('# Top\n## Next')).toBe('<h3 dir="auto">Top</h3>\n<h4 dir="auto">Next</h4>\n');
  });

  it('renders inline Markdown without a paragraph', () => {
    expect(renderInlineMarkdown('a *b* <i>c</i>')).toBe('a <em>b</em> &lt;i&gt;c&lt;/i&gt;');
  });
});

describe('footnotes', () => {
  const text = 'Killed.[^1] Claimed.[^src] Again.[^1]\n\n[^1]: CENTCOM statement.\n[^src]: The group\'s channel,\n  January 28.';

  it('become numbered links to a list of notes after the text, each with a way back', () => {
    const html = renderMarkdown(text, createNoteScope('tower-22'));
    expect(html).not.toContain('[^');
    expect(html).toContain('<sup class="note-ref"><a id="note-tower-22-ref-1" href="#note-tower-22-1" aria-label="Note 1">1</a></sup>');
    expect(html).toContain('<a id="note-tower-22-ref-2" href="#note-tower-22-2"');
    // A second citation of the same note has the same number and its own id.
    expect(html).toContain('<a id="note-tower-22-ref-1-2" href="#note-tower-22-1"');
    expect(html).toMatch(/<ol class="notes"[^>]*>\n<li id="note-tower-22-1" value="1"><p dir="auto">CENTCOM statement\. <a class="notes__back" href="#note-tower-22-ref-1"/);
    expect(html).toContain('href="#note-tower-22-ref-1-2"');
    expect(html).toContain('<li id="note-tower-22-2" value="2"><p dir="auto">The group&#39;s channel,\nJanuary 28.');
  });

  it('are numbered on from field to field of one brief, with ids of that brief', () => {
    const scope = createNoteScope('a-brief');
    const first = renderMarkdown('One.[^1]\n\n[^1]: First.', scope);
    const second = renderMarkdown('Two.[^1]\n\n[^1]: Second.', scope);
    expect(first).toContain('id="note-a-brief-1"');
    expect(second).toContain('id="note-a-brief-2"');
    expect(second).toContain('>2</a></sup>');
    expect(second).not.toContain('id="note-a-brief-1"');
    const other = renderMarkdown('Two.[^1]\n\n[^1]: Second.', createNoteScope('another-brief'));
    expect(other).toContain('id="note-another-brief-1"');
  });

  it('keep the sanitizing inside notes', () => {
    const html = renderMarkdown('x[^1]\n\n[^1]: [a](javascript:alert(2)) [b](https://example.org) <img src=x onerror="alert(1)">\n\n    <script>alert(3)</script>');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('href="javascript');
    expect(html).toContain('<a href="https://example.org">b</a>');
  });

  it('leave a reference without a note as written, and print no uncited note', () => {
    const html = renderMarkdown('x[^2]\n\n[^1]: Never cited.');
    expect(html).toBe('<p dir="auto">x[^2]</p>\n');
  });

  it('may follow a bare address, which then ends where the mark starts', () => {
    for (const [written, address, after] of [
      ['See https://example.org/a/b).[^1]', 'https://example.org/a/b', ').'],
      ['See https://example.org/a.[^1]', 'https://example.org/a', '.'],
      ['See www.example.com[^1]', 'www.example.com', ''],
      ['See https://example.org/x[1][^1]', 'https://example.org/x[1]', ''],
    ] as const) {
      const html = renderMarkdown(`${written} Then.\n\n[^1]: The note.`, createNoteScope('b'));
      expect(html, written).toContain(`>${address}</a>${after}<sup class="note-ref"><a id="note-b-ref-1"`);
      expect(html, written).toContain('<li id="note-b-1" value="1"><p dir="auto">The note.');
    }
  });

  it('stay out of plain text', () => {
    expect(markdownToPlainText(text)).toBe('Killed. Claimed. Again.');
  });
});

describe('markdownParts', () => {
  it('lists images, references without a note and notes never cited', () => {
    const parts = markdownParts('A[^1] [^2] ![](a.png) ![Sat](https://e.org/x.png "c")\n\n[^1]: one ![n](https://q.org/r.png)\n[^3]: unused');
    expect(parts.images).toEqual([
      { raw: '![](a.png)', src: 'a.png', alt: '' },
      { raw: '![Sat](https://e.org/x.png "c")', src: 'https://e.org/x.png', alt: 'Sat' },
      { raw: '![n](https://q.org/r.png)', src: 'https://q.org/r.png', alt: 'n' },
    ]);
    expect(parts.unresolved).toEqual([{ raw: '[^2]', label: '2' }]);
    expect(parts.uncited).toEqual([{ raw: '[^3]:', label: '3' }]);
  });
});

describe('links that show their own address', () => {
  it('are marked, so print does not give the address twice', () => {
    const html = renderMarkdown('See https://example.org/a, [https://x.org/b](https://x.org/b), [www.y.org](https://www.y.org/), <https://q.org> and [the report](https://z.org/r).');
    for (const href of ['https://example.org/a', 'https://x.org/b', 'https://www.y.org/', 'https://q.org']) expect(html).toContain(`<a href="${href}" class="bare">`);
    expect(html).toContain('<a href="https://z.org/r">the report</a>');
  });
});

describe('isSafeHref', () => {
  it('allows only http, https, mailto and in-page anchors', () => {
    expect(['https://a.b', 'http://a.b/c', 'mailto:a@b.c', '#x'].every(isSafeHref)).toBe(true);
    expect(['javascript:x', ' https://a.b', 'ftp://a.b', 'tel:123', '', '#x y'].some(isSafeHref)).toBe(false);
  });
});

describe('markdownToPlainText', () => {
  it('keeps the words and drops the markup', () => {
    expect(markdownToPlainText('Some **bold** [link](https://x.y) & `code`.\nNext line.')).toBe('Some bold link & code. Next line.');
  });
});
