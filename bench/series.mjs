#!/usr/bin/env node
// The series benchmark: one long series, as analysts write them (a brief a week, each
// re-listing the previous week's incidents), built to HTML at a few sizes, to show that
// time and memory grow with the number of briefs and not faster. `node bench/series.mjs
// --help`, or `npm run bench -- --series`. It measures and reports; a missed target
// prints FAIL but never fails the command.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { prng } from './corpus.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'brief.js');
const DAY = 86_400_000;
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

const PLACES = [
  { name: 'Harbel Air Base', country: 'Iraq', lat: 33.8, lon: 42.4 },
  { name: 'Qarsul garrison', country: 'Syria', lat: 35.1, lon: 40.2 },
  { name: 'Tamnas outpost', country: 'Syria', lat: 34.4, lon: 38.9 },
  { name: 'Dorwar airfield', country: 'Iraq', lat: 35.6, lon: 44.1 },
  { name: 'Zabfen logistics hub', country: 'Jordan', lat: 31.9, lon: 37.1 },
  { name: 'Mirlum patrol base', country: 'Iraq', lat: 32.4, lon: 45.0 },
];
const WEAPONS = ['drone', 'rocket', 'missile', 'mortar'];
const GROUPS = ['Valley Resistance Front', 'Brigades of the Two Rivers', 'Eastern Vanguard'];

const json = (v) => JSON.stringify(v);

/** One incident as a YAML flow mapping on one line (valid YAML: values quoted as JSON). */
function incidentLine(i) {
  const fields = [`id: ${json(i.id)}`, `date: ${i.date}`, `location: ${json(i.location)}`, `country: ${json(i.country)}`];
  fields.push(`weapons: [${i.weapons.map((w) => (w.count === undefined ? `{type: ${w.type}}` : `{type: ${w.type}, count: ${w.count}}`)).join(', ')}]`);
  if (i.perpetrator) fields.push(`perpetrator: ${json(i.perpetrator)}`);
  if (i.injured !== undefined) fields.push(`injured: ${i.injured}`);
  if (i.revised) fields.push(`revised: ${i.revised}`);
  return `  - {${fields.join(', ')}}`;
}

/**
 * Writes <dir>/briefs/week-NNNN.yaml (one series of `count` weekly briefs), <dir>/places.yaml
 * and <dir>/brief.config.yaml. Each brief lists the incidents since the previous one and
 * re-lists the previous one's with the same ids and facts (now and then one of them
 * revised, with a changed count); every fourth brief's window reaches back four weeks,
 * the others count the two weeks their own incidents span. The same seed and count give
 * the same files. `perWeek`: how many new incidents a week, at least and at most;
 * `places: false` leaves out places.yaml, so no page draws a map (a build twice as fast).
 * Returns the brief files, relative to `dir`, and per brief (`weeks`) how many incidents
 * it lists new and again, and whether its window reaches back four weeks.
 */
export function generateSeries({ dir, count, seed = 1, perWeek = [3, 6], places = true }) {
  const random = prng(seed);
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(random() * list.length)];
  const start = Date.UTC(2020, 0, 6);
  mkdirSync(path.join(dir, 'briefs'), { recursive: true });
  const files = [];
  const weeks = [];
  let previous = [];
  let number = 0;
  for (let k = 0; k < count; k++) {
    const date = start + k * 7 * DAY;
    const iso = isoDay(date);
    const own = Array.from({ length: int(perWeek[0], perWeek[1]) }, () => {
      const place = pick(PLACES);
      const type = pick(WEAPONS);
      return {
        id: `w${k + 1}-${++number}`,
        date: isoDay(date - int(0, 6) * DAY),
        location: place.name,
        country: place.country,
        weapons: [random() < 0.7 ? { type, count: int(1, 5) } : { type }],
        perpetrator: random() < 0.6 ? pick(GROUPS) : undefined,
        injured: random() < 0.3 ? int(0, 6) : undefined,
      };
    }).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    // The previous week's incidents again, as listed; once in a while one with a corrected count.
    const again = previous.map((i) => (random() < 0.05 ? { ...i, injured: (i.injured ?? 0) + 1, revised: iso } : i));
    const since = k % 4 === 3 ? ['tally:', `  since: ${isoDay(date - 27 * DAY)}`] : [];
    const text = [
      `title: "Week ${k + 1}: attacks on bases"`,
      `date: ${iso}`,
      'series: campaign',
      `summary: "Militants struck {{tally.total}} times in {{tally.days}} days."`,
      'developments: |',
      '  {{tally.new}} attacks are new since the previous brief; {{tally.total}} in all over {{tally.days}} days.',
      ...since,
      'incidents:',
      ...[...again, ...own].map(incidentLine),
      '',
    ].join('\n');
    const file = `briefs/week-${String(k + 1).padStart(4, '0')}.yaml`;
    writeFileSync(path.join(dir, file), text);
    files.push(file);
    weeks.push({ file, own: own.length, relisted: again.length, reachesBack: since.length > 0 });
    previous = own;
  }
  if (places) writeFileSync(path.join(dir, 'places.yaml'), PLACES.map((p) => `- {name: ${json(p.name)}, country: ${p.country}, lat: ${p.lat}, lon: ${p.lon}}`).join('\n') + '\n');
  writeFileSync(path.join(dir, 'brief.config.yaml'), 'organization: Bench Institute\nsite: {url: "https://briefs.example.org/", title: Flash Briefs}\n');
  return { dir, count, seed, files, weeks };
}

/**
 * The CPU seconds (user and system) a running process has used so far, from /proc (Linux
 * only; undefined elsewhere or once it is gone). On a shared machine the wall time varies
 * with what else runs; the CPU time much less.
 */
function cpuSeconds(pid) {
  try {
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
// Linux counts CPU time in clock ticks of 1/100 s on every common configuration.
const CLOCK_TICKS = 100;

/**
 * One HTML-only build of a folder, as a fresh process: wall seconds, CPU seconds (read
 * every 100 ms while it runs, so up to 0.1 s short) and the process's peak RSS (MB, from
 * its manifest).
 */
function buildOnce(dir, heapMb) {
  return new Promise((resolve) => {
    const started = performance.now();
    const args = [...(heapMb ? [`--max-old-space-size=${heapMb}`] : []), BIN, 'build', '--html-only', '--json', '--profile', '-q'];
    const child = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let cpu = null;
    const poll = setInterval(() => (cpu = cpuSeconds(child.pid) ?? cpu), 100);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
    child.on('exit', () => clearInterval(poll));
    child.on('close', (code) => {
      const wall = (performance.now() - started) / 1000;
      let manifest;
      try {
        manifest = JSON.parse(stdout);
      } catch {
        manifest = undefined;
      }
      const ok = code === 0 && manifest?.briefs?.every((b) => b.ok);
      resolve({ code, ok, wall, cpu, peakRssMb: manifest ? manifest.profile.peakRssBytes / 2 ** 20 : null, briefs: manifest?.briefs?.length ?? 0, tail: stderr.slice(-1000) });
    });
  });
}

const HELP = `Usage: node bench/series.mjs [options]   (npm run bench -- --series compiles first)

  --sizes 100,200,400,1000  series lengths to build (default 100,200,400,1000)
  --seed 1                  generator seed: the same seed and size give the same files
  --heap MB                 cap the build's heap (--max-old-space-size), as the scale test does
  --out FILE                also write the figures as JSON
  --keep                    keep the generated folders and print where they are
`;

/** Runs the measurements and prints a table; returns the results by size. */
export async function runSeriesBench({ sizes = [100, 200, 400, 1000], seed = 1, heap, out, keep = false } = {}) {
  const say = (line) => process.stderr.write(`bench: ${line}\n`);
  const work = mkdtempSync(path.join(os.tmpdir(), 'flashbrief-series-'));
  const results = [];
  for (const n of sizes) {
    const dir = path.join(work, `n${n}`);
    generateSeries({ dir, count: n, seed });
    say(`N=${n}: building ${n} briefs of one series (HTML only${heap ? `, heap ${heap} MB` : ''})`);
    const r = await buildOnce(dir, heap);
    if (!r.ok) say(`N=${n}: the build failed (exit ${r.code}): ${r.tail}`);
    results.push({ n, ok: r.ok, wallSeconds: r.wall, cpuSeconds: r.cpu, peakRssMb: r.peakRssMb, msPerBrief: (r.wall * 1000) / n, cpuMsPerBrief: r.cpu === null ? null : (r.cpu * 1000) / n });
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
  const base = results[0];
  const last = results.at(-1);
  // The CPU time when it could be read: it shows the work, where the wall time also shows the machine's load.
  const perBrief = (r) => r.cpuMsPerBrief ?? r.msPerBrief;
  const cpuKnown = results.every((r) => r.cpuMsPerBrief !== null);
  const lines = ['', `| N | wall | CPU | wall per brief | CPU per brief | ${cpuKnown ? 'CPU' : 'wall'} per brief vs N=${base.n} | peak RSS |`, '|---|---|---|---|---|---|---|'];
  const ms = (x) => (x === null ? '-' : `${x.toFixed(1)} ms`);
  for (const r of results) {
    lines.push(
      `| ${r.n} | ${r.wallSeconds.toFixed(2)} s | ${r.cpuSeconds === null ? '-' : `${r.cpuSeconds.toFixed(2)} s`} | ${ms(r.msPerBrief)} | ${ms(r.cpuMsPerBrief)} | ` +
        `${(perBrief(r) / perBrief(base)).toFixed(2)}x | ${r.peakRssMb === null ? '-' : `${r.peakRssMb.toFixed(0)} MB`} |`,
    );
  }
  // Linear: the time per brief at the largest size stays within twice that of the smallest
  // (start-up is shared, so it usually falls); memory under the README's 400 MB.
  const ratio = perBrief(last) / perBrief(base);
  const linear = ratio < 2;
  const bounded = last.peakRssMb !== null && last.peakRssMb < 400;
  lines.push('', `${linear ? 'PASS' : 'FAIL'} ${cpuKnown ? 'CPU' : 'wall'} time per brief at N=${last.n} is ${ratio.toFixed(2)}x that at N=${base.n} (target: under 2x)`);
  lines.push(`${bounded ? 'PASS' : 'FAIL'} peak RSS at N=${last.n} is ${last.peakRssMb?.toFixed(0) ?? '-'} MB (target: under 400 MB)`, '');
  process.stdout.write(lines.join('\n'));
  if (out) writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), seed, heap: heap ?? null, cores: os.availableParallelism(), node: process.version, results }, null, 2) + '\n');
  if (keep) say(`folders kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values: flags } = parseArgs({
    options: {
      sizes: { type: 'string' },
      seed: { type: 'string', default: '1' },
      heap: { type: 'string' },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (flags.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const sizes = (flags.sizes ?? '100,200,400,1000').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0).sort((a, b) => a - b);
  await runSeriesBench({ sizes, seed: Number(flags.seed), heap: flags.heap ? Number(flags.heap) : undefined, out: flags.out, keep: flags.keep });
}
