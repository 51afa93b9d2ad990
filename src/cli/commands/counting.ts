import { analyze } from '../../project/build.js';
import { seriesOf } from '../../core/collection.js';
import { formatDateTime } from '../../core/format.js';
import { isEmbargoed } from '../../page/renderer.js';
import type { Place } from '../../core/schema.js';
import type { CompiledBrief } from '../../page/compile.js';
import { noticeTo, says, UsageError, type Io } from '../io.js';
import { reportBlocking } from '../output.js';
import { select, type Selection } from '../report.js';

/*
 * What `brief tally` and `brief export` share: they choose their incidents the same way,
 * so they take the same arguments and count the same records a build counts.
 */

/** The arguments and flags tally and export share, as commander parses them. */
export interface CountingArgs {
  /** Brief files or folders of briefs, relative to the working directory. */
  paths: string[];
  /** brief.config.yaml to read, relative to the working directory (default: found). */
  config?: string;
  /** Window start, YYYY-MM-DD; undefined: the brief's own. */
  since?: string;
  /** Window end, YYYY-MM-DD; undefined: the brief's own. */
  until?: string;
  /** Count the briefs of this series only. */
  series?: string;
}

/** The incidents to count and the places to locate them with. */
export interface Counted {
  selection: Selection;
  places: Place[];
}

/**
 * Loads and checks the briefs and selects the incidents of the window and series asked
 * for. Returns undefined, after printing the errors on stderr, when a brief has errors
 * (the caller exits 1: numbers from it would be wrong). Throws UsageError for a window
 * that ends before it starts or a series no brief has, InputError for a path that does
 * not exist.
 */
export async function countFrom(args: CountingArgs, io: Io): Promise<Counted | undefined> {
  if (args.since && args.until && args.since > args.until) {
    throw new UsageError(`--since ${args.since} is after --until ${args.until}: the window would end before it starts`);
  }
  const { compiled: all, places, files } = await analyze({ inputs: args.paths, cwd: io.cwd, config: args.config, signal: io.signal, log: noticeTo(io) });
  if (!reportBlocking(all, io, files)) return undefined;
  const compiled = seriesChosen(all, args.series, io);
  noteEmbargoes(compiled, io);
  const selection = select(compiled, args.since, args.until);
  for (const conflict of selection.conflicts) io.stderr.write(`${conflict}\n`);
  if (selection.conflicts.length > 0) {
    io.stderr.write(`${says(io)}fix the errors above; no numbers were printed\n`);
    return undefined;
  }
  const { since, until } = selection.window;
  // Checked again once the briefs are read: one end may be a brief's own date.
  if (since !== null && since > until) {
    const from = args.since ? `--since ${since}` : `the window's start (${since})`;
    const to = args.until ? `--until ${until}` : `the window's end (${until})`;
    throw new UsageError(`${from} is after ${to}: the window would end before it starts; move one of them`);
  }
  return { selection, places };
}

/**
 * Briefs under embargo are counted like the others (a brief's tally is the one its build
 * prints, embargo or not), but what these commands print is meant to be passed on: each
 * such brief is named on stderr with its embargo, so numbers drawn from it are not
 * published before it is.
 */
function noteEmbargoes(compiled: readonly CompiledBrief[], io: Io): void {
  const now = new Date();
  for (const c of compiled) {
    if (c.brief?.embargo !== undefined && isEmbargoed(c.brief, now)) {
      io.stderr.write(`${c.file} is under embargo until ${formatDateTime(c.brief.embargo)}: its incidents are counted here; do not publish these numbers before then
`);
    }
  }
}

/**
 * The briefs `series` names, or all of them; counting briefs of several series (or
 * briefs without one) together is said on stderr, since one number then mixes campaigns.
 * A series no brief has is a usage error naming those that exist.
 */
function seriesChosen(compiled: readonly CompiledBrief[], series: string | undefined, io: Io): CompiledBrief[] {
  const named = [...new Set(compiled.flatMap((c) => (c.brief ? seriesOf(c.brief) : [])))].sort();
  if (series !== undefined) {
    const chosen = compiled.filter((c) => c.brief && seriesOf(c.brief).includes(series));
    if (chosen.length === 0) {
      throw new UsageError(`no brief has series "${series}"; ${named.length > 0 ? `series here: ${named.join(', ')}` : 'no brief here has a series'}`);
    }
    noticeTo(io)(`counting series ${series}: ${chosen.length} brief${chosen.length === 1 ? '' : 's'}`);
    return chosen;
  }
  const without = compiled.filter((c) => c.brief && seriesOf(c.brief).length === 0).length;
  if (compiled.length > 1 && named.length + (without > 0 ? 1 : 0) > 1) {
    const parts = [...named.map((n) => `series ${n}`), ...(without > 0 ? [`${without} brief${without === 1 ? '' : 's'} without a series`] : [])];
    noticeTo(io)(`counting together ${parts.join(', ')}; --series NAME counts one series only`);
  }
  return [...compiled];
}
