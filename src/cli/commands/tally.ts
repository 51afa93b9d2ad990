import { EXIT, type Io } from '../io.js';
import { handleError } from '../output.js';
import { DIMENSIONS, type Dimension } from '../../core/tally.js';
import { tallyCsv, tallyOf, tallyTable } from '../report.js';
import { countFrom, type CountingArgs } from './counting.js';

/** `brief tally`'s arguments and flags, as commander parses them. */
export interface TallyArgs extends CountingArgs {
  /** One breakdown only; undefined: all of them. */
  by?: Dimension;
  format: 'table' | 'json' | 'csv';
}

/**
 * `brief tally`: prints the tally of the briefs on stdout, one brief's exactly as its
 * build counts it or several briefs' combined, as tables, JSON or CSV.
 * Returns 0 when printed, 1 when a brief has errors (they are printed on stderr and no
 * numbers are), 2 for a window that ends before it starts, a series no brief has or a path
 * that does not exist, 130 when `io.signal` stopped it.
 */
export async function runTally(args: TallyArgs, io: Io): Promise<number> {
  try {
    const counted = await countFrom(args, io);
    if (!counted) return EXIT.briefErrors;
    const tally = tallyOf(counted.selection);
    const dimensions = args.by ? [args.by] : DIMENSIONS;
    if (args.format === 'json') io.stdout.write(`${JSON.stringify(tally, null, 2)}\n`);
    else if (args.format === 'csv') io.stdout.write(tallyCsv(tally, dimensions));
    else io.stdout.write(tallyTable(tally, dimensions));
    return EXIT.ok;
  } catch (err) {
    return handleError(err, io);
  }
}
