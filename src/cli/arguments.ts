import { InvalidArgumentError, type Argument, type Option } from 'commander';
import { Config } from '../core/config.js';
import { isoDate } from '../core/schema.js';

/*
 * Commander's argument parsers for flag values. Each returns the parsed value or throws
 * InvalidArgumentError, which commander prints as `error: option '…' argument '…' is
 * invalid. <message>` and turns into a usage error (exit 2).
 */

/**
 * Limits a flag or argument to a few words, as commander's choices() does, but in any case
 * (`--page-size A4`, `--format CSV`): the value is passed on in the listed spelling. The
 * help still lists the choices.
 */
export function anyCaseChoices<T extends Option | Argument>(target: T, values: readonly string[]): T {
  target.choices(values);
  return target.argParser((value: string) => {
    const found = values.find((v) => v.toLowerCase() === value.toLowerCase());
    if (found === undefined) throw new InvalidArgumentError(`Allowed choices are ${values.join(', ')}.`);
    return found;
  }) as T;
}

/** `--port`: a TCP port, 0 to 65535 (0: any free port). */
export function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number, 0 to 65535');
  return n;
}

/**
 * `--shard i/n` (part `index`, 1-based, of `count` parts), or `--shard n`: one of `n`
 * parts, which one read when the build runs from the index a batch engine gives each of
 * its tasks (see shardFromEnvironment), so one job definition serves every task.
 */
export function shardSpec(value: string): { index: number; count: number } | { count: number } {
  const m = /^(?:(\d+)\/)?(\d+)$/.exec(value.trim());
  const count = Number(m?.[2]);
  if (!m || count < 1) throw new InvalidArgumentError('must be i/n with 1 <= i <= n (e.g. 2/4), or n alone to take i from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX');
  if (m[1] === undefined) return { count };
  const index = Number(m[1]);
  if (index < 1 || index > count) throw new InvalidArgumentError(`must be i/n with 1 <= i <= n, e.g. 2/4 (part ${index} of ${count} does not exist)`);
  return { index, count };
}

/**
 * The variables batch engines set to a task's 0-based index within its job: Kubernetes
 * Indexed Jobs (`JOB_COMPLETION_INDEX`, kubernetes.io/docs/concepts/workloads/controllers/job/)
 * and AWS Batch array jobs (`AWS_BATCH_JOB_ARRAY_INDEX`, docs.aws.amazon.com/batch/latest/userguide/array_jobs.html).
 */
export const SHARD_INDEX_VARIABLES = ['JOB_COMPLETION_INDEX', 'AWS_BATCH_JOB_ARRAY_INDEX'] as const;

/**
 * Settles `--shard n` (no index) from the environment: the first of SHARD_INDEX_VARIABLES
 * that is set gives the 0-based index, so the part is that plus one. Throws a
 * UsageError-shaped message (via `fail`) when none is set, or it is not a whole number
 * below `count`. `--shard i/n` is returned as it is.
 */
export function shardFromEnvironment(
  shard: { index: number; count: number } | { count: number },
  env: NodeJS.ProcessEnv,
  fail: (message: string) => Error,
): { index: number; count: number } {
  if ('index' in shard) return shard;
  // Set but blank counts as not set, so the next variable is read.
  const name = SHARD_INDEX_VARIABLES.find((v) => (env[v] ?? '').trim() !== '');
  if (name === undefined) {
    throw fail(`--shard ${shard.count} takes its part from ${SHARD_INDEX_VARIABLES.join(' or ')}, and neither is set: give the part as --shard i/${shard.count}`);
  }
  const raw = env[name] as string;
  const zeroBased = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(zeroBased) || zeroBased >= shard.count) {
    throw fail(`${name} is "${raw}", but --shard ${shard.count} needs a whole number from 0 to ${shard.count - 1} there (the task's index, counted from 0)`);
  }
  return { index: zeroBased + 1, count: shard.count };
}

/** A count or a number of seconds: a whole number, 1 or more. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number >= 1');
  return n;
}

/** A date written YYYY-MM-DD that exists on the calendar (no February 30); returned as written. */
export function validDate(value: string): string {
  if (!isoDate('').safeParse(value).success) throw new InvalidArgumentError('must be a real date written YYYY-MM-DD');
  return value;
}

/**
 * `--browser-ws`: a DevTools endpoint, accepted as `browser_ws` in brief.config.yaml is
 * (the same rule), so a mistyped one is a usage error before anything is built rather
 * than a failure of every brief.
 */
export function devtoolsEndpoint(value: string): string {
  const checked = Config.shape.browser_ws.safeParse(value);
  if (!checked.success) {
    // A control character or direction mark is named as such; anything else gets the form to write.
    const said = checked.error.issues[0]?.message ?? '';
    throw new InvalidArgumentError(said.startsWith('must not contain') ? said : 'must be a ws://, wss://, http:// or https:// URL, e.g. ws://127.0.0.1:9222/devtools/browser/<id> or http://127.0.0.1:9222');
  }
  return value;
}

