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
  /** The name the command was run as (`flashbrief`, or `brief` inside a project), for usage and the start of messages; `brief` when not given. */
  name?: string;
}

/** The start of a line the command itself writes: `flashbrief: ` or `brief: `, as it was run. */
export const says = (io: Pick<Io, 'name'>): string => `${io.name ?? 'brief'}: `;

/**
 * A mistake in how the command was called that commander cannot see (flags that exclude
 * each other, a window that ends before it starts). Its message is printed after `brief: `
 * and the exit code is {@link EXIT}.usage.
 */
export class UsageError extends Error {}
