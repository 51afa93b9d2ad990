/**
 * flashbrief's library API. The `brief` CLI is a thin shell over these functions;
 * scripts can call them directly.
 */
import { jsonSchema, type SchemaKind } from './core/json-schema.js';

export { build, check } from './build/build.js';
export type { BuildOptions, Format, Manifest, ManifestEntry, ManifestError } from './build/build.js';
export { compileBrief, defaultSlug, DEFAULT_TEMPLATE } from './page/compile.js';
export type { CompiledBrief, CompileContext } from './page/compile.js';
export { formatDiagnostic, type Diagnostic } from './core/diagnostics.js';
export { loadYaml } from './core/load.js';
export { validateBrief } from './core/validate.js';
export { computeTally, tallyWindow, type Tally, type WeaponTally } from './core/tally.js';
export { PLACEHOLDER_FORMS } from './core/placeholders.js';
export { findBrowser, BrowserNotFoundError } from './print/browser.js';
export { loadTemplates } from './template/templates.js';
export { Brief, Incident, IncidentFile, Places } from './core/schema.js';
export { briefJsonSchema, jsonSchema, SCHEMAS } from './core/json-schema.js';
export { analyze } from './build/build.js';

/** A JSON Schema as committed in schema/<kind>.schema.json (stable formatting, final newline). */
export const jsonSchemaText = (kind: SchemaKind = 'brief'): string => `${JSON.stringify(jsonSchema(kind), null, 2)}\n`;
export const briefJsonSchemaText = (): string => jsonSchemaText('brief');
