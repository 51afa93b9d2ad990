import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectWith, runCli } from '../helpers.js';

/*
 * issue 13: every topic gets a working page of its own. A 400-character topic gave
 * ENAMETOOLONG (exit 1, no position) while the summary said every brief was built and the
 * brief linked to a page that was never written; `a-b`, `a b`, `a_b` and `a/b` shared
 * topics/a-b.html, headed by one of them, and `index` and `../index` topics/index.html.
 */

describe('topic pages through the CLI', () => {
  it('a long name and names that slugify alike each get a page that lists their brief', async () => {
    const topics = ['Long topic '.repeat(37).trim(), 'a-b', 'a b', 'a_b', 'a/b', 'index', '../index', 'Iran', 'IRAN'];
    expect(topics[0]?.length).toBeGreaterThan(400);
    const dir = projectWith(
      Object.fromEntries(topics.map((t, i) => [`b${i}.yaml`, `title: Brief ${i}\ndate: 2024-01-0${i + 1}\nslug: b${i}\ntopics: [${JSON.stringify(t)}]\ndevelopments: All quiet.\n`])),
    );
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'site:\n  url: https://briefs.example.org/\n');
    const result = await runCli(['build', '--html-only', '-q'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const pages = readdirSync(path.join(dir, 'output', 'topics'));
    // Iran and IRAN are one topic written two ways; every other name has its own page.
    expect(pages).toHaveLength(topics.length - 1);
    for (const page of pages) expect(Buffer.byteLength(page), page).toBeLessThan(100);
    for (const [i, topic] of topics.entries()) {
      const brief = readFileSync(path.join(dir, 'output', `b${i}.html`), 'utf8');
      const hrefs = [...brief.matchAll(/href="(topics\/[^"]+)"/g)].map((m) => m[1] as string);
      expect(hrefs, topic).toHaveLength(1);
      const page = readFileSync(path.join(dir, 'output', hrefs[0] as string), 'utf8');
      // The brief's Issues link reaches a page that lists the brief, headed with its name (up to case).
      expect(page, `${topic} -> ${hrefs[0]}`).toContain(`Brief ${i}`);
      const heading = /<h1[^>]*>([^<]*)<\/h1>/.exec(page)?.[1] ?? '';
      expect(heading.replace(/&#x2F;|&#47;/g, '/').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').toLowerCase(), topic).toContain(topic.toLowerCase());
    }
  }, 60_000);
});
