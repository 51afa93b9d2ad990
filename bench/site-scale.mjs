#!/usr/bin/env node
// What the site around the briefs costs as topics grow: many briefs with many topics each
// (a brief may have at most 50: LIST_LIMITS). Builds HTML only (no Chromium) and prints,
// per case, the bytes of the site's own files (index, topic pages, feeds, sitemap), the
// bytes of the whole output folder, the build's peak resident memory and its wall time.
//
//   node bench/site-scale.mjs                          # 40 x 50 and 200 x 50 topics
//   node bench/site-scale.mjs --briefs 200 --per 50 [--pool 1000]
//
// --pool draws each brief's topics from a shared pool of that many names (0: every
// topic is a brief's own, so 40 x 50 gives 2,000 topic pages). Run `npm run build`
// first: it measures dist/.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: flags } = parseArgs({
  options: {
    briefs: { type: 'string' },
    per: { type: 'string', default: '50' },
    pool: { type: 'string', default: '0' },
    keep: { type: 'boolean', default: false },
  },
});

/** A project folder with `briefs` briefs of `per` topics each, and a site address (so feeds and sitemap are written). */
function project(briefs, per, pool) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flashbrief-site-scale-'));
  mkdirSync(path.join(dir, 'briefs'));
  writeFileSync(path.join(dir, 'brief.config.yaml'), 'site:\n  url: https://briefs.example.org/\n');
  for (let b = 0; b < briefs; b++) {
    const topics = Array.from({ length: per }, (_, k) => (pool > 0 ? `Topic ${(b * 7 + k * 13) % pool}` : `Topic ${b}-${k}`));
    const day = String(1 + (b % 28)).padStart(2, '0');
    const month = String(1 + (Math.floor(b / 28) % 12)).padStart(2, '0');
    writeFileSync(
      path.join(dir, 'briefs', `b${b}.yaml`),
      [
        `title: Brief number ${b}`,
        `date: 2024-${month}-${day}`,
        `slug: brief-${b}`,
        `summary: A one-line summary of brief ${b}, as the index shows it.`,
        'topics:',
        ...[...new Set(topics)].map((t) => `  - ${t}`),
        'developments: Nothing else happened.',
        '',
      ].join('\n'),
    );
  }
  return dir;
}

function bytesUnder(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? bytesUnder(full) : statSync(full).size;
  }
  return total;
}

function measure(label, briefs, per, pool) {
  const dir = project(briefs, per, pool);
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'brief.js'), 'build', '--html-only', '--json', '--profile', '-q'], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`${label}: build failed (${run.status}): ${run.stderr.slice(-2000)}`);
  const manifest = JSON.parse(run.stdout);
  const out = path.join(dir, 'output');
  const site = ['index.html', 'feed.xml', 'feed.json', 'sitemap.xml'].reduce((n, f) => n + statSync(path.join(out, f)).size, 0) + bytesUnder(path.join(out, 'topics'));
  const row = {
    case: label,
    topicPages: readdirSync(path.join(out, 'topics')).length,
    siteMB: +(site / 2 ** 20).toFixed(2),
    outputMB: +(bytesUnder(out) / 2 ** 20).toFixed(2),
    peakRssMB: Math.round(manifest.profile.peakRssBytes / 2 ** 20),
    seconds: +seconds.toFixed(1),
  };
  if (flags.keep) row.dir = dir;
  else rmSync(dir, { recursive: true, force: true });
  return row;
}

const per = Number(flags.per);
const pool = Number(flags.pool);
const sizes = flags.briefs === undefined ? [40, 200] : [Number(flags.briefs)];
const rows = sizes.map((b) => measure(`${b} briefs x ${per} topics${pool > 0 ? ` (pool of ${pool})` : ''}`, b, per, pool));
console.table(rows);
