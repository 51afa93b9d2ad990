import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BrowserNotFoundError, findBrowser } from '../../src/print/browser.js';
import { tempDir } from '../helpers.js';

// The search order is decided without starting a browser, so it is tested with fake executables.
function fakeExecutable(dir: string, name: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return file;
}

describe('findBrowser', () => {
  const dir = tempDir();
  const onPath = fakeExecutable(dir, 'chromium');
  const own = fakeExecutable(dir, 'puppeteer-chrome');
  const none = { env: { PATH: '' }, platform: 'aix' as NodeJS.Platform, puppeteerPath: () => undefined };

  it('uses --browser first', async () => {
    expect(await findBrowser({ ...none, explicit: own, env: { FLASHBRIEF_BROWSER: onPath } })).toEqual({ executablePath: own, source: '--browser' });
  });

  it('uses FLASHBRIEF_BROWSER, then PUPPETEER_EXECUTABLE_PATH', async () => {
    expect((await findBrowser({ ...none, env: { FLASHBRIEF_BROWSER: own, PUPPETEER_EXECUTABLE_PATH: onPath } })).source).toBe('FLASHBRIEF_BROWSER');
    expect((await findBrowser({ ...none, env: { PUPPETEER_EXECUTABLE_PATH: onPath } })).source).toBe('PUPPETEER_EXECUTABLE_PATH');
  });

  it('refuses an explicit setting that is not there instead of quietly using another browser', async () => {
    await expect(findBrowser({ ...none, env: { FLASHBRIEF_BROWSER: '/nonexistent/chrome', PATH: dir } })).rejects.toThrow(
      /FLASHBRIEF_BROWSER names \/nonexistent\/chrome/,
    );
  });

  it('refuses a folder named as the browser (a folder passes the execute check)', async () => {
    await expect(findBrowser({ ...none, explicit: dir })).rejects.toThrow(/--browser names .* which is not an executable file/);
  });

  it('refuses a script whose interpreter does not exist', async () => {
    const script = path.join(dir, 'bad-interpreter');
    writeFileSync(script, '#!/no/such/interpreter\n');
    chmodSync(script, 0o755);
    await expect(findBrowser({ ...none, explicit: script })).rejects.toThrow(/--browser names .*bad-interpreter, which is not an executable file/);
  });

  it("uses Puppeteer's own browser only when it really exists", async () => {
    expect(await findBrowser({ ...none, puppeteerPath: () => own })).toEqual({ executablePath: own, source: "Puppeteer's browser" });
    expect((await findBrowser({ ...none, env: { PATH: dir }, puppeteerPath: () => path.join(dir, 'missing') })).source).toBe('PATH');
  });

  it('finds a Chromium on PATH', async () => {
    expect(await findBrowser({ ...none, env: { PATH: dir } })).toEqual({ executablePath: onPath, source: 'PATH' });
  });

  it('says exactly how to get a browser when there is none', async () => {
    const error = await findBrowser(none).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrowserNotFoundError);
    const message = (error as Error).message;
    expect(message).toContain('apt-get install chromium');
    expect(message).toContain('npx @puppeteer/browsers install chrome@stable');
    expect(message).toContain('--html-only');
  });
});
