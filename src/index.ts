/**
 * flashbrief's library API. The `brief` CLI is a thin shell over these functions;
 * scripts can call them directly.
 */
export { build, check } from './project/build.js';
export type { BuildOptions, Format, Manifest, ManifestEntry, ManifestDiagnostic } from './project/build.js';
export { compileBrief, renderPage, DEFAULT_TEMPLATE } from './page/compile.js';
export { defaultSlug } from './core/slug.js';
export type { CompiledBrief, CompileContext } from './page/compile.js';
export { formatDiagnostic, type Diagnostic } from './core/diagnostics.js';
export { loadYaml } from './core/load.js';
export { validateBrief } from './core/validate.js';
export { computeTally, tallyWindow, type Tally, type WeaponTally } from './core/tally.js';
export { PLACEHOLDER_FORMS } from './core/placeholders.js';
export { findBrowser, BrowserNotFoundError } from './print/browser.js';
export { loadTemplates } from './project/templates.js';
export { Brief, Incident, IncidentFile, Places } from './core/schema.js';
export { briefJsonSchema, briefJsonSchemaText, jsonSchema, jsonSchemaText, SCHEMAS } from './core/json-schema.js';
export { analyze } from './project/build.js';
export { createCompileContext } from './project/prepare.js';
