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
    for (const name of written) expect(name).toMatch(/^(assets|brief-\d+\.(html|pdf))$/);
  });
});
