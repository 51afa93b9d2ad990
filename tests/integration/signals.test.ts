import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, processesTagged, tempDir } from '../helpers.js';

describe.runIf(process.platform === 'linux')('Ctrl-C during a build', () => {
  it('stops with exit 130, leaves no Chromium running and no half-written file', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'briefs'));
    // Enough briefs that the build is still printing when the signal arrives, even on a
    // fast machine.
    for (let i = 0; i < 40; i++) {
      writeFileSync(
        path.join(dir, 'briefs', `b${i}.yaml`),
        `title: Brief ${i}\ndate: 2024-03-11\nslug: brief-${i}\ndevelopments: |\n${'  Paragraph of text for the page.\n\n'.repeat(60)}`,
      );
    }
    const tag = `t${process.pid}-${Date.now()}`;
    const child = spawn(process.execPath, [BIN, 'build'], {
      cwd: dir,
      env: { ...process.env, FLASHBRIEF_TEST_TAG: tag },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        // Interrupt once Chromium is printing, the moment with the most to clean up.
        if (stderr.includes('printing')) resolve();
      }),
    );
    // Wait until Chromium's processes exist (two cores are shared with other tests).
    let running = processesTagged(tag).length;
    for (let i = 0; i < 50 && running < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      running = processesTagged(tag).length;
    }
    expect(running).toBeGreaterThan(1);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('interrupted');
    // The browser's processes may take a moment to be reaped after the close.
    for (let i = 0; i < 50 && processesTagged(tag).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(processesTagged(tag)).toEqual([]);
    const written = readdirSync(path.join(dir, 'output'));
    // The record of the briefs written before the signal is kept (whole: it is written atomically).
    for (const name of written) expect(name).toMatch(/^(assets|brief-\d+\.(html|pdf)|\.flashbrief-cache\.json)$/);
  });
});

describe.runIf(process.platform === 'linux')('Ctrl-C at any point of a PDF build', () => {
  // Late points too: while the last PDFs print and are written, the site is written, the
  // record saved and the browser closed. Each must stop by itself within ~2 s, well before
  // the CLI's 5-second forced quit, and write no brief after the signal.
  it.each([
    ['when printing starts', 'printing'],
    ['when the first brief is written', 'built '],
    ['half a second after the first brief is written', 'built +500'],
  ])('%s: exit 130 within seconds, by itself, no Chromium left', async (_when, trigger) => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'briefs'));
    for (let i = 0; i < 3; i++) {
      writeFileSync(path.join(dir, 'briefs', `b${i}.yaml`), `title: Brief ${i}\ndate: 2024-03-11\nslug: brief-${i}\ndevelopments: |\n${'  Paragraph of text for the page.\n\n'.repeat(20)}`);
    }
    const tag = `t${process.pid}-${Date.now()}`;
    const child = spawn(process.execPath, [BIN, 'build', '--force', '--concurrency', '1'], {
      cwd: dir,
      env: { ...process.env, FLASHBRIEF_TEST_TAG: tag },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let signalled: number | undefined;
    let afterSignal = '';
    const [pattern, wait] = trigger.split(' +') as [string, string | undefined];
    const exited = new Promise<{ code: number | null; ms: number }>((resolve) => child.on('close', (code) => resolve({ code, ms: performance.now() - (signalled ?? 0) })));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (signalled !== undefined) afterSignal += d.toString();
      else if (stderr.includes(pattern)) {
        signalled = -1;
        setTimeout(() => {
          signalled = performance.now();
          child.kill('SIGINT');
        }, Number(wait ?? 0));
      }
    });
    const { code, ms } = await exited;
    // Done before the signal came (a fast machine): nothing to check.
    if (signalled === undefined || signalled === -1) return void expect(code).toBe(0);
    expect(code).toBe(130);
    expect(afterSignal).not.toContain('still not stopped');
    // About 2 s on an idle machine; the bound leaves room for a loaded one, short of the 5 s forced quit.
    expect(ms).toBeLessThan(4000);
    // No brief is reported written once the signal was handled (the line printed as it came may be the only one).
    expect(afterSignal.split('stopping...')[1] ?? '').not.toMatch(/^built /m);
    for (let i = 0; i < 50 && processesTagged(tag).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(processesTagged(tag)).toEqual([]);
  }, 180_000);
});
