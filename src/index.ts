/**
 * flashbrief's library API. The `brief` CLI is a thin shell over these functions;
 * scripts can call them directly.
 */
import { jsonSchema, type SchemaKind } from './json-schema.js';

export { build, check } from './build.js';
export type { BuildOptions, Format, Manifest, ManifestEntry, ManifestError } from './build.js';
export { compileBrief, defaultSlug, DEFAULT_TEMPLATE } from './compile.js';
export type { CompiledBrief, CompileContext } from './compile.js';
export { formatDiagnostic, type Diagnostic } from './diagnostics.js';
export { loadYaml } from './load.js';
export { validateBrief } from './validate.js';
export { computeTally, tallyWindow, type Tally, type WeaponTally } from './tally.js';
export { PLACEHOLDER_FORMS } from './placeholders.js';
export { findBrowser, BrowserNotFoundError } from './browser.js';
export { loadTemplates } from './template.js';
export { Brief, Incident, IncidentFile, Places } from './schema.js';
export { briefJsonSchema, jsonSchema, SCHEMAS } from './json-schema.js';
export { analyze } from './build.js';

/** A JSON Schema as committed in schema/<kind>.schema.json (stable formatting, final newline). */
export const jsonSchemaText = (kind: SchemaKind = 'brief'): string => `${JSON.stringify(jsonSchema(kind), null, 2)}\n`;
export const briefJsonSchemaText = (): string => jsonSchemaText('brief');
