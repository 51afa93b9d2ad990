import { jsonSchema } from './json-schema.js';
import { scaffoldBrief } from './scaffold.js';

/*
 * What `flashbrief init` writes into a new project: every file as text, nothing read or
 * written here (the command does the I/O). The configuration is written from the
 * configuration's own JSON Schema, so a key added to the schema appears in new projects
 * with its description, and a test holds every key to an example value.
 */

/** One file of a new project: its path relative to the project root (POSIX separators) and its text. */
export interface ScaffoldFile {
  path: string;
  text: string;
}

/**
 * An example value for every key of brief.config.yaml, by dotted path. Values are YAML
 * text as written after `key: `. A test fails when the schema gains a key missing here.
 */
export const CONFIG_EXAMPLES: Readonly<Record<string, string>> = {
  organization: 'Your Organization',
  'site.url': 'https://briefs.example.org/',
  'site.title': 'Flash Briefs',
  'site.description': 'Same-day analysis, with incident tallies computed from the record.',
  label: 'Flash Brief',
  template: 'flash-brief',
  lang: 'en',
  page_size: 'letter',
  browser_ws: 'ws://127.0.0.1:9222/devtools/browser/your-browser-id',
  'colors.accent': '"#0d2f57"',
  'colors.kicker': '"#a3161b"',
  logo: 'branding/logo.svg',
  header: 'Your Organization',
  'fonts.body': 'Source Serif 4',
  'fonts.headings': 'Source Sans 3',
  'fonts.files': '[fonts/YourFont-Regular.woff2]',
  'limits.file_chars': '2000000',
  'limits.depth': '32',
  'limits.string_chars': '200000',
  footer: 'Flash Brief',
  disclaimer: 'Views are those of the authors; counts come from the incident records cited.',
};

interface SchemaNode {
  type?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
}

/** A description as comment lines of at most about 88 characters, at `indent`. */
function commentLines(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > 86 - indent.length) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => `${indent}# ${l}`);
}

/**
 * brief.config.yaml for a new project: every key the configuration knows, each under
 * its description, with an example value. `commented` (the default) writes every key as
 * a comment, so the file sets nothing until a key is uncommented; uncommented, the same
 * lines are a valid configuration (what the test checks).
 * @param schemaPath what the file's `$schema` comment points to (a path or URL)
 */
export function scaffoldConfig(schemaPath: string, commented = true): string {
  const mark = commented ? '# ' : '';
  const out = [
    `# yaml-language-server: $schema=${schemaPath}`,
    '# brief.config.yaml: the organization, its site and the defaults of every brief.',
    '# Every key is optional. Remove the "# " in front of a key (and of its section) to set it.',
  ];
  const walk = (node: SchemaNode, prefix: string, indent: string) => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const dotted = prefix ? `${prefix}.${key}` : key;
      out.push('');
      // A nested key's description is commented inside the commented section, so that
      // uncommenting the section's lines leaves it a comment.
      if (child.description) out.push(...commentLines(child.description, indent === '' ? '' : `${mark}${indent}`));
      if (child.type === 'object' && child.properties) {
        out.push(`${mark}${indent}${key}:`);
        walk(child, dotted, `${indent}  `);
        continue;
      }
      const example = CONFIG_EXAMPLES[dotted];
      if (example === undefined) throw new Error(`no example value for the configuration key ${dotted}`);
      out.push(`${mark}${indent}${key}: ${example}`);
    }
  };
  walk(jsonSchema('config') as SchemaNode, '', '');
  return `${out.join('\n')}\n`;
}

/** places.yaml for a new project: one example place, as incidents name it. */
export const PLACES_SCAFFOLD = (schemaPath: string): string => `# yaml-language-server: $schema=${schemaPath}
# One spelling and one position for each place incidents happen at, shared by every
# brief: the locator map places incidents by these, and a location not listed here is
# reported. Positions to about 0.05 degrees are enough for the map.
- name: Erbil Air Base
  country: Iraq
  lat: 36.24
  lon: 43.96
  aliases: [Erbil airport]
`;

/** .gitignore for a new project: what the build writes is made again, not committed. */
export const GITIGNORE_SCAFFOLD = `# Written by flashbrief build: made again by every build, not committed.
output/
embargoed/
node_modules/
`;

/**
 * A GitHub Actions workflow that checks and builds the briefs and uploads the site as an
 * artifact, on every push to main, by hand, and every hour (so a brief whose embargo has
 * lifted is published without anyone editing it). `install` is how the job gets
 * flashbrief: `npm ci` when the project pins it in package.json, else npx at `version`.
 */
export function workflowScaffold(install: 'npm' | 'npx', version: string): string {
  const cli = install === 'npm' ? 'npx flashbrief' : `npx --yes flashbrief@${version}`;
  const setup = install === 'npm' ? '      - run: npm ci\n' : '';
  return `# Checks and builds the briefs, then uploads output/ as the artifact "site".
# To publish it with GitHub Pages, add a job with actions/deploy-pages, or copy output/
# to your web server in a step of your own.
name: Build briefs

on:
  push:
    branches: [main]
  workflow_dispatch:
  # Every hour: a brief under embargo is published by the first build after it lifts.
  schedule:
    - cron: '7 * * * *'

permissions:
  contents: read

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 22
${setup}      # GitHub's Ubuntu runners come with Google Chrome, which prints the PDFs.
      - run: ${cli} check
      - run: ${cli} build
      - uses: actions/upload-artifact@v4
        with:
          name: site
          path: output/
`;
}

/** Where a new project's files point their \`$schema\` comments, by kind. */
export interface SchemaLocations {
  brief: string;
  config: string;
  places: string;
}

/**
 * Every file of a new project, in the order they are written: an example brief dated
 * `date`, the configuration, places.yaml, .gitignore and the CI workflow. Paths in
 * `schemas` are as seen from the project root; the brief, one folder down, gets its own.
 */
export function scaffoldProject(options: { date: string; schemas: SchemaLocations; briefSchema: string; install: 'npm' | 'npx'; version: string }): ScaffoldFile[] {
  const brief = scaffoldBrief('Example Brief', options.date, options.briefSchema);
  return [
    { path: `briefs/${brief.fileName}`, text: brief.text },
    { path: 'brief.config.yaml', text: scaffoldConfig(options.schemas.config) },
    { path: 'places.yaml', text: PLACES_SCAFFOLD(options.schemas.places) },
    { path: '.gitignore', text: GITIGNORE_SCAFFOLD },
    { path: '.github/workflows/briefs.yml', text: workflowScaffold(options.install, options.version) },
  ];
}
