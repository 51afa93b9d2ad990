import { describe, expect, it } from 'vitest';
import { RebuildLoop } from '../../src/serve/rebuild.js';

/** A fake build that runs until the test finishes it, counting how many run and how many at once. */
function gatedBuilds() {
  const gates: Array<() => void> = [];
  let running = 0;
  const stats = { started: 0, mostAtOnce: 0 };
  const build = () =>
    new Promise<void>((resolve) => {
      stats.started += 1;
      running += 1;
      stats.mostAtOnce = Math.max(stats.mostAtOnce, running);
      gates.push(() => {
        running -= 1;
        resolve();
      });
    });
  /** Finishes the oldest build still running, then lets the loop react. */
  const finishOne = async () => {
    gates.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { build, finishOne, stats };
}

describe('the rebuild loop', () => {
  it('starts a build at once when none is running', () => {
    const { build, stats } = gatedBuilds();
    const loop = new RebuildLoop(build, () => undefined);
    loop.request();
    expect(stats.started).toBe(1);
  });

  it('runs the requests made during one build as exactly one more build, after it, never two at once', async () => {
    const { build, finishOne, stats } = gatedBuilds();
    const loop = new RebuildLoop(build, () => undefined);
    loop.request();
    for (let i = 0; i < 5; i++) loop.request();
    expect(stats.started).toBe(1);
    await finishOne();
    expect(stats.started).toBe(2);
    await finishOne();
    await loop.idle();
    expect(stats).toEqual({ started: 2, mostAtOnce: 1 });
    // Idle again: the next request builds at once, and once.
    loop.request();
    expect(stats.started).toBe(3);
    await finishOne();
    await loop.idle();
    expect(stats.started).toBe(3);
  });

  it('owes another build for a request made during the build it owed', async () => {
    const { build, finishOne, stats } = gatedBuilds();
    const loop = new RebuildLoop(build, () => undefined);
    loop.request();
    loop.request();
    await finishOne();
    expect(stats.started).toBe(2);
    loop.request();
    await finishOne();
    expect(stats.started).toBe(3);
    await finishOne();
    await loop.idle();
    expect(stats).toEqual({ started: 3, mostAtOnce: 1 });
  });

  it('reports a build that throws and keeps going: the owed build and later requests still run', async () => {
    const errors: unknown[] = [];
    let builds = 0;
    const loop = new RebuildLoop(
      async () => {
        builds += 1;
        await new Promise((r) => setImmediate(r));
        if (builds === 1) throw new Error('disk full');
      },
      (err) => errors.push(err),
    );
    loop.request();
    loop.request();
    await loop.idle();
    expect(builds).toBe(2);
    expect(errors.map((e) => (e as Error).message)).toEqual(['disk full']);
    loop.request();
    await loop.idle();
    expect(builds).toBe(3);
  });

  it('stop() drops an owed build, waits for the running one and ignores later requests', async () => {
    const { build, finishOne, stats } = gatedBuilds();
    const loop = new RebuildLoop(build, () => undefined);
    loop.request();
    loop.request();
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    await finishOne();
    await stopping;
    expect(stopped).toBe(true);
    loop.request();
    expect(stats.started).toBe(1);
  });
});
