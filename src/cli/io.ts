/*
 * What every command is given and how it may end. It sits below main.ts and the commands
 * so that both can use it without importing each other.
 */

/** Exit codes, as documented in the README. */
export const EXIT = { ok: 0, briefErrors: 1, usage: 2, environment: 3, interrupted: 130 } as const;

/**
 * The process a command runs in, passed in so that tests can run commands in-process:
 * text for people goes to `stderr`, what a script reads (JSON, tables, CSV, a path) to
 * `stdout`; relative paths are resolved against `cwd`; `signal`, when aborted, asks a
 * running command to stop (Ctrl-C), and `serve` runs until it is.
 */
export interface Io {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  cwd: string;
  signal?: AbortSignal;
  /** How much to say on stderr: `quiet` (-q) problems and the summary only, `verbose` (--verbose) every step; `normal` when not given. */
  verbosity?: Verbosity;
  /** The environment, for NO_COLOR, TERM and CI; process.env when not given. */
  env?: NodeJS.ProcessEnv;
  /** The name the command was run as (`flashbrief`, or `brief` inside a project), for usage and the start of messages; `brief` when not given. */
  name?: string;
}

export type Verbosity = 'quiet' | 'normal' | 'verbose';

/** A line for people on stderr, said unless -q asked for problems only. */
export const noticeTo =
  (io: Io) =>
  (line: string): void => {
    if (io.verbosity !== 'quiet') io.stderr.write(`${line}\n`);
  };

/**
 * Whether stderr must carry plain lines only, with no cursor movement or redrawn bar:
 * not a terminal, or a terminal whose user asked for none (NO_COLOR set to anything,
 * https://no-color.org), one that cannot move the cursor (TERM=dumb), or a CI log
 * (CI set to anything but false or 0, as CI services set it).
 */
export function plainOutput(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (!stream.isTTY) return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return true;
  if (env.TERM === 'dumb') return true;
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** The start of a line the command itself writes: `flashbrief: ` or `brief: `, as it was run. */
export const says = (io: Pick<Io, 'name'>): string => `${io.name ?? 'brief'}: `;

/**
 * A mistake in how the command was called that commander cannot see (flags that exclude
 * each other, a window that ends before it starts). Its message is printed after `brief: `
 * and the exit code is {@link EXIT}.usage.
 */
export class UsageError extends Error {}
