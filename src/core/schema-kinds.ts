/**
 * The files `brief schema` describes, as their names on the command line. Kept apart
 * from json-schema.ts so that the command line can list them without loading the schemas.
 */
export const SCHEMA_KINDS = ['brief', 'incidents', 'places', 'config'] as const;
export type SchemaKind = (typeof SCHEMA_KINDS)[number];
