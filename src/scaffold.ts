import path from 'node:path';
import { defaultSlug } from './compile.js';

/** Today in the author's own time zone: a brief is dated the day it is written where it is written. */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

const yamlString = (s: string): string => JSON.stringify(s);

/**
 * A new brief with every section, valid as it stands, so `brief check` passes before
 * the first edit and each placeholder text shows what goes where.
 */
export function scaffoldBrief(title: string, date: string, schemaPath: string): { fileName: string; text: string } {
  const fileName = `${defaultSlug({ title, date })}.yaml`;
  const text = `# yaml-language-server: $schema=${schemaPath}
title: ${yamlString(title)}
date: ${date}
label: Flash Brief
authors:
  - name: Your Name
    role: Your Title
summary: One paragraph that tells the reader what happened and why it matters.
topics: [Topic One, Topic Two]

developments: |
  What happened, in the order a reader needs it. Cite the tally instead of typing
  numbers: {{tally.total}} incidents so far, {{tally.injured}} people injured.

analysis:
  # Sample entry: replace with a real expert's words and name before publishing.
  - quote: The expert's view, in their own words.
    name: Expert Name
    role: Their Title

background:
  - heading: How We Got Here
    body: |
      The context a reader needs.

related:
  - title: An earlier brief on the same subject
    url: https://example.org/analysis/earlier-brief
    source: Flash Brief

# The records the tally box and {{tally.*}} placeholders are computed from. For example:
#  - id: ${date}-place
#    date: ${date}
#    location: Name of the base or town
#    country: Country
#    weapons: [{ type: drone, count: 2 }]
#    perpetrator: Group name
#    claimed: true
#    injured: 0
#    sources: [https://example.org/report]
incidents: []
`;
  return { fileName, text };
}

/** The schema comment's path, relative to where the new brief lives, so editors find it. */
export const schemaComment = (briefDir: string, schemaFile: string): string =>
  path.relative(briefDir, schemaFile).split(path.sep).join('/');
