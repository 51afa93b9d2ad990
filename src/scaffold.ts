import path from 'node:path';
import { defaultSlug } from './compile.js';

/** Today in the author's own time zone: a brief is dated the day it is written where it is written. */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

const yamlString = (s: string): string => JSON.stringify(s);

/**
 * The sample text `brief new` writes, and what each stands for: `brief check` warns about
 * any left in a brief (see leftovers.ts), so the scaffold and the warning cannot drift apart.
 */
export const SCAFFOLD_SAMPLES = {
  authorName: { text: 'Your Name', what: "the author's name" },
  authorRole: { text: 'Your Title', what: "the author's title" },
  summary: { text: 'One paragraph that tells the reader what happened and why it matters.', what: 'the summary' },
  topicOne: { text: 'Topic One', what: 'a real topic (or remove it)' },
  topicTwo: { text: 'Topic Two', what: 'a real topic (or remove it)' },
  developments: { text: 'What happened, in the order a reader needs it.', what: 'the latest developments' },
  quote: { text: "The expert's view, in their own words.", what: "the expert's words" },
  quoteName: { text: 'Expert Name', what: "the expert's name" },
  quoteRole: { text: 'Their Title', what: "the expert's title" },
  heading: { text: 'How We Got Here', what: 'a heading for the background' },
  body: { text: 'The context a reader needs.', what: 'the background' },
  relatedTitle: { text: 'An earlier brief on the same subject', what: "the linked piece's title" },
} as const;

/** Addresses that only ever stand for a link to fill in (RFC 2606). */
export const EXAMPLE_HOST = /^https?:\/\/(?:[^/?#]*\.)?example\.(?:org|com|net)(?:[/:?#]|$)/i;

/**
 * A new brief with every section, valid as it stands, so `brief check` passes before
 * the first edit and each placeholder text shows what goes where.
 */
export function scaffoldBrief(title: string, date: string, schemaPath: string): { fileName: string; text: string } {
  const fileName = `${defaultSlug({ title, date })}.yaml`;
  const S = SCAFFOLD_SAMPLES;
  const text = `# yaml-language-server: $schema=${schemaPath}
title: ${yamlString(title)}
date: ${date}
# label: the kicker above the title; leave it out to use brief.config.yaml's (or "Flash Brief")
authors:
  - name: ${S.authorName.text}
    role: ${S.authorRole.text}
summary: ${S.summary.text}
topics: [${S.topicOne.text}, ${S.topicTwo.text}]

developments: |
  ${S.developments.text} Cite the tally instead of typing
  numbers: {{tally.total}} incidents so far, {{tally.injured}} people injured.

analysis:
  # Sample entry: replace with a real expert's words and name before publishing.
  - quote: ${S.quote.text}
    name: ${S.quoteName.text}
    role: ${S.quoteRole.text}

background:
  - heading: ${S.heading.text}
    body: |
      ${S.body.text}

related:
  - title: ${S.relatedTitle.text}
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
