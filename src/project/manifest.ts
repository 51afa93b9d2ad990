import type { CompiledBrief } from '../page/compile.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type { Tally } from '../core/tally.js';
import type { Profile } from './profile.js';

/** What a run that found no brief files says: the build's summary and the preview's log alike. */
export const NO_BRIEFS = 'no briefs found (looked for .yaml and .yml files)';

/*
 * The manifest: what `brief build --json` and `brief check --json` print, and what the
 * library's build() and check() return. Its shape is a contract (the keys, and their
 * order, are what scripts read); what this tool adds to it is marked as added.
 */

/**
 * A positioned problem as the manifest lists it: the contract's `file`, `line`, `column`
 * and `message`, plus `severity` (added), so an entry keeps its kind wherever it is copied.
 */
export interface ManifestDiagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface ManifestEntry {
  source: string;
  slug: string | null;
  ok: boolean;
  outputs: string[];
  tally?: Tally;
  errors?: ManifestDiagnostic[];
  /** Added to the contract's shape: problems that do not stop the build. */
  warnings?: ManifestDiagnostic[];
  /** Added to the contract's shape: the outputs of the last build still stand (nothing it depends on changed). */
  unchanged?: boolean;
  /**
   * Added to the contract's shape: the brief is under embargo, `until` as its `embargo`
   * key says. Its `outputs` are in the folder for embargoed briefs (`--embargoed-out`), or,
   * when `held`, none were written at all. Never in the output folder, except for serve's
   * private preview.
   */
  embargo?: { until: string; held: boolean };
  /**
   * Added to the contract's shape: files of this brief that an earlier build wrote and
   * this one removed (as shown, relative to the working directory): from the output folder
   * when the brief came under embargo, from the folder for embargoed briefs once its
   * embargo lifted.
   */
  removed?: string[];
}

/**
 * Added to the contract's shape: a file other than a brief that the run read and checked
 * (an incident file), with its own problems. They are listed here once, not in every
 * brief they concern; a brief they stop says so with an error of its own.
 */
export interface FileEntry {
  source: string;
  ok: boolean;
  errors?: ManifestDiagnostic[];
  warnings?: ManifestDiagnostic[];
}

/** The contract's `brief build --json` shape. */
export interface Manifest {
  ok: boolean;
  briefs: ManifestEntry[];
  /** Added to the contract's shape: every incident file of the folders, checked (brief-format "Every file is checked"). */
  files?: FileEntry[];
  /** Added to the contract's shape: the site pages, feeds and sitemap written. */
  site?: string[];
  /** Added to the contract's shape: the shared, content-named assets the pages use. */
  assets?: string[];
  /** Added to the contract's shape: problems of the run rather than of one brief (an index that could not be written). */
  errors?: string[];
  /** Added to the contract's shape, with --profile: milliseconds per stage and peak memory. */
  profile?: ReturnType<Profile['summary']>;
  /** Added to the contract's shape: the brief.config.yaml the run read (relative path), or null when it found none and used the defaults. */
  config?: string | null;
}

const toManifestDiagnostic = ({ file, line, column, message, severity }: Diagnostic): ManifestDiagnostic => ({ file, line, column, message, severity });

/**
 * Diagnostics as the manifest lists them: `errors` and `warnings`, each only when there
 * are any, in the order they were found.
 */
export function problemsOf(diagnostics: readonly Diagnostic[]): { errors?: ManifestDiagnostic[]; warnings?: ManifestDiagnostic[] } {
  const errors = diagnostics.filter((d) => d.severity === 'error').map(toManifestDiagnostic);
  const warnings = diagnostics.filter((d) => d.severity === 'warning').map(toManifestDiagnostic);
  return { ...(errors.length > 0 ? { errors } : {}), ...(warnings.length > 0 ? { warnings } : {}) };
}

/**
 * A brief's manifest entry. `outputs` are the files written for it (as shown to the
 * user, relative to the working directory); `extra` are problems met after compiling
 * (rendering, printing, writing), listed after the brief's own. It is `ok` when there is
 * no error among them.
 */
export function entryFor(c: CompiledBrief, outputs: string[], extra: Diagnostic[] = []): ManifestEntry {
  const problems = problemsOf([...c.diagnostics, ...extra]);
  const entry: ManifestEntry = { source: c.file, slug: c.slug ?? null, ok: !problems.errors, outputs };
  if (c.cached) entry.unchanged = true;
  if (c.tally) entry.tally = c.tally;
  return { ...entry, ...problems };
}

/** An incident file's manifest entry (`source` as shown to the user): `ok` when its diagnostics have no error. */
export function fileEntry(source: string, diagnostics: readonly Diagnostic[]): FileEntry {
  const problems = problemsOf(diagnostics);
  return { source, ok: !problems.errors, ...problems };
}

/** The `files` key of a manifest, to spread into it: present only when the folders have incident files. */
export function filesPart(files: FileEntry[]): { files?: FileEntry[] } {
  return files.length > 0 ? { files } : {};
}
