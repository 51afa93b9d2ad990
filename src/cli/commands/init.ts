import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { scaffoldProject } from '../../core/project-scaffold.js';
import { today } from '../../core/scaffold.js';
import { ensureDir, OutputError, writeOutput } from '../../project/files.js';
import { PACKAGE_ROOT } from '../../project/templates.js';
import { schemaReference, VERSION } from '../../project/version.js';
import { EXIT, noticeTo, UsageError, type Io } from '../io.js';
import { handleError } from '../output.js';

/** `flashbrief init`'s argument and flags, as commander parses them. */
export interface InitArgs {
  /** The folder to make the project in, relative to the working directory (default: it). */
  dir: string;
  /** Replace files of the same names. */
  force?: boolean;
}

/** Whether the folder's package.json already lists flashbrief, so CI installs it with `npm ci`. */
function pinsFlashbrief(root: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: object; devDependencies?: object };
    return 'flashbrief' in (pkg.dependencies ?? {}) || 'flashbrief' in (pkg.devDependencies ?? {});
  } catch {
    return false;
  }
}

/**
 * `flashbrief init`: makes a new project in `dir`: an example brief in briefs/,
 * brief.config.yaml with every key commented, places.yaml, .gitignore and a GitHub
 * Actions workflow. Files already there (package.json, node_modules from `npm install
 * flashbrief`) are kept; it never replaces one of the files it writes unless `force`.
 * Prints each file written on stderr, then what to do next.
 * Returns 0 when written, 2 when one of its files exists without `force`, 3 when a file
 * cannot be written.
 */
export async function runInit(args: InitArgs, io: Io): Promise<number> {
  try {
    const root = path.resolve(io.cwd, args.dir);
    const files = scaffoldProject({
      date: today(),
      schemas: { brief: schemaReference(root, 'brief', PACKAGE_ROOT), config: schemaReference(root, 'config', PACKAGE_ROOT), places: schemaReference(root, 'places', PACKAGE_ROOT) },
      briefSchema: schemaReference(path.join(root, 'briefs'), 'brief', PACKAGE_ROOT),
      install: pinsFlashbrief(root) ? 'npm' : 'npx',
      version: VERSION,
    });
    const shown = (rel: string) => path.relative(io.cwd, path.join(root, rel)) || '.';
    const there = files.filter((f) => existsSync(path.join(root, f.path))).map((f) => shown(f.path));
    if (there.length > 0 && !args.force) {
      throw new UsageError(`${there.join(', ')} ${there.length === 1 ? 'exists' : 'exist'} already: init makes a new project and replaces nothing; run it in an empty folder, or use --force to replace ${there.length === 1 ? 'it' : 'them'}`);
    }
    for (const file of files) {
      const target = path.join(root, file.path);
      await ensureDir(path.dirname(target)).catch((err: NodeJS.ErrnoException) => Promise.reject(new OutputError(target, err)));
      await writeOutput(target, file.text);
      noticeTo(io)(`wrote ${shown(file.path)}`);
    }
    const brief = files[0]?.path ?? 'briefs/';
    const cd = path.relative(io.cwd, root) === '' ? '' : `cd ${path.relative(io.cwd, root)} && `;
    noticeTo(io)(
      [
        '',
        `Next: write your first brief in ${shown(brief)}, then`,
        `  ${cd}npx flashbrief check    to check it,`,
        `  ${cd}npx flashbrief serve    to preview it as you write,`,
        `  ${cd}npx flashbrief build    to write output/ (HTML, PDF, index, feeds).`,
        'brief.config.yaml has every setting, commented; .github/workflows/briefs.yml builds on every push.',
      ].join('\n'),
    );
    return EXIT.ok;
  } catch (err) {
    return handleError(err, io);
  }
}
