import { cpSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serve } from '../../src/serve/serve.js';
import { processesTagged, ROOT, tempDir } from '../helpers.js';

/*
 * PDF previews whose clients go away (a tab closed while it prints) give their place in
 * the print queue back at once: thirty abandoned requests do not make the next one wait
 * for their prints, nor turn it away with 503.
 */

/** Asks for `url` and hangs up `afterMs` later, before the answer. */
function abandon(url: string, afterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const req = request(url, () => undefined);
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.end();
    setTimeout(() => req.destroy(), afterMs);
  });
}

describe('brief serve, PDF previews asked for and abandoned', () => {
  it('thirty abandoned requests leave the queue free: the next PDF is printed, not refused', async () => {
    const dir = tempDir();
    cpSync(path.join(ROOT, 'briefs'), path.join(dir, 'briefs'), { recursive: true });
    cpSync(path.join(ROOT, 'places.yaml'), path.join(dir, 'places.yaml'));
    const tag = `serve-abandoned-${process.pid}-${Date.now()}`;
    process.env.FLASHBRIEF_TEST_TAG = tag;
    const server = await serve({ cwd: dir, port: 0 });
    try {
      const pdf = `${server.url}militia-attacks-on-us-troops.pdf`;
      // A first print starts the browser, so the abandoned ones below reach the queue and the printer.
      expect((await fetch(pdf)).status).toBe(200);
      // In bursts of six: each fills the queue (two printing, four waiting), then hangs up.
      for (let burst = 0; burst < 5; burst++) await Promise.all(Array.from({ length: 6 }, (_, i) => abandon(pdf, 200 + 50 * i)));
      // Without the cancel, the queue is still full of abandoned prints here: 503.
      const next = await fetch(pdf);
      expect(next.status).toBe(200);
      expect(Buffer.from(await next.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    } finally {
      await server.close();
      delete process.env.FLASHBRIEF_TEST_TAG;
    }
    for (let i = 0; i < 50 && processesTagged(tag).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(processesTagged(tag)).toEqual([]);
  }, 240_000);
});
