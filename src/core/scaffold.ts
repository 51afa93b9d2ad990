import { defaultSlug } from './slug.js';

/** Today in the author's own time zone: a brief is dated the day it is written where it is written. */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

const yamlString = (s: string): string => JSON.stringify(s);

/**
 * The sample text `brief new` writes, and what each stands for: `brief check` warns about
 * any left in a brief (see leftovers.ts). scaffoldBrief writes its text only from these,
 * and a test reads every value of a new brief back, so the scaffold and the warning
 * cannot drift apart. A sample that is a sentence (ends in a full stop) is found
 * inside a longer text; any other (a name, a heading, a topic) only as the whole value,
 * so a real heading "How We Got Here Today" is not taken for "How We Got Here".
 */
export const SCAFFOLD_SAMPLES = {
  authorName: { text: 'Your Name', what: "the author's name" },
  authorRole: { text: 'Your Title', what: "the author's title" },
  summary: { text: 'One paragraph that tells the reader what happened and why it matters.', what: 'the summary' },
  topicOne: { text: 'Topic One', what: 'a real topic (or remove it)' },
  topicTwo: { text: 'Topic Two', what: 'a real topic (or remove it)' },
  developments: { text: 'What happened, in the order a reader needs it.', what: 'the latest developments' },
  citeTally: {
    text: 'Cite the tally instead of typing numbers: {{tally.total}} incidents so far, {{tally.injured}} people injured.',
    what: 'the latest developments, citing the tally where they give a number',
  },
  quote: { text: "The expert's view, in their own words.", what: "the expert's words" },
  quoteName: { text: 'Expert Name', what: "the expert's name" },
  quoteRole: { text: 'Their Title', what: "the expert's title" },
  heading: { text: 'How We Got Here', what: 'a heading for the background' },
  body: { text: 'The context a reader needs.', what: 'the background' },
  relatedTitle: { text: 'An earlier brief on the same subject', what: "the linked piece's title" },
  // In the commented example incident: once uncommented, they would be counted as names.
  incidentLocation: { text: 'Name of the base or town', what: 'the place the incident happened' },
  incidentCountry: { text: 'Country', what: 'the country the incident happened in' },
  incidentPerpetrator: { text: 'Group name', what: 'the group responsible (or remove the line)' },
} as const;

/** Whether a value holds a sample: a sentence anywhere in it, whitespace aside; a name as the whole value. */
export const isSentence = (sample: string): boolean => sample.endsWith('.');

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
  ${S.developments.text}
  ${S.citeTally.text}

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
#    location: ${S.incidentLocation.text}
#    country: ${S.incidentCountry.text}
#    weapons: [{ type: drone, count: 2 }]
#    perpetrator: ${S.incidentPerpetrator.text}
#    claimed: true
#    injured: 0
#    sources: [https://example.org/report]
incidents: []
`;
  return { fileName, text };
}
