import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileBrief, renderPage } from '../../src/page/compile.js';
import { createPageRenderer } from '../../src/page/renderer.js';

// Arbitrary input never crashes the core and never yields active content. CI runs a
// fixed number of cases from a fixed seed; FAST_CHECK_RUNS and FAST_CHECK_SEED explore more.
const runs = Number(process.env.FAST_CHECK_RUNS ?? 150);
const seed = Number(process.env.FAST_CHECK_SEED ?? 20231024);

const layout = '<main>{{title}}|{{summary}}|{{developments}}|{{#each analysis}}{{quote}}{{name}}{{/each}}{{#each background}}{{heading}}{{body}}{{/each}}{{#each related}}<a href="{{url}}">{{title}}</a>{{/each}}{{#each annex}}{{location}}{{summary}}{{/each}}</main>';
const renderer = createPageRenderer({ name: 'fuzz', layout, partials: {}, stylesheet: 'assets/x.css' });
const context = { pageRenderers: new Map([['flash-brief', renderer]]), pages: true, options: { pageSize: 'Letter', generator: 't', config: {}, pdf: false, now: new Date(0) } } as const;

/** Active content: a script or frame element, an event handler, or a scriptable URL in an attribute. */
const ACTIVE = /<(script|iframe|object|embed|base|meta|form|svg)\b|\son[a-z]+\s*=|(href|src)\s*=\s*"\s*(javascript|vbscript|data|file):/i;

const hostile = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '[x](javascript:alert(1))',
    '![x](data:text/html,<script>alert(1)</script>)',
    '{{constructor.constructor}}',
    '{{{tally.total}}}',
    '<svg onload=alert(1)>',
    '"><script>alert(1)</script>',
    '<base href="https://evil.example/">',
    '&lt;script&gt;',
    '`<script>`',
    '[x][r]\n\n[r]: javascript:alert(1)',
  ),
);
const yamlString = hostile.map((s) => JSON.stringify(s));

describe('the core on arbitrary input', () => {
  it('never throws on arbitrary text as a file', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const result = compileBrief(text, 'f.yaml', context);
        for (const d of result.diagnostics) expect(d.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: runs, seed },
    );
  });

  it('never produces active content from any field', () => {
    let rendered = 0;
    fc.assert(
      fc.property(yamlString, yamlString, yamlString, yamlString, yamlString, (title, prose, quote, heading, location) => {
        const text = [
          `title: ${title}`,
          'date: 2023-10-24',
          `summary: ${prose}`,
          `developments: ${prose}`,
          `analysis: [{ quote: ${quote}, name: ${title} }]`,
          `background: [{ heading: ${heading}, body: ${prose} }]`,
          `related: [{ title: ${title}, url: "https://example.org/x" }]`,
          `incidents: [{ date: 2023-10-20, location: ${location}, country: Iraq, summary: ${quote} }]`,
        ].join('\n');
        const result = compileBrief(text, 'f.yaml', context);
        const page = renderPage(result);
        if (page !== undefined) {
          rendered++;
          // The layout here writes no Content-Security-Policy, so the renderer adds one at the
          // start (a <meta>, which ACTIVE would count): the rest of the page is the brief's.
          const policy = /^\n<meta http-equiv="Content-Security-Policy" content="[^"<>]*">/.exec(page)?.[0];
          expect(policy).toBeDefined();
          expect(page.slice(policy?.length)).not.toMatch(ACTIVE);
        }
      }),
      { numRuns: runs, seed },
    );
    // Most cases must reach the renderer, or the property says nothing.
    expect(rendered).toBeGreaterThan(runs / 2);
  });
});
