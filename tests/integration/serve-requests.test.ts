import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Server } from '../../src/serve/serve.js';
import { FIXTURES, tempDir } from '../helpers.js';

/*
 * Requests a browser would not send, sent as raw paths (fetch() would resolve the dots
 * away before they reach the server): the preview answers each without serving a file
 * outside its build folder, and keeps serving. No PDF is asked for, so no browser starts.
 */

/** GETs `rawPath` exactly as written. */
function get(url: string, rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let server: Server;
let project: string;
beforeAll(async () => {
  const dir = (project = tempDir());
  mkdirSync(path.join(dir, 'briefs'));
  cpSync(path.join(FIXTURES, 'valid', 'minimal.yaml'), path.join(dir, 'briefs', 'a.yaml'));
  // A file beside the project that a path escaping the build folder could name.
  writeFileSync(path.join(dir, 'secret.txt'), 'secret');
  server = await serve({ cwd: dir, port: 0 });
});
afterAll(() => server?.close());

describe('brief serve, asked for what it does not serve', () => {
  it('listens on loopback only by default', () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
  });

  it.each([
    '/../../../../../../etc/passwd',
    '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/%2fetc%2fpasswd',
    '/..%2f',
    '/..%5c..%5csecret.txt',
  ])('refuses %s with a 404', async (raw) => {
    const res = await get(server.url, raw);
    expect(res).toEqual({ status: 404, body: 'not found' });
  });

  it('refuses a path to a file that exists outside the build folder', async () => {
    // The build folder and the project are both in the temporary folder: one step up, then into the project.
    const raw = `/..%2f${path.basename(project)}%2fsecret.txt`;
    expect(await get(server.url, raw)).toEqual({ status: 404, body: 'not found' });
  });

  it.each(['/%E0%A4%A.html', '/%zz', '/%', '/%ff%fe.html', '/topics/%c0%af.html', '/x%2.pdf'])('answers the malformed escape %s with a 400 saying so, and keeps serving', async (raw) => {
    expect(await get(server.url, raw)).toEqual({ status: 400, body: 'flashbrief: the address has a malformed %-escape' });
    expect((await get(server.url, '/')).status).toBe(200);
  });

  it('serves no dotfile, the build record first, however the path is written, and no file of a type no build writes', async () => {
    // The build's own record is in its folder (tests/unit/serve-paths.test.ts: which paths are served).
    for (const raw of ['/.flashbrief-cache.json', '/%2eflashbrief-cache.json', '/assets/../.flashbrief-cache.json', '/.hidden.html', '/assets/.x.css', '/feed.json.12345']) {
      expect(await get(server.url, raw), raw).toEqual({ status: 404, body: 'not found' });
    }
    // What a build writes is served.
    expect((await get(server.url, '/index.html')).status).toBe(200);
  });

  it('answers 404 for a page, a file or a PDF that the build did not make', async () => {
    for (const raw of ['/nope.html', '/nope.css', '/nope.pdf']) expect(await get(server.url, raw), raw).toEqual({ status: 404, body: 'not found' });
  });
});
