import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { briefJsonSchemaText, jsonSchemaText } from '../../src/index.js';
import { Brief } from '../../src/core/schema.js';
import { loadYaml } from '../../src/core/load.js';
import { ROOT } from '../helpers.js';

describe('schema/brief.schema.json', () => {
  it.each(['brief', 'incidents', 'places', 'config'] as const)('%s.schema.json is what the code schema generates (run `npm run schema` after changing src/core/schema.ts)', (kind) => {
    const committed = readFileSync(path.join(ROOT, 'schema', `${kind}.schema.json`), 'utf8');
    expect(committed).toBe(jsonSchemaText(kind));
  });

  it('describes the contract keys, strictly', () => {
    const schema = JSON.parse(briefJsonSchemaText());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['title', 'date', 'developments']);
    for (const key of ['title', 'date', 'slug', 'label', 'template', 'authors', 'summary', 'topics', 'series', 'developments', 'analysis', 'background', 'related', 'incidents', 'tally']) {
      expect(schema.properties).toHaveProperty(key);
    }
    const incident = schema.properties.incidents.items;
    expect(incident.required).toEqual(['date', 'location', 'country']);
    expect(incident.properties.weapons.items.properties.count).toMatchObject({ type: 'integer', minimum: 1 });
  });
});

describe('the example brief', () => {
  const file = path.join(ROOT, 'briefs', 'militia-attacks-on-us-troops.yaml');
  const text = readFileSync(file, 'utf8');

  it('starts with the yaml-language-server schema comment', () => {
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/brief.schema.json');
  });

  it('is valid against the schema', () => {
    const { data, diagnostics } = loadYaml(text, file);
    expect(diagnostics).toEqual([]);
    expect(Brief.safeParse(data).success).toBe(true);
  });
});
