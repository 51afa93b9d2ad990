#!/usr/bin/env node
// Renders page 1 of the example PDF to docs/example-page-1.png, the picture in the README.
// Run `npm run setup` (or `npx brief build`) first; needs pdftoppm from poppler.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pdf = path.join(root, 'output', 'militia-attacks-on-us-troops.pdf');
const result = spawnSync('pdftoppm', ['-png', '-r', '90', '-f', '1', '-l', '1', '-singlefile', pdf, path.join(root, 'docs', 'example-page-1')], {
  stdio: 'inherit',
});
if (result.status !== 0) {
  process.stderr.write(`preview: pdftoppm failed on ${pdf}; build the example first (npx brief build)\n`);
  process.exit(1);
}
process.stderr.write('preview: wrote docs/example-page-1.png\n');
