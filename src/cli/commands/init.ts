import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { scaffoldProject } from '../../core/project-scaffold.js';
import { today } from '../../core/scaffold.js';
import { ensureDir, OutputError, writeOutput } from '../../project/files.js';
import { PACKAGE_ROOT } from '../../project/templates.js';
import { schemaReference, VERSION } from '../../project/version.js';
import { EXIT, noticeTo, type Io } from '../io.js';
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
 * `flashbrief init`: makes a new project in `dir`, or completes one: an example brief in
 * briefs/ (unless it holds briefs already), brief.config.yaml with every key commented,
 * places.yaml, .gitignore and a GitHub Actions workflow. A file of those that is there
 * already is kept and said (`force` replaces it, and says so), but .gitignore, which
 * gets the lines it lacks and loses none. Prints each file written on stderr, then what
 * to do next. Returns 0 when done, 3 when a file cannot be written.
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
    const say = noticeTo(io);
    // A folder that already holds briefs gets no example among them.
    const briefsDir = path.join(root, 'briefs');
    const hasBriefs = existsSync(briefsDir) && readdirSync(briefsDir).some((n) => /\.ya?ml$/i.test(n));
    for (const file of files) {
      const target = path.join(root, file.path);
      if (file.path.startsWith('briefs/') && hasBriefs) {
        say(`kept ${shown('briefs')}: it has briefs already, so no example was added`);
        continue;
      }
      let text = file.text;
      let verb = 'wrote';
      if (existsSync(target)) {
        if (file.path === '.gitignore') {
          // Its lines are added to the project's own, which are all kept.
          const had = readFileSync(target, 'utf8');
          const lines = new Set(had.split(/\r?\n/).map((l) => l.trim()));
          const missing = file.text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#') && !lines.has(l.trim()));
          if (missing.length === 0) continue;
          text = `${had}${had.endsWith('\n') || had === '' ? '' : '\n'}${missing.join('\n')}\n`;
          verb = `added ${missing.join(', ')} to`;
        } else if (!args.force) {
          say(`kept ${shown(file.path)}: it is there already (--force replaces it)`);
          continue;
        } else verb = 'replaced';
      }
      await ensureDir(path.dirname(target)).catch((err: NodeJS.ErrnoException) => Promise.reject(new OutputError(target, err)));
      await writeOutput(target, text);
      say(`${verb} ${shown(file.path)}`);
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
