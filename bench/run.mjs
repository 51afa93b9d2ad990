#!/usr/bin/env node
// The benchmark: our build beside the least work that gives the same output, on one
// generated corpus, in one run. See `node bench/run.mjs --help`. It measures and reports;
// a missed target prints FAIL but never fails the command.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { editBrief, generateCorpus } from './corpus.mjs';
import { ELEVENTY_VERSION, eleventyArgs, eleventyCommand, writeEleventySite } from './eleventy.mjs';
import { Sampler } from './proc.mjs';
import { measureServe } from './serve-latency.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLE = 'briefs/militia-attacks-on-us-troops.yaml';

const HELP = `Usage: node bench/run.mjs [options]   (npm run bench compiles first)

  --sizes 1,100,1000  corpus sizes to measure (default 1,100,1000; --quick: 2)
  --runs 3            runs per measurement; the median is reported (--quick: 1)
  --budget 90         seconds one measurement may spend on repeats: after the first run,
                      another starts only while the total stays under this (0: no limit)
  --full              also print PDFs for sizes above 100 (slow on 2 cores)
  --quick             size 2 only, one run each, PDFs included; a smoke run for tests
  --seed 1            corpus seed: the same seed and size give the same files
  --out FILE          where the JSON goes (default bench/results/<date>.json;
                      --quick: a file in the system's temporary folder)
  --keep              keep the temporary corpus folder and print its path
  --no-eleventy       leave out the comparison with Eleventy 3 (at N >= 100; installed
                      from the npm registry into the temporary folder on first use)
  --series            instead: one long series (a brief a week, each re-listing the
                      previous week's incidents) built to HTML at --sizes (default
                      100,200,400,1000), with the time per brief and peak memory at
                      each size, to show both grow linearly (bench/series.mjs; also
                      --seed, --out, --keep, and --heap MB to cap the build's heap)
`;

const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string' },
    runs: { type: 'string' },
    budget: { type: 'string' },
    full: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
    keep: { type: 'boolean', default: false },
    series: { type: 'boolean', default: false },
    'no-eleventy': { type: 'boolean', default: false },
    heap: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
if (flags.series) {
  const { runSeriesBench } = await import('./series.mjs');
  const seriesSizes = (flags.sizes ?? '100,200,400,1000').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0).sort((a, b) => a - b);
  await runSeriesBench({ sizes: seriesSizes, seed: Number(flags.seed), heap: flags.heap ? Number(flags.heap) : undefined, out: flags.out, keep: flags.keep });
  process.exit(0);
}
const quick = flags.quick;
const sizes = (flags.sizes ?? (quick ? '2' : '1,100,1000')).split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0).sort((a, b) => a - b);
const runs = Math.max(1, Number(flags.runs ?? (quick ? 1 : 3)));
const budget = Number(flags.budget ?? 90);
const seed = Number(flags.seed);
// PDFs at N=1000 take many minutes on two cores; without --full they are left out, and said so.
const PDF_LIMIT = 100;
const pdfAt = (n) => flags.full || n <= PDF_LIMIT;
// Our build prints with min(2, cores) pages at once by default; the floor uses the same.
const concurrency = Math.min(2, os.availableParallelism());
const today = new Date().toISOString().slice(0, 10);
const outFile = path.resolve(flags.out ?? (quick ? path.join(os.tmpdir(), `flashbrief-bench-quick-${process.pid}.json`) : path.join(ROOT, 'bench', 'results', `${today}.json`)));

const say = (line) => process.stderr.write(`bench: ${line}\n`);
const now = () => performance.now();
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** A measurement as the JSON holds it: the median and every run, in seconds. */
const measured = (xs) => {
  const list = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return list.length === 0 ? null : { median: median(list), runs: list };
};
const fmt = (s) => (s === null || s === undefined ? '-' : s < 1 ? `${(s * 1000).toFixed(0)} ms` : s < 100 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`);
const fmtMb = (mb) => (mb ? `${mb.toFixed(0)} MB` : '-');
const ratio = (a, b) => (a && b ? a / b : null);

/**
 * Runs fn up to `runs` times. After each run it checks the budget: one more run starts
 * only if the time spent so far plus one more average run stays within it, so cheap
 * measurements get a median of several runs and slow ones do not stretch the benchmark.
 */
const limited = [];
async function repeat(label, fn) {
  const started = now();
  const results = [];
  for (let i = 0; i < runs; i++) {
    results.push(await fn(i));
    const spent = (now() - started) / 1000;
    if (budget > 0 && i + 1 < runs && spent + spent / (i + 1) > budget) {
      say(`${label}: ${i + 1} of ${runs} runs (each takes ${fmt(spent / (i + 1))}; --budget ${budget} s)`);
      limited.push(`${label}: ${i + 1}`);
      break;
    }
  }
  return results;
}

const errors = [];

/** `brief` as a user runs it, as a fresh process: wall time, stderr lines with their times, memory. */
function brief(args, { cwd }) {
  return new Promise((resolve) => {
    const started = now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    const sampler = new Sampler(child.pid);
    const lines = [];
    let pending = '';
    let wall;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      const at = (now() - started) / 1000;
      pending += chunk;
      for (let i = pending.indexOf('\n'); i >= 0; i = pending.indexOf('\n')) {
        lines.push({ at, text: pending.slice(0, i) });
        pending = pending.slice(i + 1);
      }
    });
    child.on('exit', () => {
      wall = (now() - started) / 1000;
      sampler.stop();
    });
    child.on('close', (code) => {
      const result = { wall, code, lines, peakRssMb: sampler.peakRootMb || null, chromiumPeakMb: sampler.peakTreeMb || null, chromiumPeakPssMb: sampler.peakTreePssMb || null, chromium: sampler.tree };
      if (code !== 0) {
        const tail = lines.slice(-5).map((l) => l.text).join(' | ');
        errors.push(`brief ${args.join(' ')} (in ${path.basename(cwd)}) exited ${code}: ${tail}`);
        say(`FAILED: brief ${args.join(' ')} exited ${code}: ${tail}`);
        result.wall = null;
      }
      resolve(result);
    });
  });
}

/** The print stage of a build: from "printing N PDF(s)" to the last PDF written, read off its progress lines. */
function pdfStage(run) {
  const start = run.lines.find((l) => /^printing \d+ PDF/.test(l.text));
  const end = run.lines.filter((l) => /^built .*\.pdf\b/.test(l.text)).at(-1);
  return run.wall !== null && start && end ? { start: start.at, end: end.at, seconds: end.at - start.at } : null;
}

/** Plain Node: how long a process takes to start and exit doing nothing. */
function nodeRun(args) {
  return new Promise((resolve) => {
    const started = now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
    child.on('exit', (code) => resolve(code === 0 ? (now() - started) / 1000 : null));
  });
}

/** Pages of a PDF our build wrote: it saves without object streams, so page objects are plain text. */
const pdfPages = (file) => (readFileSync(file, 'latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;

/**
 * Whether Chromium's memory stays flat over a print run: the samples of the print stage
 * in quarters; the first is warm-up (pages and fonts being loaded); the last is compared
 * with the second. Growth over 20% is a leak-like trend, not noise.
 */
function flatness(samples, from, to) {
  const inside = samples.filter((s) => s.at >= from && s.at <= to);
  if (inside.length < 8) return { samples: inside.length, growth: null };
  const q = Math.floor(inside.length / 4);
  const second = median(inside.slice(q, 2 * q).map((s) => s.mb));
  const last = median(inside.slice(3 * q).map((s) => s.mb));
  return { samples: inside.length, secondQuarterMb: second, lastQuarterMb: last, growth: last / second - 1 };
}

/** At most ~60 points of a memory series, enough to plot it from the JSON. */
const thin = (samples) => {
  const step = Math.max(1, Math.ceil(samples.length / 60));
  return samples.filter((_, i) => i % step === 0).map((s) => ({ at: Number(s.at.toFixed(2)), mb: Number(s.mb.toFixed(1)) }));
};

const git = (args) => {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
};

// ---------------------------------------------------------------------------------------

const startedAll = now();
const work = mkdtempSync(path.join(os.tmpdir(), 'flashbrief-bench-'));

// The build is measured from a copy of the compiled tool taken now: a long run must
// measure one version of it, even if dist/ is recompiled meanwhile (npm run build in
// another terminal). node_modules is shared through a link; it does not change.
const APP = path.join(work, 'app');
for (const entry of ['bin', 'dist', 'templates', 'schema', 'package.json']) {
  if (existsSync(path.join(ROOT, entry))) cpSync(path.join(ROOT, entry), path.join(APP, entry), { recursive: true });
}
symlinkSync(path.join(ROOT, 'node_modules'), path.join(APP, 'node_modules'), 'dir');
const BIN = path.join(APP, 'bin', 'brief.js');
const DIST = path.join(APP, 'dist');
const { findBrowser } = await import(pathToFileURL(path.join(DIST, 'print', 'browser.js')).href);
const location = await findBrowser();

// Cold runs must not reuse an incremental cache. Builds that know --force get it; older
// ones have no cache, so a plain build is already cold.
const buildHelp = execFileSync(process.execPath, [BIN, 'build', '--help'], { cwd: ROOT, encoding: 'utf8' });
const force = /--force\b/.test(buildHelp) ? ['--force'] : [];
const version = execFileSync(process.execPath, [BIN, '--version'], { cwd: ROOT, encoding: 'utf8' }).trim();
say(`${sizes.join(', ')} briefs; up to ${runs} run(s) each; corpus in ${work}`);
if (force.length === 0) say('brief build has no --force yet: cold and warm builds run the same command (no incremental cache)');
for (const n of sizes) if (!pdfAt(n)) say(`N=${n}: HTML only, warm rebuilds and memory; PDFs are left out above N=${PDF_LIMIT} (--full includes them)`);

const machine = {
  cores: os.availableParallelism(),
  cpu: os.cpus()[0]?.model ?? null,
  memoryGb: Number((os.totalmem() / 2 ** 30).toFixed(1)),
  platform: `${os.platform()} ${os.release()}`,
  node: process.version,
  chromium: null,
  chromiumPath: location.executablePath,
  flashbrief: version,
  commit: git(['rev-parse', 'HEAD']),
  // Someone may be changing the code while it is measured; the numbers then belong to the working tree.
  dirty: (git(['status', '--porcelain', '--untracked-files=no']) ?? '') !== '',
  loadAverageStart: os.loadavg().map((x) => Number(x.toFixed(2))),
};

/**
 * A PDF floor run (bench/floor.mjs) in its own process: one Chromium launched, the pages
 * printed, Chromium closed, with its memory sampled from here as our build's is.
 */
function floorRun(dir, pages, page) {
  return new Promise((resolve) => {
    const args = [path.join(ROOT, 'bench', 'floor.mjs'), '--dist', DIST, '--dir', dir, '--concurrency', String(pages), ...(page ? ['--page', page] : [])];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const sampler = new Sampler(child.pid);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', () => sampler.stop());
    child.on('close', (code) => {
      if (code !== 0) {
        errors.push(`floor (${pages} page(s) at once) exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`);
        return resolve(null);
      }
      const result = JSON.parse(out);
      machine.chromium ??= result.version;
      // The floor's clock starts after it has loaded Puppeteer; the samples' clock at spawn.
      const offset = (result.startedEpochMs - (performance.timeOrigin + sampler.started)) / 1000;
      resolve({ ...result, offset, chromiumPeakMb: sampler.peakTreeMb || null, chromiumPeakPssMb: sampler.peakTreePssMb || null, chromium: sampler.tree });
    });
  });
}

// ---------------------------------------------------------------------------------------
// The corpus sizes.

const results = {};
for (const n of sizes) {
  const dir = path.join(work, `n${n}`);
  say(`N=${n}: generating the corpus (seed ${seed})`);
  const corpus = generateCorpus({ dir, count: n, seed });
  const yamlBytes = corpus.files.reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
  const r = { briefs: n, pdf: pdfAt(n), edited: corpus.edited, corpus: { yamlBytes }, ours: {}, floor: {}, ratios: {}, memory: {} };
  results[n] = r;
  const peaks = [];
  const tag = (label) => `N=${n}: ${label}`;

  /** cold (--force), then nothing touched, then one sentence of one brief changed. */
  const round = async (format, i) => {
    const out = format === 'pdf' ? 'out-pdf' : 'out-html';
    const base = ['build', ...(format === 'pdf' ? [] : ['--html-only']), '--out', out];
    const cold = await brief([...base, ...force], { cwd: dir });
    say(`${tag(`ours cold ${format === 'pdf' ? 'HTML+PDF' : 'HTML only'} #${i + 1}`)}: ${fmt(cold.wall)}`);
    // In --quick, warm PDF rebuilds are left out to keep the smoke run short.
    if (quick && format === 'pdf') return { cold };
    const untouched = await brief(base, { cwd: dir });
    editBrief(dir, corpus.edited);
    const edited = await brief(base, { cwd: dir });
    say(`${tag(`ours warm ${format} #${i + 1}`)}: untouched ${fmt(untouched.wall)}, one brief edited ${fmt(edited.wall)}`);
    return { cold, untouched, edited };
  };

  if (r.pdf) {
    const rounds = await repeat(tag('HTML+PDF builds'), (i) => round('pdf', i));
    r.ours.coldPdf = measured(rounds.map((x) => x.cold.wall));
    const stages = rounds.map((x) => pdfStage(x.cold));
    r.ours.pdfStage = measured(stages.map((s) => s?.seconds));
    r.ours.warmUntouchedPdf = measured(rounds.map((x) => x.untouched?.wall));
    r.ours.warmEditedPdf = measured(rounds.map((x) => x.edited?.wall));
    for (const x of rounds) peaks.push(x.cold, x.untouched, x.edited);
    const firstCold = rounds[0].cold;
    r.memory.chromiumPeakMb = Math.max(...rounds.map((x) => x.cold.chromiumPeakMb ?? 0)) || null;
    r.memory.chromiumPeakPssMb = Math.max(...rounds.map((x) => x.cold.chromiumPeakPssMb ?? 0)) || null;
    r.memory.chromiumFlat = stages[0] ? flatness(firstCold.chromium, stages[0].start, stages[0].end) : null;
    r.memory.chromiumSeries = thin(firstCold.chromium);
    const pdfs = readdirSync(path.join(dir, 'out-pdf')).filter((f) => f.endsWith('.pdf'));
    const pages = pdfs.map((f) => pdfPages(path.join(dir, 'out-pdf', f))).sort((a, b) => a - b);
    r.corpus.pdfPages = { min: pages[0], median: median(pages), max: pages.at(-1) };

    r.corpus.htmlBytesAvg = Math.round(pdfs.reduce((sum, f) => sum + statSync(path.join(dir, 'out-pdf', f.replace(/\.pdf$/, '.html'))).size, 0) / pdfs.length);
    // The floor prints the exact HTML our cold build wrote, with the same assets.
    const floors = await repeat(tag('PDF floor'), async (i) => {
      const together = await floorRun(path.join(dir, 'out-pdf'), concurrency);
      const serial = await floorRun(path.join(dir, 'out-pdf'), 1);
      say(`${tag(`floor #${i + 1}`)}: ${concurrency} pages at once ${fmt(together?.stage)}, one at a time ${fmt(serial?.stage)}`);
      return { together, serial };
    });
    r.floor.pdfConcurrent = measured(floors.map((f) => f.together?.stage));
    r.floor.pdfSerial = measured(floors.map((f) => f.serial?.stage));
    r.floor.launch = measured(floors.map((f) => f.together?.launch));
    r.floor.chromiumPeakMb = Math.max(...floors.map((f) => f.together?.chromiumPeakMb ?? 0)) || null;
    r.floor.chromiumPeakPssMb = Math.max(...floors.map((f) => f.together?.chromiumPeakPssMb ?? 0)) || null;
    const first = floors[0].together;
    r.floor.chromiumFlat = first ? flatness(first.chromium, first.offset + first.launch, first.offset + first.stage) : null;
  }

  const htmlRounds = await repeat(tag('HTML-only builds'), (i) => round('html', i));
  r.ours.coldHtml = measured(htmlRounds.map((x) => x.cold.wall));
  r.ours.warmUntouchedHtml = measured(htmlRounds.map((x) => x.untouched?.wall));
  r.ours.warmEditedHtml = measured(htmlRounds.map((x) => x.edited?.wall));
  for (const x of htmlRounds) peaks.push(x.cold, x.untouched, x.edited);

  // The edited brief built by itself: in its project (its series is read, as it must be)
  // and, for comparison, copied alone into an empty project.
  const alone = path.join(work, `n${n}-alone`);
  mkdirSync(path.join(alone, 'briefs'), { recursive: true });
  for (const entry of ['places.yaml', 'brief.config.yaml', 'branding']) cpSync(path.join(dir, entry), path.join(alone, entry), { recursive: true });
  cpSync(path.join(dir, corpus.edited), path.join(alone, corpus.edited));
  const aloneRuns = await repeat(tag('one brief alone'), async () => {
    const inProject = await brief(['build', '--html-only', ...force, corpus.edited, '--out', 'out-one'], { cwd: dir });
    const isolated = quick ? undefined : await brief(['build', '--html-only', ...force, corpus.edited, '--out', 'out-one'], { cwd: alone });
    const pdf = r.pdf && !quick ? await brief(['build', ...force, corpus.edited, '--out', 'out-one-pdf'], { cwd: dir }) : undefined;
    say(`${tag('one brief alone')}: HTML in its project ${fmt(inProject.wall)}${isolated ? `, in an empty project ${fmt(isolated.wall)}` : ''}${pdf ? `, HTML+PDF ${fmt(pdf.wall)}` : ''}`);
    return { inProject, isolated, pdf };
  });
  r.ours.aloneHtml = measured(aloneRuns.map((x) => x.inProject.wall));
  r.ours.aloneHtmlIsolated = measured(aloneRuns.map((x) => x.isolated?.wall));
  r.ours.alonePdf = measured(aloneRuns.map((x) => x.pdf?.wall));
  for (const x of aloneRuns) peaks.push(x.inProject, x.pdf);

  say(`${tag('HTML floor (templates only, in one process)')}`);
  const floorJson = await new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bench', 'html-floor.mjs'), '--dist', DIST, '--dir', dir, '--passes', String(Math.max(runs, 3)), '--compare', path.join(dir, 'out-html')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      if (code === 0) return resolve(JSON.parse(out));
      errors.push(`html floor at N=${n} exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`);
      resolve(null);
    });
  });
  if (floorJson) {
    r.floor.htmlRender = measured(floorJson.renderMs.map((ms) => ms / 1000));
    r.floor.htmlIdentical = `${floorJson.identical}/${floorJson.compared}`;
    // Where an HTML build's time goes, measured in one process without I/O.
    r.breakdown = { parse: floorJson.parseMs / 1000, finish: floorJson.finishMs / 1000, modules: floorJson.importMs / 1000, templates: floorJson.setupMs / 1000 };
  }

  // Eleventy 3 building the same briefs as Markdown pages: each pair cold, alternated, ours first.
  if (n >= 100 && !flags['no-eleventy']) {
    try {
      const cmd = eleventyCommand(say);
      const site = path.join(work, `n${n}-eleventy`);
      writeEleventySite(dir, site);
      const pairs = await repeat(tag('cold HTML: ours against Eleventy 3'), async (i) => {
        rmSync(path.join(dir, 'out-html'), { recursive: true, force: true });
        const ours = await brief(['build', '--html-only', ...force, '--out', 'out-html'], { cwd: dir });
        rmSync(path.join(site, '_site'), { recursive: true, force: true });
        const theirs = await nodeRun(eleventyArgs(cmd, site));
        say(`${tag(`cold HTML #${i + 1}`)}: ours ${fmt(ours.wall)}, Eleventy ${fmt(theirs)}`);
        return { ours: ours.wall, theirs };
      });
      r.eleventy = { version: ELEVENTY_VERSION, ours: measured(pairs.map((p) => p.ours)), eleventy: measured(pairs.map((p) => p.theirs)) };
      r.ratios.htmlVsEleventy = ratio(r.eleventy.ours?.median, r.eleventy.eleventy?.median);
    } catch (err) {
      errors.push(`Eleventy at N=${n}: ${err.message.split('\n')[0]}`);
    }
  }

  r.memory.buildPeakRssMb = Math.max(...peaks.filter(Boolean).map((p) => p.peakRssMb ?? 0)) || null;
  const m = (x) => x?.median ?? null;
  r.ratios.pdfStage = ratio(m(r.ours.pdfStage), m(r.floor.pdfConcurrent));
  r.ratios.coldPdfVsFloor = ratio(m(r.ours.coldPdf), m(r.floor.pdfConcurrent));
  r.ratios.htmlVsFloor = ratio(m(r.ours.coldHtml), m(r.floor.htmlRender));
  r.ratios.incrementalHtml = ratio(m(r.ours.warmEditedHtml), m(r.ours.aloneHtml));
  r.ratios.incrementalPdf = ratio(m(r.ours.warmEditedPdf), m(r.ours.alonePdf));
  r.htmlBriefsPerSecond = m(r.ours.coldHtml) ? n / m(r.ours.coldHtml) : null;
}
// ---------------------------------------------------------------------------------------
// One brief, and the example brief: what a person editing a single brief waits for.

const extras = {};
{
  say('one brief: node start, Chromium launch, one floor print, and our cold build of it');
  extras.nodeStart = measured(await repeat('node start', () => nodeRun(['-e', '0'])));
  const importRuns = await repeat('puppeteer import', () => nodeRun(['--input-type=module', '-e', "await import('puppeteer-core')"]));
  // The N=1 corpus is this very brief: its cold HTML+PDF builds serve here too, rather
  // than building it again. Without N=1 among the sizes, it is built here.
  let dir = path.join(work, 'n1');
  if (results[1]?.ours.coldPdf) extras.oursOneBrief = results[1].ours.coldPdf;
  else {
    dir = path.join(work, 'one');
    generateCorpus({ dir, count: 1, seed });
    const ours = await repeat('one brief, ours', () => brief(['build', ...force, '--out', 'out-pdf'], { cwd: dir }));
    extras.oursOneBrief = measured(ours.map((r) => r.wall));
  }
  const output = path.join(dir, 'out-pdf');
  const pdf = existsSync(output) ? readdirSync(output).find((f) => f.endsWith('.pdf')) : undefined;
  if (!pdf) throw new Error('the one-brief build wrote no PDF; see the errors above');
  // A fresh Chromium each time: the first print of a browser is the one a single brief pays for.
  const reference = (await repeat('one brief, floor', () => floorRun(output, 1, pdf.replace(/\.pdf$/, '.html')))).filter(Boolean);
  extras.chromiumLaunch = measured(reference.map((r) => r.launch));
  extras.floorFirstPrint = measured(reference.map((r) => r.print));
  extras.chromiumClose = measured(reference.map((r) => r.close));
  // Our build closes its browser before it exits, so the reference pays for closing too.
  extras.reference = extras.nodeStart && extras.chromiumLaunch && {
    median: extras.nodeStart.median + extras.chromiumLaunch.median + extras.floorFirstPrint.median + extras.chromiumClose.median,
    parts: 'node start + Chromium launch + one floor print + Chromium close',
  };
  // Not in the reference (the floor's process has Puppeteer loaded already), but a cost any Node script that prints pays.
  extras.puppeteerImport = measured(importRuns.map((s) => (s === null || !extras.nodeStart ? null : s - extras.nodeStart.median)));

  say('the example brief, HTML only');
  const example = path.join(work, 'example');
  mkdirSync(example);
  for (const entry of ['briefs', 'places.yaml', 'brief.config.yaml', 'branding', 'incidents']) {
    if (existsSync(path.join(ROOT, entry))) cpSync(path.join(ROOT, entry), path.join(example, entry), { recursive: true });
  }
  const exampleRuns = await repeat('example brief', () => brief(['build', '--html-only', ...force, EXAMPLE, '--out', 'out'], { cwd: example }));
  extras.exampleHtmlOnly = measured(exampleRuns.map((r) => r.wall));

  say('serve: from a save of the example brief to the page showing it, and on to its PDF preview');
  try {
    const slug = path.basename(EXAMPLE, '.yaml');
    const s = await measureServe({ bin: path.join(ROOT, 'bin', 'brief.js'), dir: example, brief: EXAMPLE, page: `${slug}.html`, pdf: `${slug}.pdf`, edits: quick ? 2 : 7 });
    extras.serveSaveToPage = measured(s.saveToPage);
    extras.servePageToPdf = measured(s.pageToPdf);
  } catch (err) {
    errors.push(`serve: ${err.message.split('\n')[0]}`);
  }
}

machine.loadAverageEnd = os.loadavg().map((x) => Number(x.toFixed(2)));

// ---------------------------------------------------------------------------------------
// Targets.

const m = (x) => x?.median ?? null;
const largest = sizes.at(-1);
const largestPdf = [...sizes].reverse().find(pdfAt);
const pdfTargetN = sizes.includes(100) && pdfAt(100) ? 100 : largestPdf;
const htmlTargetN = sizes.includes(1000) ? 1000 : largest;
const targets = [];
const target = (id, text, value, limit, pass, note) => targets.push({ id, target: text, value, limit, pass: value === null || value === undefined ? null : pass, note });

{
  const r = results[pdfTargetN];
  target('pdf-stage', `PDF stage at N=${pdfTargetN ?? 100} at most 1.15x the floor (${concurrency} pages at once)`, r?.ratios.pdfStage ?? null, 1.15, (r?.ratios.pdfStage ?? Infinity) <= 1.15, pdfTargetN === 100 ? undefined : 'N=100 not measured');
  const one = ratio(m(extras.oursOneBrief), extras.reference?.median);
  target('one-brief-cold', 'one brief cold HTML+PDF within 1.3x of node start + Chromium launch + one floor print', one, 1.3, one <= 1.3);
  const example = m(extras.exampleHtmlOnly);
  target('example-html', 'HTML only for the example brief under 300 ms wall', example, 0.3, example < 0.3);
  const h = results[htmlTargetN];
  const note = htmlTargetN === 1000 ? undefined : `N=1000 not measured; N=${htmlTargetN} instead`;
  target('html-rate', `HTML only at N=${htmlTargetN}: at least 1,000 briefs/s`, h?.htmlBriefsPerSecond ?? null, 1000, (h?.htmlBriefsPerSecond ?? 0) >= 1000, note);
  target('html-floor', `HTML only at N=${htmlTargetN}: within 2x of the HTML-only floor`, h?.ratios.htmlVsFloor ?? null, 2, (h?.ratios.htmlVsFloor ?? Infinity) <= 2, note);
  const inc = h?.pdf && flags.full ? h.ratios.incrementalPdf : h?.ratios.incrementalHtml;
  target('incremental', `after editing 1 brief of ${htmlTargetN}, a rebuild under 1.5x building that brief alone (${h?.pdf && flags.full ? 'HTML+PDF' : 'HTML only'})`, inc ?? null, 1.5, (inc ?? Infinity) < 1.5, note);
  const eleventy = results[htmlTargetN]?.ratios.htmlVsEleventy ?? null;
  target('eleventy', `cold HTML at N=${htmlTargetN}: at most 0.6x Eleventy ${ELEVENTY_VERSION} building the same briefs as Markdown`, eleventy, 0.6, eleventy <= 0.6, note);
  // Issue targets: nothing changed at 1,000 briefs within 0.2 s, at 10,000 within 1 s (whole process, wall).
  for (const [n, limit] of [[1000, 0.2], [10000, 1]]) {
    const untouched = m(results[n]?.ours.warmUntouchedHtml);
    target(`no-change-${n}`, `a rebuild where nothing changed, N=${n}, HTML only: at most ${limit} s wall`, untouched, limit, untouched <= limit, sizes.includes(n) ? undefined : `N=${n} not measured (--sizes ${n})`);
  }
  const page = m(extras.serveSaveToPage);
  target('serve-page', 'in serve, a save of the example brief shows on its page within 0.1 s', page, 0.1, page <= 0.1);
  const preview = m(extras.servePageToPdf);
  target('serve-pdf', 'in serve, the PDF preview of that version within 0.25 s after the page shows it', preview, 0.25, preview <= 0.25);
  const rss = h?.memory.buildPeakRssMb ?? null;
  target('build-rss', `peak RSS of the build process at N=${htmlTargetN} under 400 MB`, rss, 400, rss < 400, note);
  const flat = results[largestPdf]?.memory.chromiumFlat?.growth;
  target('chromium-flat', `Chromium's memory flat over the N=${largestPdf} print run (last quarter at most 20% above the second)`, flat ?? null, 0.2, flat <= 0.2, largestPdf < 50 ? 'few briefs: indicative only' : undefined);
}

// ---------------------------------------------------------------------------------------
// Report: the table on stdout, the JSON on disk.

const columns = sizes.map((n) => `N=${n}`);
const rows = [];
const row = (label, pick, show = fmt) => rows.push([label, ...sizes.map((n) => show(pick(results[n])))]);
const section = (label) => rows.push([label]);
section('PDF');
row('floor: print, one page at a time', (r) => m(r.floor.pdfSerial));
row(`floor: print, ${concurrency} pages at once`, (r) => m(r.floor.pdfConcurrent));
row('ours: cold HTML+PDF, wall', (r) => m(r.ours.coldPdf));
row('ours: PDF stage', (r) => m(r.ours.pdfStage));
row('ours: warm, nothing changed', (r) => m(r.ours.warmUntouchedPdf));
row('ours: warm, one brief edited', (r) => m(r.ours.warmEditedPdf));
row('ours: edited brief alone', (r) => m(r.ours.alonePdf));
row('ratio PDF stage / floor', (r) => r.ratios.pdfStage, (x) => (x ? `${x.toFixed(2)}x` : '-'));
row('ratio cold build / floor', (r) => r.ratios.coldPdfVsFloor, (x) => (x ? `${x.toFixed(2)}x` : '-'));
section('HTML only');
row('floor: templates only', (r) => m(r.floor.htmlRender));
row('ours: cold, wall', (r) => m(r.ours.coldHtml));
row('ours: briefs per second', (r) => r.htmlBriefsPerSecond, (x) => (x ? x.toFixed(x < 10 ? 1 : 0) : '-'));
row('ours: warm, nothing changed', (r) => m(r.ours.warmUntouchedHtml));
row('ours: warm, one brief edited', (r) => m(r.ours.warmEditedHtml));
row('ours: edited brief alone (project)', (r) => m(r.ours.aloneHtml));
row('ours: edited brief alone (empty)', (r) => m(r.ours.aloneHtmlIsolated));
row('ratio cold / floor', (r) => r.ratios.htmlVsFloor, (x) => (x ? `${x.toFixed(1)}x` : '-'));
row('ratio edited rebuild / alone', (r) => r.ratios.incrementalHtml, (x) => (x ? `${x.toFixed(2)}x` : '-'));
row(`Eleventy ${ELEVENTY_VERSION}: cold, same briefs as Markdown`, (r) => m(r?.eleventy?.eleventy));
row('ours: cold, beside it', (r) => m(r?.eleventy?.ours));
row('ratio ours / Eleventy', (r) => r?.ratios.htmlVsEleventy, (x) => (x ? `${x.toFixed(2)}x` : '-'));
row('in-process: parse all', (r) => r.breakdown?.parse ?? null);
row('in-process: tally+markdown+figures+render', (r) => r.breakdown?.finish ?? null);
section('Memory (peak)');
row('ours: build process (VmHWM)', (r) => r.memory.buildPeakRssMb, fmtMb);
row('ours: Chromium (sum of RSS)', (r) => r.memory.chromiumPeakMb, fmtMb);
row('floor: Chromium (sum of RSS)', (r) => r.floor.chromiumPeakMb, fmtMb);
row('ours: Chromium (sum of PSS)', (r) => r.memory.chromiumPeakPssMb, fmtMb);
row('floor: Chromium (sum of PSS)', (r) => r.floor.chromiumPeakPssMb, fmtMb);
row('ours: Chromium growth over run', (r) => r.memory.chromiumFlat?.growth, (x) => (x === null || x === undefined ? '-' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`));
section('Corpus');
row('PDF pages (min/median/max)', (r) => r.corpus.pdfPages, (p) => (p ? `${p.min}/${p.median}/${p.max}` : '-'));
row('YAML', (r) => r.corpus.yamlBytes, (b) => `${(b / 1024).toFixed(0)} KB`);

const widths = [Math.max(...rows.map((x) => x[0].length)), ...columns.map((c, i) => Math.max(c.length, ...rows.map((x) => (x[i + 1] ?? '').length)))];
const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[0]) : c.padStart(widths[i]))).join('  ');
const out = [];
out.push(`flashbrief benchmark ${today}: ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.chromium ?? 'Chromium'}, ${machine.commit?.slice(0, 10) ?? 'no commit'}${machine.dirty ? ' (working tree changed)' : ''}`);
out.push(`medians of up to ${runs} run(s); load average ${machine.loadAverageStart.join(' ')} at start, ${machine.loadAverageEnd.join(' ')} at end`);
if (limited.length > 0) out.push(`fewer runs within --budget ${budget} s: ${limited.join('; ')}`);
for (const n of sizes) if (!pdfAt(n)) out.push(`N=${n}: no PDFs (above N=${PDF_LIMIT} they take too long on ${machine.cores} cores; --full prints them)`);
if (force.length === 0) out.push('brief build has no --force: cold and warm builds ran the same command');
out.push('');
out.push(line(['', ...columns]));
for (const x of rows) out.push(x.length === 1 ? `${x[0]}` : line(x));
out.push('');
out.push('one brief, HTML+PDF, cold:');
out.push(`  ours ${fmt(m(extras.oursOneBrief))}; reference ${fmt(extras.reference?.median)} = node start ${fmt(m(extras.nodeStart))} + Chromium launch ${fmt(m(extras.chromiumLaunch))} + one floor print ${fmt(m(extras.floorFirstPrint))} + close ${fmt(m(extras.chromiumClose))} (importing Puppeteer alone: ${fmt(m(extras.puppeteerImport))})`);
out.push(`example brief, HTML only: ${fmt(m(extras.exampleHtmlOnly))}`);
out.push(`serve, example brief: a save shows on the page after ${fmt(m(extras.serveSaveToPage))}; its PDF preview ${fmt(m(extras.servePageToPdf))} after that`);
out.push('');
out.push('targets (a measurement tool: the exit code stays 0):');
for (const t of targets) {
  const value = t.value === null ? 'not measured' : t.id === 'example-html' || t.id.startsWith('no-change') || t.id.startsWith('serve-') || t.id === 'build-rss' ? (t.id === 'build-rss' ? fmtMb(t.value) : fmt(t.value)) : t.id === 'html-rate' ? `${t.value.toFixed(1)} briefs/s` : t.id === 'chromium-flat' ? `${(t.value * 100).toFixed(0)}% growth` : `${t.value.toFixed(2)}x`;
  out.push(`  ${t.pass === null ? 'SKIP' : t.pass ? 'PASS' : 'FAIL'}  ${t.target}: ${value}${t.note ? ` (${t.note})` : ''}`);
}
if (errors.length > 0) {
  out.push('');
  out.push('errors:');
  for (const e of errors) out.push(`  ${e}`);
}
const seconds = (now() - startedAll) / 1000;
out.push('');
out.push(`took ${fmt(seconds)}; results in ${path.relative(process.cwd(), outFile) || outFile}`);

const json = {
  schema: 1,
  date: today,
  machine,
  options: { sizes, runs, budget, full: flags.full, quick, seed, concurrency, force: force.length > 0, pdfLimit: PDF_LIMIT, limitedByBudget: limited },
  extras,
  sizes: Object.fromEntries(sizes.map((n) => [String(n), results[n]])),
  targets,
  errors,
  seconds,
};
mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, `${JSON.stringify(json, null, 2)}\n`);
process.stdout.write(`${out.join('\n')}\n`);

if (flags.keep) say(`corpus kept in ${work}`);
else rmSync(work, { recursive: true, force: true });
