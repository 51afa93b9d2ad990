// The static-site generator a newsroom web team would compare us with: Eleventy 3, building
// the very briefs of a benchmark corpus written as Markdown pages through a plain layout.
// Installed on first use from the npm registry into the system's temporary folder (it is
// no dependency of flashbrief), then run as its own command, as a web team would run it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

export const ELEVENTY_VERSION = '3';

/**
 * The path of Eleventy's command, installed (`npm install @11ty/eleventy@3`) into a folder
 * of the system's temporary folder that later runs reuse. Throws when npm cannot install it.
 */
export function eleventyCommand(log = () => undefined) {
  const dir = path.join(os.tmpdir(), `flashbrief-bench-eleventy-${ELEVENTY_VERSION}`);
  const cmd = path.join(dir, 'node_modules', '@11ty', 'eleventy', 'cmd.cjs');
  if (!existsSync(cmd)) {
    log(`installing Eleventy ${ELEVENTY_VERSION} into ${dir} (once)`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{"private":true}\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `@11ty/eleventy@${ELEVENTY_VERSION}`], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return cmd;
}

const cell = (text) => String(text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const yamlString = (text) => JSON.stringify(String(text ?? ''));

/**
 * One brief as a Markdown page: its title, date and authors in front matter, then its
 * summary, developments, analysis, background and an incident table, the prose a page of
 * ours shows (placeholders left as written: Eleventy has no tallies to fill them with).
 */
function briefAsMarkdown(brief) {
  const lines = [
    '---',
    `title: ${yamlString(brief.title)}`,
    `date: ${brief.date}`,
    'layout: brief.njk',
    `authors: ${yamlString((brief.authors ?? []).map((a) => a.name).join(', '))}`,
    '---',
    '',
    brief.summary ?? '',
    '',
    '## Developments',
    '',
    brief.developments ?? '',
  ];
  for (const a of brief.analysis ?? []) lines.push('', `> ${cell(a.quote)}`, `> — ${cell(a.name)}, ${cell(a.role)}`);
  for (const b of brief.background ?? []) lines.push('', `## ${b.heading}`, '', b.body ?? '');
  if ((brief.incidents ?? []).length > 0) {
    lines.push('', '## Incidents', '', '| Date | Location | Country | Killed | Injured | Summary |', '|---|---|---|---|---|---|');
    for (const i of brief.incidents) lines.push(`| ${cell(i.date)} | ${cell(i.location)} | ${cell(i.country)} | ${i.killed ?? 0} | ${i.injured ?? 0} | ${cell(i.summary)} |`);
  }
  return `${lines.join('\n')}\n`;
}

const LAYOUT = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }}</title><link rel="stylesheet" href="/brief.css"></head>
<body><main class="brief"><h1>{{ title }}</h1><p class="byline">{{ authors }}, <time>{{ page.date.toISOString().slice(0, 10) }}</time></p>
{{ content | safe }}
</main></body>
</html>
`;

/**
 * Writes every brief of `corpusDir/briefs` as a Markdown page into `siteDir/src`, with
 * the layout and a configuration that sends pages to `siteDir/_site/<slug>/index.html`.
 * Returns the number of pages.
 */
export function writeEleventySite(corpusDir, siteDir) {
  rmSync(siteDir, { recursive: true, force: true });
  const src = path.join(siteDir, 'src');
  mkdirSync(path.join(src, '_includes'), { recursive: true });
  writeFileSync(path.join(src, '_includes', 'brief.njk'), LAYOUT);
  const briefs = readdirSync(path.join(corpusDir, 'briefs')).filter((f) => f.endsWith('.yaml'));
  for (const file of briefs) {
    const brief = parse(readFileSync(path.join(corpusDir, 'briefs', file), 'utf8'));
    writeFileSync(path.join(src, file.replace(/\.yaml$/, '.md')), briefAsMarkdown(brief));
  }
  return briefs.length;
}

/** The arguments of one Eleventy build of the site written by writeEleventySite. */
export const eleventyArgs = (cmd, siteDir) => [cmd, `--input=${path.join(siteDir, 'src')}`, `--output=${path.join(siteDir, '_site')}`, '--quiet'];
