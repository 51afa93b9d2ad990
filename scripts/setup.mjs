#!/usr/bin/env node
// One command from a fresh clone to a built example: `npm run setup`.
// Installs the npm dependencies (which compiles the CLI), makes sure a Chrome or
// Chromium, and the PDF tools and Java the tests use, are present, then builds briefs/
// into output/.
// Plain Node with no dependencies, because it runs before `npm ci`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => process.stderr.write(`setup: ${line}\n`);

function run(command, args, options = {}) {
  say(`$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    say(`failed: ${[command, ...args].join(' ')} (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

const onPath = (name) => spawnSync(process.platform === 'win32' ? 'where' : 'which', [name], { stdio: 'ignore' }).status === 0;

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
run(npm, [existsSync(path.join(root, 'package-lock.json')) ? 'ci' : 'install', '--no-audit', '--no-fund']);

// The CLI's own browser search decides whether one is needed, so setup and `brief` agree.
const { findBrowser } = await import(path.join(root, 'dist', 'print', 'browser.js'));
const hasBrowser = async () => {
  try {
    const found = await findBrowser();
    say(`browser: ${found.executablePath} (${found.source})`);
    return true;
  } catch {
    return false;
  }
};

const aptPackages = [];
if (!(await hasBrowser())) aptPackages.push('chromium');
// pdftotext, pdfinfo and pdffonts are what the tests open PDFs with.
if (!onPath('pdftotext')) aptPackages.push('poppler-utils');
// Java runs the Nu HTML Checker (vnu-jar), which the tests validate every page with.
if (!onPath('java')) aptPackages.push('default-jre-headless');

if (aptPackages.length > 0) {
  if (process.platform === 'linux' && onPath('apt-get')) {
    const isRoot = process.getuid?.() === 0;
    if (!isRoot && !onPath('sudo')) {
      say(`please install as root: apt-get install -y ${aptPackages.join(' ')}`);
      process.exit(1);
    }
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const apt = (...args) => (isRoot ? run('apt-get', args, { env }) : run('sudo', ['apt-get', ...args], { env }));
    apt('update');
    apt('install', '-y', '--no-install-recommends', ...aptPackages);
  } else {
    if (aptPackages.includes('chromium')) run(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['@puppeteer/browsers', 'install', 'chrome@stable', '--path', path.join(os.homedir(), '.cache', 'puppeteer')]);
    if (aptPackages.includes('poppler-utils')) {
      say('the tests read PDFs with poppler (pdftotext, pdfinfo, pdffonts): install it, e.g. `brew install poppler`');
    }
    if (aptPackages.includes('default-jre-headless')) {
      say('the tests validate pages with the Nu HTML Checker, which needs Java 11 or later: install it, e.g. `brew install openjdk`');
    }
  }
  if (!(await hasBrowser())) {
    say('still no browser found; see the message above, or set FLASHBRIEF_BROWSER to a Chrome or Chromium');
    process.exit(1);
  }
}

run(process.execPath, [path.join(root, 'bin', 'brief.js'), 'build']);
say(`done: ${readdirSync(path.join(root, 'output')).join(', ')} in output/`);
