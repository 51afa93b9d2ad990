import cliProgress from 'cli-progress';
import type { ManifestEntry } from '../project/build.js';

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
 * `bar`: a progress bar (briefs done of total, rate, time left) with messages printed
 * above it, for a terminal that can redraw; `lines`: plain lines with no control
 * characters, one per brief (CI logs, pipes, NO_COLOR, TERM=dumb, --verbose); `quiet`:
 * nothing at all.
 */
export function buildProgress(stderr: Stream, mode: 'quiet' | 'lines' | 'bar'): BuildProgress {
  if (mode === 'quiet') return { log: () => undefined, onBrief: () => undefined, stop: () => undefined };
  if (mode === 'lines' || !stderr.isTTY) {
    return { log: (line) => stderr.write(`${line}\n`), onBrief: () => undefined, stop: () => undefined };
  }
  return new ProgressBar(stderr);
}

/**
 * The bar on a terminal. Its methods are bound (arrow properties) because the build calls
 * them detached, as callbacks.
 */
class ProgressBar implements BuildProgress {
  private readonly started = Date.now();
  private readonly bars: cliProgress.MultiBar;
  /** Made when the first brief is done: only then is the total known. */
  private bar: cliProgress.SingleBar | undefined;

  constructor(stderr: Stream) {
    this.bars = new cliProgress.MultiBar(
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
  }

  // Per-brief "built" lines would scroll the bar away; the bar says it, and failures are listed at the end.
  readonly log = (line: string): void => {
    if (!line.startsWith('built ') && !line.startsWith('unchanged ')) this.bars.log(`${line}\n`);
  };

  readonly onBrief = (_entry: ManifestEntry, done: number, total: number): void => {
    const first = this.bar === undefined;
    this.bar ??= this.bars.create(total, 0, { rate: '0' });
    const seconds = (Date.now() - this.started) / 1000;
    this.bar.update(done, { rate: seconds > 0 ? (done / seconds).toFixed(1) : '0' });
    // Drawn at once when the first brief is done, not a tenth of a second later: a build
    // whose briefs all finish within that tenth would otherwise never show the bar.
    if (first) this.bars.update();
  };

  readonly stop = (): void => this.bars.stop();
}
