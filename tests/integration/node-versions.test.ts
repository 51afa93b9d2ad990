import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runNode, tempDir } from '../helpers.js';

/*
 * The example project built by Node 20 (this process's), 22 and 24 gives the same bytes,
 * page for page and PDF for PDF. The other versions come from the npm registry packages
 * that ship the Node binary (scripts/node-versions.mjs), as CI installs them.
 */

/** Every file under `dir` but the build's own cache record, by relative path, as a SHA-256. */
function digests(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    if (rel === '.flashbrief-cache.json') continue;
    const file = path.join(dir, rel);
    try {
      out[rel] = createHash('sha256').update(readFileSync(file)).digest('hex');
    } catch {
      // a folder
    }
  }
  return out;
}

describe('the example, built under Node 20, 22 and 24', () => {
  let nodes: string[];
  beforeAll(() => {
    nodes = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'node-versions.mjs'), '22', '24'], { encoding: 'utf8' }).trim().split('\n');
  }, 300_000);

  it('is byte-identical: HTML, PDF, feeds, sitemap and assets', { timeout: 300_000 }, async () => {
    const builds: Record<string, Record<string, string>> = {};
    for (const node of [process.execPath, ...nodes]) {
      const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
      if (builds[version]) continue;
      const out = tempDir('flashbrief-node-');
      const result = await runNode(BIN, ['build', path.join(ROOT, 'briefs'), '--out', out, '-q'], { cwd: ROOT, node });
      expect(result.code, `${version}: ${result.stderr}`).toBe(0);
      builds[version] = digests(out);
    }
    const [first, ...rest] = Object.entries(builds);
    const majors = Object.keys(builds).map((v) => v.split('.')[0]);
    expect(majors).toEqual(expect.arrayContaining(['v22', 'v24']));
    expect(majors.length, 'this process runs another version, so there are three').toBeGreaterThanOrEqual(process.version.startsWith('v2') && !/^v2[24]\./.test(process.version) ? 3 : 2);
    expect(Object.keys(first![1]).filter((f) => f.endsWith('.pdf'))).toHaveLength(2);
    for (const [version, files] of rest) expect(files, `${version} against ${first![0]}`).toEqual(first![1]);
  });
});
