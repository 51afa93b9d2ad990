import cliProgress from 'cli-progress';
import type { ManifestEntry } from '../build/build.js';

/** What the CLI shows while a build runs. */
export interface BuildProgress {
  log: (line: string) => void;
  onBrief: (entry: ManifestEntry, done: number, total: number) => void;
  stop: () => void;
}

interface Stream {
  write(s: string): unknown;
  isTTY?: boolean;
}

/**
 * On a terminal, a progress bar (briefs done of total, rate, time left) with messages
 * printed above it; elsewhere (CI logs, pipes) plain lines with no control characters;
 * nothing at all when quiet.
 */
export function buildProgress(stderr: Stream, mode: 'quiet' | 'auto'): BuildProgress {
  if (mode === 'quiet') return { log: () => undefined, onBrief: () => undefined, stop: () => undefined };
  if (!stderr.isTTY) {
    return { log: (line) => stderr.write(`${line}\n`), onBrief: () => undefined, stop: () => undefined };
  }
  const started = Date.now();
  const bars = new cliProgress.MultiBar(
    {
      stream: stderr as NodeJS.WriteStream,
      format: 'building {bar} {value}/{total} briefs | {rate}/s | {eta_formatted} left',
      hideCursor: true,
      clearOnComplete: true,
      // Redrawn at most ten times a second, whatever the rate of briefs.
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | undefined;
  return {
    // Per-brief "built" lines would scroll the bar away; the bar says it, and failures are listed at the end.
    log: (line) => {
      if (!line.startsWith('built ') && !line.startsWith('unchanged ')) bars.log(`${line}\n`);
    },
    onBrief: (_entry, done, total) => {
      const first = bar === undefined;
      bar ??= bars.create(total, 0, { rate: '0' });
      const seconds = (Date.now() - started) / 1000;
      bar.update(done, { rate: seconds > 0 ? (done / seconds).toFixed(1) : '0' });
      // Drawn at once when the first brief is done, not a tenth of a second later: a build
      // whose briefs all finish within that tenth would otherwise never show the bar.
      if (first) bars.update();
    },
    stop: () => bars.stop(),
  };
}
