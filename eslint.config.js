import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/*
 * The layers of src/, lowest first. A folder may import from the folders listed before it
 * and never from those after it, so the arrows point one way:
 * cli -> serve -> project -> print | template -> site -> page -> figures -> core.
 */
const LAYERS = {
  core: [],
  figures: ['core'],
  page: ['core', 'figures'],
  site: ['core', 'figures', 'page'],
  template: ['core', 'figures', 'page', 'site'],
  print: ['core'],
  project: ['core', 'figures', 'page', 'site', 'template', 'print'],
  serve: ['core', 'figures', 'page', 'site', 'template', 'print', 'project'],
  cli: ['core', 'figures', 'page', 'site', 'template', 'print', 'project', 'serve'],
};

/** The file system, processes, the network, the browser and PDF files: the edges' business. */
const IO_MODULES = [
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'node:child_process', 'node:http', 'node:https', 'node:net',
  'node:os', 'node:worker_threads', 'puppeteer', 'puppeteer-core', 'pdf-lib', '@cantoo/pdf-lib', '@puppeteer/browsers', 'write-file-atomic',
];
/** Folders that compute values from values: no I/O and no process state. */
const PURE = ['core', 'figures', 'page', 'site', 'template'];

const layerRules = Object.entries(LAYERS).map(([folder, allowed]) => {
  const above = Object.keys(LAYERS).filter((other) => other !== folder && !allowed.includes(other));
  const patterns = [
    {
      // Any depth: src/cli/commands/x.ts reaches src/serve/ through ../../serve/.
      group: [...above.flatMap((other) => [`../${other}/**`, `**/../${other}/**`]), '../index.js', '**/../index.js'],
      message: `src/${folder}/ may import only from ${allowed.length ? allowed.map((a) => `src/${a}/`).join(', ') : 'its own folder'} (see the layers in eslint.config.js)`,
    },
  ];
  const pure = PURE.includes(folder);
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        pure
          ? { paths: IO_MODULES.map((name) => ({ name, message: `src/${folder}/ is pure: text and values in, values and diagnostics out; do the I/O in src/project/, src/print/ or src/serve/` })), patterns }
          : { patterns },
      ],
      ...(pure ? { 'no-restricted-globals': ['error', { name: 'process', message: `src/${folder}/ is pure: take what you need from process as an argument` }] } : {}),
    },
  };
});

export default tseslint.config(
  { ignores: ['dist/', 'output/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  ...layerRules,
);
