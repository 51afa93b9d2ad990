import { createRequire } from 'node:module';

/** The tool's version, from package.json, for the generator tag and `brief --version`. */
export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
