import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileBrief, renderPage, type CompileContext, type CompiledBrief } from '../../src/page/compile.js';
import { formatDiagnostic } from '../../src/core/diagnostics.js';
import { decodeUtf8 } from '../../src/core/load.js';
import { createCompileContext } from '../../src/project/prepare.js';
import { FIXTURES, projectWith, runCli } from '../helpers.js';
import { findActiveContent, visibleText } from '../html.js';

/*
 * One hostile brief per file in tests/fixtures/hostile/, each saying in its header what it
 * attacks and what must come of it:
 *
 *   # attack: what the file tries
 *   # expect: neutralized          builds; the page has no active content
 *   # expect: literal              builds; the attack is shown as text (give it with `# shows:`)
 *   # expect: rejected L:C: msg    `brief check` fails with exactly these errors (one line each)
 *   # shows: text                  visible text the page must contain
 *   # shows-json: "text"           the same, as a JSON string, for characters that do not show in an editor
 *   # hides: text                  text the page must not show (a dropped link's URL, not left as Markdown)
 *   # fill: @@NAME@@ COUNT "text"  the marker in the body becomes the text repeated COUNT times
 *   # bytes: @@NAME@@ HEX...       the marker in the body becomes these raw bytes
 *   # note: anything               for the reader
 *
 * fill and bytes keep megabyte-sized and non-UTF-8 inputs out of the repository: the file
 * on disk stays small and readable, and the test builds the real input from it. The header
 * is part of the file, so the positions in `rejected` lines count its lines.
 *
 * Every fixture is compiled in-process with the bundled templates (what `brief check` and
 * `brief build` run per brief, minus the disk); a few also go through the real CLI, and
 * their pages must match the in-process ones byte for byte.
 */

const DIR = path.join(FIXTURES, 'hostile');

type Outcome = 'neutralized' | 'literal' | 'rejected';

interface Fixture {
  name: string;
  /** As `brief check` run from the project root names it. */
  file: string;
  attack: string;
  outcome: Outcome;
  /** `line:column: message` of each expected error, in order. */
  errors: string[];
  shows: string[];
  hides: string[];
  bytes: Buffer;
}

const HEADER_LINE = /^# (attack|expect|shows|shows-json|hides|fill|bytes|note): (.*)$/;

function readFixture(name: string): Fixture {
  const raw = readFileSync(path.join(DIR, name));
  const lines = raw.toString('utf8').split('\n');
  const headerLength = lines.findIndex((line) => !line.startsWith('#'));
  if (headerLength < 0) throw new Error(`${name}: no brief after the header`);
  const header = lines.slice(0, headerLength);
  const fixture: Fixture = { name, file: `tests/fixtures/hostile/${name}`, attack: '', outcome: 'neutralized', errors: [], shows: [], hides: [], bytes: raw };
  const outcomes = new Set<Outcome>();
  const replacements: [string, Buffer][] = [];
  for (const line of header) {
    const m = HEADER_LINE.exec(line);
    if (!m) {
      if (/^# \w+:/.test(line)) throw new Error(`${name}: unknown header line ${JSON.stringify(line)}`);
      continue;
    }
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'attack') fixture.attack = value;
    else if (key === 'expect') {
      const expected = /^(neutralized|literal)$|^rejected (\d+:\d+: .+)$/.exec(value);
      if (!expected) throw new Error(`${name}: expect must be neutralized, literal or rejected L:C: message, not ${JSON.stringify(value)}`);
      if (expected[2] !== undefined) {
        outcomes.add('rejected');
        fixture.errors.push(expected[2]);
      } else outcomes.add(expected[1] as Outcome);
    } else if (key === 'shows') fixture.shows.push(value);
    else if (key === 'shows-json') fixture.shows.push(JSON.parse(value) as string);
    else if (key === 'hides') fixture.hides.push(value);
    else if (key === 'fill') {
      const f = /^(@@\w+@@) (\d+) (".*")$/.exec(value);
      if (!f) throw new Error(`${name}: fill must be @@NAME@@ COUNT "text"`);
      replacements.push([f[1] as string, Buffer.from((JSON.parse(f[3] as string) as string).repeat(Number(f[2])))]);
    } else if (key === 'bytes') {
      const [marker, ...hex] = value.split(' ');
      replacements.push([marker as string, Buffer.from(hex.map((h) => parseInt(h, 16)))]);
    }
  }
  if (!fixture.attack) throw new Error(`${name}: no "# attack:" line`);
  if (outcomes.size !== 1) throw new Error(`${name}: needs exactly one kind of "# expect:", has ${[...outcomes].join(', ') || 'none'}`);
  fixture.outcome = [...outcomes][0] as Outcome;
  if (fixture.outcome === 'literal' && fixture.shows.length === 0) throw new Error(`${name}: a literal fixture says what it shows`);
  if (fixture.outcome === 'rejected' && fixture.shows.length + fixture.hides.length > 0) throw new Error(`${name}: a rejected fixture has no page to show or hide anything`);

  // Markers are replaced in the body only: the header names them too.
  const headerBytes = Buffer.byteLength(header.map((l) => `${l}\n`).join(''));
  let body = raw.subarray(headerBytes);
  for (const [marker, bytes] of replacements) {
    const at = body.indexOf(marker);
    if (at < 0) throw new Error(`${name}: marker ${marker} is not in the body`);
    body = Buffer.concat([body.subarray(0, at), bytes, body.subarray(at + marker.length)]);
  }
  fixture.bytes = Buffer.concat([raw.subarray(0, headerBytes), body]);
  return fixture;
}

const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map(readFixture);

/** A few fixtures of each kind also go through the real CLI, which reads bytes from disk itself. */
const VIA_CLI = [
  'related-url-javascript.yaml',
  'invalid-utf8.yaml',
  'md-link-javascript.yaml',
  'title-script.yaml',
];

let context: CompileContext;

beforeAll(async () => {
  // What `brief build --html-only` uses in a folder with no brief.config.yaml, so the pages match the CLI's.
  context = await createCompileContext({ cwd: projectWith({}), formats: ['html'], fragment: true });
});

/** Bytes to diagnostics and pages, as the build does it for one brief. */
function compile(fixture: Fixture, file = fixture.file): CompiledBrief {
  const decoded = decodeUtf8(fixture.bytes, file);
  if ('diagnostic' in decoded) return { file, diagnostics: [decoded.diagnostic] };
  return compileBrief(decoded.text, file, context);
}

const errorsOf = (compiled: CompiledBrief) => compiled.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);

function expectInert(html: string | undefined, page: boolean): void {
  expect(html).toBeDefined();
  expect(findActiveContent(html as string, { page })).toEqual([]);
}

describe('hostile briefs, one attack per fixture', () => {
  it('has a fixture for each of dozens of attacks', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
  });

  for (const fixture of fixtures.filter((f) => f.outcome === 'rejected')) {
    it(`${fixture.name}: ${fixture.attack} is rejected at its position`, () => {
      const compiled = compile(fixture);
      expect(errorsOf(compiled)).toEqual(fixture.errors.map((e) => `${fixture.file}:${e}`));
      expect(renderPage(compiled)).toBeUndefined();
    });
  }

  for (const fixture of fixtures.filter((f) => f.outcome !== 'rejected')) {
    it(`${fixture.name}: ${fixture.attack} is ${fixture.outcome === 'literal' ? 'shown as text' : 'neutralized'}`, () => {
      const compiled = compile(fixture);
      expect(errorsOf(compiled)).toEqual([]);
      expectInert(renderPage(compiled), true);
      expectInert(renderPage(compiled, 'fragment'), false);
      const text = visibleText(renderPage(compiled) as string);
      for (const shown of fixture.shows) expect(text).toContain(shown);
      for (const hidden of fixture.hides) expect(text).not.toContain(hidden);
    });
  }
});

describe('hostile briefs through the CLI', () => {
  // Each spawns node; side by side, their start-up times overlap.
  for (const name of VIA_CLI) {
    it.concurrent(`${name} gives the same outcome as in-process`, async ({ expect }) => {
      const fixture = fixtures.find((f) => f.name === name);
      if (!fixture) throw new Error(`no fixture ${name}`);
      const dir = projectWith({ [name]: fixture.bytes });
      const file = `briefs/${name}`;
      if (fixture.outcome === 'rejected') {
        const result = await runCli(['check', file], { cwd: dir });
        expect(result.code).toBe(1);
        for (const e of fixture.errors) expect(result.stderr).toContain(`${file}:${e}\n`);
        expect(result.stderr).not.toMatch(/^\s+at /m);
        return;
      }
      const result = await runCli(['build', '--html-only', file], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      const compiled = compile(fixture, file);
      const html = readFileSync(path.join(dir, 'output', `${compiled.slug}.html`), 'utf8');
      // dist/ is what the CLI runs: rebuild it (npx tsc -p tsconfig.json) if this differs after a change to src/.
      expect(html).toBe(renderPage(compiled));
      expect(findActiveContent(html, { page: true })).toEqual([]);
    });
  }
});

describe('the active-content check itself', () => {
  // Each of these must be caught, or a clean result above would mean nothing.
  const active = [
    '<ScRiPt>alert(1)</sCrIpT>',
    '<img src=x onerror=alert(1)>',
    '<img src="x"onerror="alert(1)">',
    '<a/href="javascript:alert(1)">x</a>',
    '<a href="  java&#x09;script:alert(1)">x</a>',
    '<a href=JaVaScRiPt:alert(1)>x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="file:///etc/passwd">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<svg/onload=alert(1)>',
    '<svg class="chart"><script>alert(1)</script></svg>',
    '<svg class="map"><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg class="map"><style><img src=x onerror=alert(1)></style></svg>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<form action="https://evil.example/"><button>Go</button></form>',
    '<button formaction="javascript:alert(1)">Go</button>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>',
    '<link rel="import" href="https://evil.example/x.html">',
    '<style>body { display: none }</style>',
    '<p style="background: url(https://evil.example/track)">x</p>',
  ];
  for (const html of active) {
    it(`finds ${html}`, () => {
      expect(findActiveContent(html, { page: false })).not.toEqual([]);
    });
  }

  it('leaves escaped markup, comments and harmless links alone', () => {
    const inert = '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><!-- <script>alert(1)</script> --><a href="https://example.org/javascript:x">x</a><a href="#incident-1">1</a><a href="mailto:desk@example.org">desk</a>';
    expect(findActiveContent(inert, { page: false })).toEqual([]);
    expect(visibleText(inert)).toContain('<script>alert(1)</script>');
  });

  it("accepts the layout's own policy, style and JSON-LD, and nothing added to them", () => {
    const page = renderPage(compileBrief('title: T\ndate: 2023-10-24\ndevelopments: x\n', 'ok.yaml', context)) as string;
    expect(findActiveContent(page, { page: true })).toEqual([]);
    expect(findActiveContent(page.replace('</head>', '<meta http-equiv="refresh" content="0;url=https://evil.example/"></head>'), { page: true })).not.toEqual([]);
    expect(findActiveContent(page.replace('</head>', '<style>*{}</style></head>'), { page: true })).not.toEqual([]);
    expect(findActiveContent(page.replace('</head>', '<script>alert(1)</script></head>'), { page: true })).not.toEqual([]);
  });
});
