import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserUnreachableError, connectBrowser } from '../../src/print/browser.js';

// A remote browser that is not there is found without a browser: a port nobody listens on,
// and one that takes the connection and never answers (a host that drops packets).

/** A loopback port that was free a moment ago: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('connectBrowser', () => {
  let silent: Server;
  let silentPort: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(() => {
    for (const socket of sockets) socket.destroy();
    silent.close();
  });

  it.each(['ws', 'http'])('says which %s endpoint refused, and why', async (scheme) => {
    const port = await closedPort();
    const endpoint = scheme === 'ws' ? `ws://127.0.0.1:${port}/devtools/browser/x` : `http://127.0.0.1:${port}`;
    const error = await connectBrowser({ endpoint }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrowserUnreachableError);
    expect((error as Error).message).toMatch(new RegExp(`^could not connect to the browser at ${endpoint.replace(/[.]/g, '\\.')}: .*(ECONNREFUSED|fetch failed)`));
  });

  it('gives up on an endpoint that never answers after its timeout, not the network\'s', async () => {
    const started = Date.now();
    const error = await connectBrowser({ endpoint: `ws://127.0.0.1:${silentPort}/devtools/browser/x` }, { timeout: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrowserUnreachableError);
    expect((error as Error).message).toBe(`could not connect to the browser at ws://127.0.0.1:${silentPort}/devtools/browser/x: no answer within 0.3 s`);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses an endpoint that is not a URL in the same words', async () => {
    await expect(connectBrowser({ endpoint: 'foo' })).rejects.toThrow(new BrowserUnreachableError('foo', 'Invalid URL'));
  });

  it('keeps a token in the endpoint out of the message', async () => {
    const port = await closedPort();
    const error = (await connectBrowser({ endpoint: `ws://127.0.0.1:${port}/?token=s3cret` }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(BrowserUnreachableError);
    expect(error.message).toContain(`ws://127.0.0.1:${port}/?token=…`);
    expect(error.message).not.toContain('s3cret');
  });

  it('stops waiting when the run is stopped, with the stop as the reason', async () => {
    const controller = new AbortController();
    const stop = new Error('SIGINT received');
    setTimeout(() => controller.abort(stop), 100);
    const error = await connectBrowser({ endpoint: `ws://127.0.0.1:${silentPort}/devtools/browser/x` }, { signal: controller.signal, timeout: 30_000 }).catch((e: unknown) => e);
    expect(error).toBe(stop);
  });
});
