import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serve, type Server } from '../../src/serve/serve.js';
import { FIXTURES, tempDir } from '../helpers.js';

/*
 * The preview answers only this machine's browser, and a page of another site cannot make
 * it print: a running server, over real HTTP, with the Chromium it prints with.
 */

/** Print jobs in Chromium now, and the most there ever were at once: counted around the printer itself. */
const prints = vi.hoisted(() => ({ now: 0, most: 0, total: 0 }));
vi.mock('../../src/print/pdf.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/print/pdf.js')>();
  return {
    ...real,
    printAll: async (...args: Parameters<typeof real.printAll>) => {
      prints.now++;
      prints.total++;
      prints.most = Math.max(prints.most, prints.now);
      try {
        return await real.printAll(...args);
      } finally {
        prints.now--;
      }
    },
  };
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Sends `rawPath` with exactly `headers` (Host included; `host: undefined` sends none).
 * The stream route is answered with headers only: the body is not waited for.
 */
function send(url: string, rawPath: string, headers: Record<string, string | undefined>, method = 'GET'): Promise<Answer> {
  const { hostname, port } = new URL(url);
  const sent = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: rawPath, method, headers: sent, setHost: false }, (res) => {
      const answer = { status: res.statusCode ?? 0, headers: res.headers };
      if (res.headers['content-type']?.startsWith('text/event-stream')) {
        res.destroy();
        return resolve({ ...answer, body: '' });
      }
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ ...answer, body: Buffer.concat(chunks).toString('latin1') }));
    });
    req.on('error', reject);
    req.end();
  });
}

let server: Server;
let own: string;
beforeAll(async () => {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'briefs'));
  writeFileSync(path.join(dir, 'briefs', 'a.yaml'), `${readFileSync(path.join(FIXTURES, 'valid', 'minimal.yaml'), 'utf8')}slug: a\n`);
  server = await serve({ cwd: dir, port: 0 });
  own = new URL(server.url).host;
});
afterAll(() => server?.close());

const PATHS = ['/', '/index.html', '/a.html', '/a.pdf', '/__flashbrief/events', '/nope.css', '/../../etc/passwd'];

describe('brief serve, asked by a name that is not this machine (DNS rebinding)', () => {
  const port = () => new URL(server.url).port;
  it.each(['attacker.example', 'attacker.example:PORT', '127.0.0.1.attacker.example:PORT', 'localhost.attacker.example:PORT', undefined, '', '192.168.1.5:PORT'])(
    'answers Host %j with 421 and a short text, for every path, the reload stream included',
    async (host) => {
      for (const p of PATHS) {
        const res = await send(server.url, p, { host: host?.replace('PORT', port()) });
        expect(res.status, p).toBe(421);
        expect(res.headers['content-type'], p).toBe('text/plain; charset=utf-8');
        expect(res.body, p).toMatch(/^flashbrief: this preview answers only requests addressed to this machine/);
        expect(res.body.length).toBeLessThan(200);
      }
      expect(prints.total).toBe(0);
    },
  );

  it.each(['127.0.0.1:PORT', 'LOCALHOST:PORT', 'localhost', '127.42.0.9:PORT', '[::1]:PORT'])('answers Host %j as before', async (host) => {
    const h = host.replace('PORT', port());
    expect((await send(server.url, '/', { host: h })).status).toBe(200);
    expect((await send(server.url, '/a.html', { host: h })).body).toContain('PDF preview');
    const events = await send(server.url, '/__flashbrief/events', { host: h });
    expect(events.status).toBe(200);
    expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
  });
});

describe('brief serve, asked by a page of another site', () => {
  it.each([
    { 'sec-fetch-site': 'cross-site' },
    { 'sec-fetch-site': 'same-site' },
    { origin: 'http://attacker.example' },
    { origin: 'null' },
    { 'sec-fetch-site': 'same-origin', origin: 'http://localhost:1' },
  ])('refuses a PDF for %j with 403, printing nothing', async (headers) => {
    const before = prints.total;
    for (const method of ['GET', 'HEAD', 'POST']) {
      const res = await send(server.url, '/a.pdf', { host: own, ...headers }, method);
      expect(res.status, method).toBe(403);
    }
    // Another spelling of the same PDF is refused too.
    expect((await send(server.url, '/a%2Epdf', { host: own, ...headers })).status).toBe(403);
    expect(prints.total).toBe(before);
  });

  it('refuses every method but GET from another site, whatever the path', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'HEAD']) {
      expect((await send(server.url, '/a.html', { host: own, 'sec-fetch-site': 'cross-site' }, method)).status, method).toBe(403);
    }
    // A cross-site GET of a page costs no print: an <a> link to the preview still opens it.
    expect((await send(server.url, '/a.html', { host: own, 'sec-fetch-site': 'cross-site' })).status).toBe(200);
  });

  it.each([{}, { 'sec-fetch-site': 'same-origin' }, { 'sec-fetch-site': 'none' }, { 'sec-fetch-site': 'same-origin', origin: 'ORIGIN' }])(
    'prints the PDF for %j',
    async (headers) => {
      const sent = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('ORIGIN', `http://${own}`)]));
      const res = await send(server.url, '/a.pdf', { host: own, ...sent });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.body.startsWith('%PDF-')).toBe(true);
    },
  );
});

describe('brief serve, asked for many PDFs at once', () => {
  it('never prints more than two at once: six are printed, the rest refused with 503 and Retry-After', async () => {
    prints.most = 0;
    const before = prints.total;
    const answers = await Promise.all(Array.from({ length: 25 }, () => send(server.url, '/a.pdf', { host: own })));
    const printed = answers.filter((a) => a.status === 200);
    const busy = answers.filter((a) => a.status === 503);
    expect(printed.length + busy.length).toBe(25);
    for (const a of printed) expect(a.body.startsWith('%PDF-')).toBe(true);
    for (const a of busy) {
      expect(a.headers['retry-after']).toBe('5');
      expect(a.body).toMatch(/^flashbrief: too many PDF previews asked for at once/);
    }
    expect(printed.length).toBe(6);
    expect(prints.total - before).toBe(6);
    expect(prints.most).toBe(2);
    // Once the burst is over, the next PDF prints.
    expect((await send(server.url, '/a.pdf', { host: own })).status).toBe(200);
  });
});
