import { performance } from 'node:perf_hooks';
import { STAGES, type Stage, type Timer } from '../core/timer.js';

export { STAGES, untimed, type Stage, type Timer } from '../core/timer.js';

/**
 * Time spent per stage, summed over briefs. Printing runs several pages at once, so its
 * figure is wall time for the whole print phase, with the writes done during it counted
 * under write.
 */
export class Profile {
  readonly totals = new Map<Stage, number>(STAGES.map((s) => [s, 0]));
  private readonly started = performance.now();

  readonly time: Timer = (stage, work) => {
    const start = performance.now();
    try {
      return work();
    } finally {
      this.add(stage, performance.now() - start);
    }
  };

  async timeAsync<T>(stage: Stage, work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.add(stage, performance.now() - start);
    }
  }

  add(stage: Stage, ms: number): void {
    this.totals.set(stage, (this.totals.get(stage) ?? 0) + ms);
  }

  /** Milliseconds per stage, the run's wall time and the process's peak memory. */
  summary(): { stages: Record<Stage, number>; totalMs: number; peakRssBytes: number } {
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return {
      stages: Object.fromEntries(STAGES.map((s) => [s, round(this.totals.get(s) ?? 0)])) as Record<Stage, number>,
      totalMs: round(performance.now() - this.started),
      // maxRSS is in kilobytes.
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  }
}
