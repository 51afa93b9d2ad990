// The HTML-only floor, run as its own process so its memory and warm JIT do not leak
// into the other measurements: our templates rendered for every brief of a corpus, with
// everything else done beforehand. Prints one JSON object on stdout.
//
//   node bench/html-floor.mjs --dir <project> [--passes 3] [--compare <outdir>] [--dist <dir>]
//
// Reading, parsing, tallies, Markdown and figures happen once, untimed for the floor but
// reported as a breakdown of where a build's time goes; then only the Handlebars render
// calls are timed, pass after pass, with no file checks and no writes.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { dir: { type: 'string' }, passes: { type: 'string', default: '3' }, compare: { type: 'string' }, dist: { type: 'string' } },
});
const dir = path.resolve(values.dir);
const passes = Math.max(1, Number(values.passes));
const now = () => performance.now();

let t = now();
// The benchmark passes the copy of dist/ it measures, so both sides run the same code.
const dist = values.dist ? pathToFileURL(`${path.resolve(values.dist)}/`) : new URL('../dist/', import.meta.url);
const [{ createCompileContext }, { parseBrief, finishBrief, renderPage, DEFAULT_TEMPLATE }, { parsePlaces }, { limitsOf }] =
  await Promise.all(['project/prepare.js', 'page/compile.js', 'core/collection.js', 'core/config.js'].map((m) => import(new URL(m, dist))));
const importMs = now() - t;

// The same inputs a build reads, read before any clock starts.
const placesText = readFileSync(path.join(dir, 'places.yaml'), 'utf8');
const files = readdirSync(path.join(dir, 'briefs')).filter((f) => /\.ya?ml$/.test(f)).sort();
const texts = files.map((f) => readFileSync(path.join(dir, 'briefs', f), 'utf8'));

t = now();
// What a build of this folder compiles with (templates, brief.config.yaml, its logo), so the
// floor renders exactly the pages the build writes.
const base = await createCompileContext({ cwd: dir, formats: ['html'] });
const setupMs = now() - t;

t = now();
const parsed = texts.map((text, i) => parseBrief(text, `briefs/${files[i]}`, limitsOf(base.options.config)));
const places = parsePlaces(placesText, 'places.yaml');
const parseMs = now() - t;

// Each brief is finished once with renderers that remember what they were asked to draw,
// so the timed loop below repeats exactly those calls and nothing else.
const calls = [];
const renderers = new Map(
  [...base.pageRenderers].map(([name, render]) => [
    name,
    (input, opts, part = 'page') => {
      if (part === 'page') calls.push({ render, input, opts });
      return render(input, opts, part);
    },
  ]),
);
const collection = { briefs: parsed, incidentFiles: [], places, shared: [] };
const context = { ...base, pageRenderers: renderers, pages: true, fragment: false };
t = now();
const compiled = parsed.map((p) => finishBrief(p, collection, context));
// Rendering each page once here captures each brief's render call exactly once.
const pages = compiled.map((c) => renderPage(c));
const finishMs = now() - t;

const renderMs = [];
let html = [];
for (let pass = 0; pass < passes; pass++) {
  t = now();
  html = calls.map(({ render, input, opts }) => render(input, opts));
  renderMs.push(now() - t);
}

// The floor must render what the build wrote, or it measures something else.
let compared = 0;
let identical = 0;
if (values.compare) {
  calls.forEach((call, i) => {
    const file = path.join(values.compare, `${call.input.slug}.html`);
    if (!existsSync(file)) return;
    compared++;
    if (readFileSync(file, 'utf8') === html[i]) identical++;
  });
}

process.stdout.write(
  `${JSON.stringify({
    briefs: files.length,
    rendered: calls.length,
    failed: pages.filter((html) => html === undefined).length,
    template: DEFAULT_TEMPLATE,
    importMs,
    setupMs,
    parseMs,
    finishMs,
    renderMs,
    compared,
    identical,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
