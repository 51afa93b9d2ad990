import { describe, expect, it } from 'vitest';
import { isSafeHref, markdownToPlainText, renderInlineMarkdown, renderMarkdown } from '../../src/core/markdown.js';

describe('renderMarkdown', () => {
  it('renders ordinary Markdown', () => {
    expect(renderMarkdown('Some **bold** and *em*.\n\n- one\n- two')).toBe(
      '<p>Some <strong>bold</strong> and <em>em</em>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n',
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

  it('keeps only http(s) images and escapes their attributes', () => {
    expect(renderMarkdown('![alt](data:image/svg+xml;base64,PHN2Zz4=)')).toBe('<p>alt</p>\n');
    expect(renderMarkdown('![a"lt](https://example.org/i.png "t")')).toBe(
      '<p><img src="https://example.org/i.png" alt="a&quot;lt" title="t"></p>\n',
    );
  });

  it('puts headings inside a section below the section heading', () => {
    expect(renderMarkdown('# Top\n## Next')).toBe('<h3>Top</h3>\n<h4>Next</h4>\n');
  });

  it('renders inline Markdown without a paragraph', () => {
    expect(renderInlineMarkdown('a *b* <i>c</i>')).toBe('a <em>b</em> &lt;i&gt;c&lt;/i&gt;');
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
