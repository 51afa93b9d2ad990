import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCrossSite, isLoopbackHost } from '../../src/serve/guard.js';
import { BoundedQueue, PreviewsBusyError } from '../../src/serve/pdf-preview.js';

/*
 * Who the preview answers: only Host values that name this machine (DNS rebinding), and
 * no costly request a browser marks as sent by another site.
 */

/** Upper- and lowercase mixed at random, as a Host header may come. */
const anyCase = (s: string) => fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((flips) => [...s].map((c, i) => (flips[i] ? c.toUpperCase() : c)).join(''));
const withPort = (host: fc.Arbitrary<string>) => fc.tuple(host, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined })).map(([h, p]) => (p === undefined ? h : `${h}:${p}`));
const octet = fc.integer({ min: 0, max: 255 });

/** Names and addresses of this machine, as a browser writes them in Host. */
const loopback = withPort(
  fc.oneof(
    anyCase('localhost'),
    fc.tuple(octet, octet, octet).map(([a, b, c]) => `127.${a}.${b}.${c}`),
    fc.constantFrom('[::1]', '[0:0:0:0:0:0:0:1]', '[::0001]', '[0000:0000:0000:0000:0000:0000:0000:0001]'),
  ),
);

/** Anything else: other IPv4 and IPv6 addresses, domain names, and names made to look like this machine's. */
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const domain = fc
  .array(label, { minLength: 1, maxLength: 4 })
  .map((ls) => ls.join('.'))
  // Four labels of digits can spell a loopback address by chance.
  .filter((d) => !/^127\.\d+\.\d+\.\d+$/.test(d));
const other = withPort(
  fc.oneof(
    fc.tuple(octet, octet, octet, octet).filter(([a]) => a !== 127).map((o) => o.join('.')),
    fc.ipV6().filter((a) => new URL(`http://[${a}]/`).hostname !== '[::1]').map((a) => `[${a}]`),
    domain.filter((d) => d !== 'localhost'),
    fc.tuple(loopback, domain).map(([l, d]) => `${l.replace(/:\d+$/, '')}.${d}`),
    fc.tuple(domain, loopback).map(([d, l]) => `${d}.${l}`),
    fc.tuple(anyCase('localhost'), fc.constantFrom('.', '..', '_', '-x', 'x')).map(([l, s]) => l + s),
  ).chain((h) => anyCase(h)),
);

describe('isLoopbackHost', () => {
  it('accepts every loopback Host value, with any port, in any case', () => {
    fc.assert(fc.property(loopback, (host) => isLoopbackHost(host)), { numRuns: 2000 });
  });

  it('refuses every other host, however it is dressed up', () => {
    fc.assert(fc.property(other, (host) => !isLoopbackHost(host)), { numRuns: 3000 });
  });

  it.each([
    undefined,
    '',
    'attacker.example',
    'attacker.example:4000',
    '127.0.0.1.attacker.example',
    'localhost.attacker.example:4000',
    'attacker.localhost',
    '127.0.0.1:4000@attacker.example',
    'user@127.0.0.1',
    '127.0.0.1:4000/x',
    '127.0.0.1:0',
    '127.0.0.1:65536',
    '127.0.0.1:',
    '127.1',
    '0x7f.0.0.1',
    '127.000.0.1',
    '2130706433',
    '::1',
    '[::1',
    '[::ffff:127.0.0.1]',
    '[127.0.0.1]',
    'localhost:4000 ',
    ' localhost',
    'localhost:4000, attacker.example',
    '0.0.0.0',
    '[::]',
  ])('refuses Host %j', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it('accepts the name it was asked to listen on, and only that name', () => {
    expect(isLoopbackHost('preview.test:4000', 'preview.test')).toBe(true);
    expect(isLoopbackHost('PREVIEW.test', 'preview.test')).toBe(true);
    expect(isLoopbackHost('preview.test.attacker.example', 'preview.test')).toBe(false);
    expect(isLoopbackHost('preview.test')).toBe(false);
  });
});

describe('isCrossSite', () => {
  const host = '127.0.0.1:4000';
  it.each([
    [{}, false],
    [{ 'sec-fetch-site': 'same-origin' }, false],
    [{ 'sec-fetch-site': 'none' }, false],
    [{ 'sec-fetch-site': 'cross-site' }, true],
    [{ 'sec-fetch-site': 'same-site' }, true],
    [{ 'sec-fetch-site': 'Cross-Site' }, true],
    [{ origin: 'http://127.0.0.1:4000' }, false],
    [{ origin: 'http://attacker.example' }, true],
    [{ origin: 'http://127.0.0.1:4001' }, true],
    [{ origin: 'https://127.0.0.1:4000' }, true],
    [{ origin: 'null' }, true],
    [{ 'sec-fetch-site': 'same-origin', origin: 'http://attacker.example' }, true],
    [{ 'sec-fetch-site': 'cross-site', origin: 'http://127.0.0.1:4000' }, true],
  ])('%j is cross-site: %s', (headers, cross) => {
    expect(isCrossSite({ host, ...headers })).toBe(cross);
  });
});

describe('BoundedQueue', () => {
  it('runs at most two at once, queues four, refuses the rest at once', async () => {
    const queue = new BoundedQueue({ printing: 2, waiting: 4 });
    let running = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const task = () =>
      new Promise<string>((resolve) => {
        running++;
        most = Math.max(most, running);
        releases.push(() => {
          running--;
          resolve('done');
        });
      });
    const results = Array.from({ length: 25 }, () => queue.run(task).then((v) => v, (e: unknown) => e));
    await new Promise((r) => setTimeout(r, 10));
    expect(running).toBe(2);
    // Release one at a time until all queued ones have run.
    while (releases.length > 0) {
      releases.shift()?.();
      await new Promise((r) => setTimeout(r, 5));
      expect(running).toBeLessThanOrEqual(2);
    }
    const settled = await Promise.all(results);
    expect(settled.filter((r) => r === 'done')).toHaveLength(6);
    expect(settled.filter((r) => r instanceof PreviewsBusyError)).toHaveLength(19);
    expect(most).toBe(2);
    expect(queue.running).toBe(0);
    // A full line that emptied takes new work again, and a task that throws frees its place.
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.run(async () => 'again')).resolves.toBe('again');
    expect(queue.running).toBe(0);
  });

  it('a task whose client goes away leaves the line unrun, and one that runs gets its place freed when it stops', async () => {
    const queue = new BoundedQueue({ printing: 1, waiting: 2 });
    let release: () => void = () => undefined;
    const first = queue.run(() => new Promise<string>((resolve) => (release = () => resolve('first'))));
    const ran: string[] = [];
    const gone = new AbortController();
    const waiting = queue.run(async () => void ran.push('abandoned'), gone.signal).catch((e: unknown) => e);
    const next = queue.run(async () => void ran.push('next'));
    expect(queue.waiting).toBe(2);
    gone.abort(new Error('the client went away'));
    expect(await waiting).toEqual(new Error('the client went away'));
    // Its place in line is free at once: two more may wait again.
    expect(queue.waiting).toBe(1);
    const another = queue.run(async () => void ran.push('another'));
    expect(queue.waiting).toBe(2);
    release();
    await Promise.all([first, next, another]);
    expect(ran).toEqual(['next', 'another']);
    expect(queue.running).toBe(0);
    // Aborted before it asks: refused at once.
    await expect(queue.run(async () => 'never', gone.signal)).rejects.toThrow('the client went away');
    expect(queue.running).toBe(0);
  });
});
