import type { Diagnostic } from '../core/diagnostics.js';
import { isTemplateException } from '../page/renderer.js';
import { OutputError } from './files.js';

/*
 * What one brief's failure after compiling says: it fails alone, with an error at line 1
 * of its file, and the other briefs go on. One place, so each kind of failure is worded
 * the same wherever the run meets it.
 */

/**
 * A bug in flashbrief met while handling one brief: that brief fails with words that say
 * it is ours to fix (and the first line of the stack, for the report), the others go on.
 * `file` is the brief as shown to the user; `err` is whatever was thrown.
 */
export function internalError(file: string, err: unknown): Diagnostic {
  const e = err instanceof Error ? err : new Error(String(err));
  const where = e.stack?.split('\n').find((l) => l.trim().startsWith('at '))?.trim();
  return {
    file,
    line: 1,
    column: 1,
    message: `unexpected error in flashbrief while handling this brief (please report it): ${e.name}: ${e.message}${where ? ` (${where})` : ''}`,
    severity: 'error',
  };
}

/**
 * A page that could not be rendered. Templates are checked before any brief is rendered,
 * but what depends on the data (a partial chosen at run time) can still fail: that is the
 * template's mistake, said as such; anything else is a bug of ours (internalError).
 */
export function renderFailure(file: string, err: unknown): Diagnostic {
  // A stack overflow while rendering is a template that includes itself in a way the check could not see.
  const overflow = err instanceof RangeError && /call stack/i.test(err.message);
  if (!isTemplateException(err) && !overflow) return internalError(file, err);
  return { file, line: 1, column: 1, message: `the template could not render this brief: ${err.message.split('\n')[0]}`, severity: 'error' };
}

/**
 * A brief whose files could not be written: an OutputError says which file and why (its
 * path relative to `cwd`); anything else thrown while writing is a bug of ours.
 */
export function writeFailure(file: string, err: unknown, cwd: string): Diagnostic {
  return err instanceof OutputError ? { file, line: 1, column: 1, message: err.describe(cwd), severity: 'error' } : internalError(file, err);
}

/** A brief whose PDF could not be printed, with the printer's own words (a timeout, a crash). */
export function printFailure(file: string, message: string): Diagnostic {
  return { file, line: 1, column: 1, message, severity: 'error' };
}
