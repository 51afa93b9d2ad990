import { createRequire } from 'node:module';
import path from 'node:path';

/** The tool's version, from package.json, for the generator tag and `brief --version`. */
export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/**
 * What a new file's `# yaml-language-server: $schema=` comment points to for `kind`
 * (brief, incidents, places, config), as seen from the folder `fromDir` (absolute) it is
 * written in. A path into the installed package when that stays put: the package is in
 * a node_modules folder of the project (`npm install flashbrief`), or the project is
 * this package's own folder. Otherwise (run with npx from its cache, or installed
 * globally) a path would break when the cache is cleared, so the schema's address on the
 * npm CDN for this version is given instead.
 */
export function schemaReference(fromDir: string, kind: string, packageRoot: string): string {
  const file = path.join(packageRoot, 'schema', `${kind}.schema.json`);
  const within = (inner: string, outer: string) => {
    const rel = path.relative(outer, inner);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  const modules = path.dirname(packageRoot);
  const installedHere = path.basename(modules) === 'node_modules' && within(fromDir, path.dirname(modules));
  if (installedHere || within(fromDir, packageRoot)) return path.relative(fromDir, file).split(path.sep).join('/');
  return `https://unpkg.com/flashbrief@${VERSION}/schema/${kind}.schema.json`;
}
