import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config.js';
import { loadYaml } from '../../src/core/load.js';
import { validateBrief } from '../../src/core/validate.js';
import { describeTarget, redact } from '../../src/print/browser.js';
import { devtoolsEndpoint } from '../../src/cli/arguments.js';

/*
 * URL fields reach a page's href and link text, and browser_ws reaches the terminal: none
 * may carry control characters, direction marks or spaces, and each is refused at its
 * position in plain words. Schemes are case-insensitive (RFC 3986).
 */
const runs = Number(process.env.FAST_CHECK_RUNS ?? 150);
const seed = Number(process.env.FAST_CHECK_SEED ?? 20240613);

const BRIEF = 'title: T\ndate: 2024-01-11\ndevelopments: |\n  Text.\n';
const check = (text: string) => {
  const { data, source } = loadYaml(text, 'b.yaml');
  return validateBrief(data, source).diagnostics.map((d) => [d.line, d.column, d.message]);
};
const config = (text: string) => parseConfig(text, 'brief.config.yaml').diagnostics.map((d) => [d.line, d.column, d.message]);

/** Every character a URL may not hold: C0, DEL, C1, spaces, direction marks and other invisible format characters. */
const UNSAFE = [...Array.from({ length: 0x21 }, (_, i) => i), ...Array.from({ length: 0x22 }, (_, i) => 0x7f + i), 0x61c, 0x200b, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x3000, 0xfeff].map((c) => String.fromCodePoint(c));
const yamlQuoted = (s: string) => JSON.stringify(s);

describe('URL fields', () => {
  it('refuse the control characters and direction mark that were written raw into a page, at the URL', () => {
    const diagnostics = check(`${BRIEF}related:\n  - title: c\n    url: "https://ok.example.org/\\u0000x\\u001b[2J\\u202e"\n`);
    expect(diagnostics).toEqual([[7, 10, 'related[0].url must not contain an invisible control character (U+0000): a URL has no spaces, control characters or direction marks; write a space as %20, and retype the address or paste it as plain text']]);
  });

  it('point at a direction mark or space written as itself', () => {
    expect(check(`${BRIEF}related:\n  - title: c\n    url: "https://ok.example.org/a\u202eb"\n`)).toEqual([
      [7, 35, expect.stringContaining('related[0].url must not contain an invisible control character (U+202E)') as string],
    ]);
    expect(check(`${BRIEF}related:\n  - title: c\n    url: "https://ok.example.org/a b"\n`)).toEqual([[7, 35, expect.stringContaining('must not contain white space (U+0020): ') as string]]);
  });

  it('refuse every such character, anywhere in any URL field, and only once', () => {
    fc.assert(
      fc.property(fc.constantFrom(...UNSAFE), fc.string({ unit: 'grapheme-ascii', maxLength: 10 }), fc.boolean(), (c, tail, source) => {
        const url = yamlQuoted(`https://ok.example.org/${tail.replace(/[\s"\\]/g, '')}${c}x`);
        const text = source ? `${BRIEF}incidents:\n  - date: 2024-01-10\n    location: Erbil\n    sources: [${url}]\n` : `${BRIEF}related:\n  - title: c\n    url: ${url}\n`;
        const found = check(text).filter((d) => String(d[2]).includes('must not contain'));
        expect(found).toHaveLength(1);
        expect(check(text).filter((d) => String(d[2]).includes('url') || String(d[2]).includes('sources'))).toHaveLength(1);
      }),
      { numRuns: runs, seed },
    );
  });

  it('take a scheme in any case', () => {
    expect(check(`${BRIEF}related:\n  - title: c\n    url: HTTPS://EXAMPLE.ORG/UP\n  - title: d\n    url: Http://example.org/\n  - title: e\n    url: MAILTO:desk@example.org\n`)).toEqual([]);
    expect(check(`${BRIEF}related:\n  - title: c\n    url: JAVASCRIPT:alert(1)\n`)).toEqual([[7, 10, 'related[0].url must be an http://, https:// or mailto: URL']]);
    expect(config('site:\n  url: HTTPS://EXAMPLE.ORG/briefs/\nbrowser_ws: WS://127.0.0.1:9222/x\n')).toEqual([]);
  });
});

describe('browser_ws', () => {
  it('refuses control characters and direction marks at its position, in the configuration and on the command line', () => {
    expect(config('browser_ws: "ws://127.0.0.1:4798/\\e[2J\\e[31mFAKE\\u202e"\n')).toEqual([
      [1, 13, 'browser_ws must not contain an invisible control character (U+001B): a URL has no spaces, control characters or direction marks; write a space as %20, and retype the address or paste it as plain text'],
    ]);
    expect(config('site:\n  url: "https://example.org/\\u202e/"\n')).toEqual([[2, 8, expect.stringContaining('site.url must not contain an invisible control character (U+202E)') as string]]);
    expect(() => devtoolsEndpoint('ws://127.0.0.1:4798/\u001b[2J')).toThrow(/must not contain an invisible control character \(U\+001B\)/);
  });

  it('is printed without its password, token or key, and with any control character escaped', () => {
    expect(redact('http://user:hunter2@host:9222/x')).toBe('http://…@host:9222/x');
    expect(redact('wss://a:b@c@browser.example/?token=s3cret&apiKey=k1&other=1')).toBe('wss://…@browser.example/?token=…&apiKey=…&other=1');
    expect(describeTarget({ endpoint: 'ws://127.0.0.1:4798/\u001b[2J\u001b[31mFAKE\u202e' })).toBe('the remote browser at ws://127.0.0.1:4798/\\u001b[2J\\u001b[31mFAKE\\u202e');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }), (user, path) => {
        const password = `pw${user.length}hunter2`;
        const shown = redact(`ws://${encodeURIComponent(user)}:${password}@127.0.0.1:9222/${path}`);
        // eslint-disable-next-line no-control-regex -- matching control characters is the point
        expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
        expect(shown).not.toContain(password);
      }),
      { numRuns: runs, seed },
    );
  });
});
