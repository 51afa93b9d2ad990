import * as z from 'zod';
import { Config } from './config.js';
import { Brief, IncidentFile, Places } from './schema.js';
import type { SchemaKind } from './schema-kinds.js';

export type { SchemaKind } from './schema-kinds.js';

/** The files flashbrief reads, each with a JSON Schema for editors: schema/<kind>.schema.json. */
export const SCHEMAS = { brief: Brief, incidents: IncidentFile, places: Places, config: Config } as const satisfies Record<SchemaKind, z.ZodType>;

/** The JSON Schema editors use (via the yaml-language-server comment) to autocomplete a file. */
export function jsonSchema(kind: SchemaKind): Record<string, unknown> {
  // draft-07 is the newest draft that every YAML editor integration understands.
  return z.toJSONSchema(SCHEMAS[kind], { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
}

export const briefJsonSchema = (): Record<string, unknown> => jsonSchema('brief');

/** A JSON Schema as committed in schema/<kind>.schema.json (stable formatting, final newline). */
export const jsonSchemaText = (kind: SchemaKind = 'brief'): string => `${JSON.stringify(jsonSchema(kind), null, 2)}\n`;
export const briefJsonSchemaText = (): string => jsonSchemaText('brief');
