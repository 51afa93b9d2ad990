import { describe, expect, it } from 'vitest';
import { swapFonts } from '../../src/project/templates.js';

describe('swapFonts', () => {
  it('gives every @font-face that does not say how it loads font-display: swap, and keeps a template’s own choice', () => {
    const css = [
      '@font-face { font-family: "A"; src: url(a.woff2) format("woff2"); }',
      '@font-face { font-family: "B"; font-display: optional; src: url(b.woff2); }',
      '@media print { @font-face { font-family: "C"; src: url(c.woff2); } }',
      'body { font-family: "A"; }',
    ].join('\n');
    const faces = swapFonts(css).match(/@font-face\s*\{[^}]*\}/g) ?? [];
    expect(faces).toHaveLength(3);
    expect(faces[0]).toMatch(/font-display: swap/);
    expect(faces[1]).toMatch(/font-display: optional/);
    expect(faces[1]).not.toMatch(/swap/);
    expect(faces[2]).toMatch(/font-display: swap/);
    expect(swapFonts(css)).toContain('body { font-family: "A"; }');
  });

  it('leaves a stylesheet without web fonts as it is', () => {
    const css = 'body { color: red }\n';
    expect(swapFonts(css)).toBe(css);
  });
});
