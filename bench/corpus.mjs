// A deterministic corpus of flash briefs for the benchmark: the same seed and size give
// the same files byte for byte, so two runs (or two machines) measure the same work.
// Briefs look like real ones: 2-4 printed pages, 5-20 incidents, quotes, background
// sections, related links, topics, and many of them in series whose later briefs list
// only the incidents since the previous one, re-list a few with the same id, and let
// their tally window reach back to the start of the campaign.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** mulberry32: tiny, fast and good enough to pick words; the seed fixes the whole corpus. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Real country names, because the locator map and the spelling check know Natural
// Earth's names; boxes are rough interiors so generated places land inside the country.
const COUNTRIES = [
  { name: 'Iraq', lat: [31.0, 36.5], lon: [40.5, 46.5] },
  { name: 'Syria', lat: [33.2, 36.8], lon: [36.5, 41.0] },
  { name: 'Jordan', lat: [30.0, 32.4], lon: [35.8, 38.5] },
  { name: 'Lebanon', lat: [33.3, 34.4], lon: [35.5, 36.3] },
  { name: 'Yemen', lat: [13.5, 16.5], lon: [44.0, 49.0] },
  { name: 'Kuwait', lat: [28.8, 29.8], lon: [47.2, 48.0] },
];
const REGIONS = [['Iraq'], ['Syria'], ['Iraq', 'Syria'], ['Syria', 'Jordan'], ['Iraq', 'Kuwait'], ['Syria', 'Lebanon'], ['Yemen'], ['Iraq', 'Jordan']];
const SYLLABLES = ['al', 'bar', 'dan', 'far', 'gha', 'har', 'jur', 'kal', 'mir', 'nas', 'qar', 'rah', 'sul', 'tam', 'war', 'zab', 'bel', 'dor', 'fen', 'lum'];
const PLACE_KINDS = ['Air Base', 'garrison', 'oil field', 'logistics hub', 'outpost', 'airfield', 'patrol base', 'gas plant'];
const GROUPS = [
  'Valley Resistance Front', 'Brigades of the Two Rivers', 'Northern Defenders Movement', 'Guardians of the Crossing',
  'Eastern Vanguard', 'Companions of the Dawn', 'Steppe Liberation Army', 'Harbor Martyrs Battalion',
];
const WEAPONS = ['drone', 'rocket', 'missile', 'mortar', 'ied', 'gunfire'];
const TOPICS = [
  'Iran', 'Iraq', 'Syria', 'Yemen', 'Militias and Proxies', 'Drone Warfare', 'Force Protection', 'Air and Missile Defense',
  'U.S. Defense Policy', 'Gulf Security', 'Counterterrorism', 'Energy Infrastructure', 'Deterrence', 'Sanctions', 'Maritime Security',
];
const FIRST = ['Dana', 'Elias', 'Mira', 'Tobias', 'Leila', 'Owen', 'Nadia', 'Jonah', 'Sara', 'Victor', 'Hana', 'Rafael', 'Ines', 'Colin'];
const LAST = ['Whitcombe', 'Haddad', 'Ostrander', 'Kaplan', 'Moreau', 'Sayegh', 'Lindqvist', 'Barrow', 'Qureshi', 'Fennimore', 'Adler', 'Tran'];
const ROLES = ['Senior Fellow', 'Research Analyst', 'Director of the Military Program', 'Visiting Fellow', 'Deputy Director, Regional Studies', 'Nonresident Scholar'];
const OFFICIALS = ['a Pentagon spokesperson', 'the coalition press office', 'a senior defense official', 'the regional command', 'a State Department spokesperson', 'local security officials'];
const OUTLETS = ['Regional Monitor', 'Conflict Watch', 'The Defense Ledger', 'Frontline Review', 'Policy Quarterly'];
const NOUNS = ['deterrence', 'escalation', 'air defense', 'force posture', 'proxy warfare', 'supply lines', 'retaliation', 'border security'];
const ADJECTIVES = ['sustained', 'uneven', 'deliberate', 'opportunistic', 'coordinated', 'sporadic', 'renewed', 'probing'];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAY = 86_400_000;
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const spoken = (iso) => `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${Number(iso.slice(8, 10))}`;
const slugOf = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const title = (word) => word[0].toUpperCase() + word.slice(1);

/** The text of one generated YAML document: values quoted as JSON (valid YAML), prose as block scalars. */
function yamlOf(value, indent = '') {
  const lines = [];
  const scalar = (v) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
  const block = (key, text, pad) => {
    lines.push(`${pad}${key}: |`);
    for (const line of text.split('\n')) lines.push(line === '' ? '' : `${pad}  ${line}`);
  };
  const object = (obj, pad, firstPrefix) => {
    let first = true;
    for (const [key, v] of Object.entries(obj)) {
      if (v === undefined) continue;
      const lead = first && firstPrefix !== undefined ? firstPrefix : pad;
      first = false;
      if (typeof v === 'string' && v.includes('\n')) block(key, v.replace(/\n$/, ''), lead);
      else if (Array.isArray(v)) {
        if (v.length > 0 && v.every((x) => typeof x !== 'object')) lines.push(`${lead}${key}: [${v.map(scalar).join(', ')}]`);
        else {
          lines.push(`${lead}${key}:`);
          for (const item of v) list(item, `${pad}  `);
        }
      } else if (v && typeof v === 'object') {
        lines.push(`${lead}${key}:`);
        object(v, `${pad}  `);
      } else lines.push(`${lead}${key}: ${scalar(v)}`);
    }
  };
  const list = (item, pad) => {
    if (item && typeof item === 'object' && !Array.isArray(item)) object(item, `${pad}  `, `${pad}- `);
    else lines.push(`${pad}- ${scalar(item)}`);
  };
  if (Array.isArray(value)) for (const item of value) list(item, indent);
  else object(value, indent);
  return `${lines.join('\n')}\n`;
}

/**
 * Writes <dir>/briefs/*.yaml, <dir>/places.yaml, <dir>/brief.config.yaml and a logo.
 * Returns what the benchmark needs to know about the corpus: its files and the brief it edits.
 */
export function generateCorpus({ dir, count, seed = 1 }) {
  const random = prng(seed);
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(random() * list.length)];
  const some = (list, lo, hi) => {
    const pool = [...list];
    const out = [];
    for (let n = int(lo, Math.min(hi, pool.length)); n > 0; n--) out.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
    return out;
  };
  const chance = (p) => random() < p;

  // Places: names far enough apart that the spelling check never mistakes one for another.
  const places = [];
  const names = new Set();
  while (places.length < 48) {
    const country = COUNTRIES[places.length % COUNTRIES.length];
    const stem = title(pick(SYLLABLES) + pick(SYLLABLES) + pick(SYLLABLES));
    const name = `${stem} ${pick(PLACE_KINDS)}`;
    if (names.has(stem)) continue;
    names.add(stem);
    const at = (range) => Math.round((range[0] + random() * (range[1] - range[0])) * 100) / 100;
    places.push({ name, country: country.name, lat: at(country.lat), lon: at(country.lon), aliases: [stem] });
  }
  const person = () => `${pick(FIRST)} ${pick(LAST)}`;
  const authorsPool = Array.from({ length: 10 }, () => ({ name: person(), role: pick(ROLES) }));

  let incidentNumber = 0;
  const incident = (date, region) => {
    const place = pick(region);
    const weapons = some(WEAPONS, 1, 2).map((type) => (chance(0.75) ? { type, count: int(1, 6) } : { type }));
    const group = chance(0.7) ? pick(GROUPS) : undefined;
    const injured = chance(0.35) ? int(0, 12) : undefined;
    const verb = weapons[0].type === 'gunfire' ? 'Gunmen opened fire on' : `${title(weapons[0].type === 'ied' ? 'a roadside bomb' : `${weapons[0].type}s`)} targeted`;
    return {
      id: `${date}-${slugOf(place.name)}-${++incidentNumber}`,
      date,
      location: place.name,
      country: place.country,
      weapons,
      perpetrator: group,
      claimed: group && chance(0.5) ? true : undefined,
      killed: chance(0.2) ? int(0, 3) : undefined,
      injured,
      summary: `${verb} the ${place.name.split(' ').slice(1).join(' ')}; ${pick(['no damage was reported', 'a storage shed was hit', 'defenses intercepted part of the salvo', 'the attack was later claimed online', 'officials gave no details'])}.`,
      sources: chance(0.6) ? [`https://news.example.com/${date.slice(0, 4)}/${slugOf(place.name)}-${incidentNumber}`] : undefined,
    };
  };

  // Sentences from templates and word lists: varied enough that Markdown, line breaking
  // and hyphenation do real work, without borrowing anyone's prose.
  const sentence = (ctx) => {
    const templates = [
      () => `${title(pick(OFFICIALS))} said the ${pick(ADJECTIVES)} pattern of attacks near ${ctx.place} showed no sign of easing.`,
      () => `The ${pick(GROUPS)} described the strikes as a response to what it called foreign occupation, a claim analysts treat with caution.`,
      () => `Commanders have moved additional ${pick(['air defense batteries', 'counter-drone teams', 'engineers', 'surveillance aircraft'])} into ${ctx.country} since ${spoken(ctx.date)}.`,
      () => `Much of the debate in Washington now turns on ${pick(NOUNS)} and on whether limited strikes change the calculations of the groups involved.`,
      () => `Residents near ${ctx.place} reported hearing ${pick(['explosions', 'sirens', 'interceptor launches', 'gunfire'])} late in the evening.`,
      () => `*${pick(OUTLETS)}* reported that the launch sites were close to roads used by commercial traffic, which complicates any response.`,
      () => `The attacks follow weeks of ${pick(ADJECTIVES)} threats broadcast on channels linked to the ${pick(GROUPS)}.`,
      () => `Officials have not said whether the same cell carried out the attacks, and claims of responsibility were posted within hours.`,
      () => `Earlier campaigns of this kind tended to ${pick(['fade after a retaliatory strike', 'grow before diplomatic talks', 'shift toward softer targets', 'pause during negotiations'])}.`,
      () => `**${title(pick(NOUNS))}** remains the central question for planners who must protect small, dispersed garrisons.`,
    ];
    return pick(templates)();
  };
  // Sentences of one paragraph are distinct, as a writer's would be.
  const paragraph = (ctx, lo, hi) => {
    const seen = new Set();
    for (let n = int(lo, hi), tries = 0; seen.size < n && tries < 50; tries++) seen.add(sentence(ctx));
    return [...seen].join(' ');
  };

  const briefs = [];
  let groupIndex = 0;
  let day = Date.UTC(2022, 0, 3);
  while (briefs.length < count) {
    const left = count - briefs.length;
    const series = left >= 2 && chance(0.55) ? `campaign-${slugOf(pick(SYLLABLES) + pick(SYLLABLES))}-${groupIndex}` : undefined;
    const length = series ? Math.min(left, int(2, 3)) : 1;
    // A campaign hits a handful of bases in one or two neighbouring countries, as real ones do;
    // that also keeps the locator map regional.
    const regionCountries = pick(REGIONS);
    const region = some(places.filter((p) => regionCountries.includes(p.country)), 2, 6);
    const start = day + int(0, 20) * DAY;
    day += int(1, 3) * DAY;
    let previousDate = start - int(6, 12) * DAY;
    let previousOwn = [];
    let firstDate;
    const topics = some(TOPICS, 3, 6);
    for (let k = 0; k < length; k++) {
      const date = previousDate + int(4, 9) * DAY;
      const iso = isoDay(date);
      // A series brief lists what happened since the last one; a lone brief, 5 to 20 incidents.
      const fresh = series ? int(5, 7) : int(5, 20);
      const own = [];
      for (let j = 0; j < fresh; j++) own.push(incident(isoDay(previousDate + int(1, (date - previousDate) / DAY) * DAY), region));
      own.sort((a, b) => a.date.localeCompare(b.date));
      // Later briefs repeat one or two of the previous brief's incidents with the same id and facts.
      const again = k > 0 ? previousOwn.slice(-int(1, 2)) : [];
      const incidents = [...again, ...own];
      firstDate ??= own[0].date;
      const countries = [...new Set(own.map((i) => i.country))];
      const ctx = { place: own[0].location, country: countries[0], date: own[0].date };
      const headline = `${title(pick(ADJECTIVES))} ${pick(['Attacks', 'Strikes', 'Drone Raids', 'Rocket Fire'])} on ${pick(['Bases', 'Garrisons', 'Outposts', 'Supply Routes'])} in ${countries.slice(0, 2).join(' and ')}${series ? ` (${k + 1})` : ''}`;
      const slug = `${iso}-${slugOf(headline)}-${briefs.length + 1}`;
      const reachBack = series && (k === 0 || chance(0.5));
      const developments = [
        `${paragraph(ctx, 1, 2)} By this brief's count there were {{tally.total}} attacks in {{tally.days}} days, {{tally.country.${countries[0]}}} of them in ${countries[0]}${series && k > 0 ? `, {{tally.new}} since the previous brief` : ''}.`,
        // The sentence the benchmark edits: its number changes, nothing else does.
        `${paragraph(ctx, 1, 2)} Desk revision 0 of this account.`,
      ].join('\n\n');
      const brief = {
        title: headline,
        date: iso,
        slug,
        authors: some(authorsPool, 1, 2),
        summary: `${paragraph(ctx, 1, 1)} Militants struck {{tally.total}} times in {{tally.days}} days.`,
        topics: [...new Set([...countries.filter((c) => TOPICS.includes(c)), ...topics])].slice(0, 6),
        series,
        developments: `${developments}\n`,
        analysis: Array.from({ length: int(1, 2) }, () => {
          const paraphrase = chance(0.4);
          return {
            quote: paraphrase
              ? `In this view, ${pick(NOUNS)} has weakened, and the garrisons in ${countries[0]} need ${pick(['more interceptors', 'clearer rules of engagement', 'a firmer response', 'better warning'])} before the next attack.`
              : `${sentence(ctx)} ${sentence(ctx)}`,
            name: person(),
            role: pick(ROLES),
            paraphrase: paraphrase || undefined,
          };
        }),
        background: Array.from({ length: chance(0.3) ? 2 : 1 }, () => ({
          heading: `${title(pick(NOUNS))} and the ${pick(['Campaign', 'Region', 'Garrisons', 'Response'])} in ${pick(countries)}`,
          body: `${paragraph(ctx, 2, 4)}\n`,
        })),
        related: Array.from({ length: int(2, 3) }, (_, r) => ({
          title: `${title(pick(ADJECTIVES))} ${pick(['Pressure', 'Attacks', 'Threats', 'Signals'])} from the ${pick(GROUPS)}`,
          url: `https://example.org/analysis/${iso.slice(0, 4)}/${slugOf(pick(NOUNS))}-${briefs.length + 1}-${r}`,
          source: pick(['Flash Brief', ...OUTLETS]),
          authors: chance(0.4) ? [person()] : undefined,
        })),
        tally: {
          heading: chance(0.6) ? `Attacks since ${spoken(reachBack ? firstDate : isoDay(previousDate + DAY))}` : undefined,
          since: series ? (reachBack ? firstDate : isoDay(previousDate + DAY)) : undefined,
        },
        compare: chance(0.3)
          ? [{ source: pick(OUTLETS), figure: int(5, 40), as_of: iso, note: 'Their count covers attacks on all foreign forces in the period.' }]
          : undefined,
        incidents,
      };
      if (!brief.tally.heading && !brief.tally.since) delete brief.tally;
      briefs.push({ file: `briefs/${slug}.yaml`, slug, series, text: yamlOf(brief) });
      previousDate = date;
      previousOwn = own;
    }
    groupIndex++;
  }

  mkdirSync(path.join(dir, 'briefs'), { recursive: true });
  mkdirSync(path.join(dir, 'branding'), { recursive: true });
  for (const b of briefs) writeFileSync(path.join(dir, b.file), b.text);
  writeFileSync(path.join(dir, 'places.yaml'), yamlOf(places));
  writeFileSync(
    path.join(dir, 'branding', 'logo.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="32" viewBox="0 0 160 32"><rect width="32" height="32" fill="#0d2f57"/><text x="40" y="22" font-family="sans-serif" font-size="16">Bench Institute</text></svg>\n',
  );
  writeFileSync(
    path.join(dir, 'brief.config.yaml'),
    yamlOf({
      organization: 'Bench Institute',
      logo: 'branding/logo.svg',
      header: 'Bench Institute',
      site: { url: 'https://briefs.example.org/', title: 'Flash Briefs', description: 'Generated briefs for the benchmark.' },
      label: 'Flash Brief',
      page_size: 'letter',
      disclaimer: 'Generated text for measuring flashbrief; no event in it happened.',
    }),
  );
  // The edited brief is the last brief of a series when there is one (its page depends on
  // earlier briefs), near the middle of the folder so neither end is favoured.
  const middle = Math.floor(briefs.length / 2);
  const inSeries = briefs.findIndex((b, i) => i >= middle && b.series && briefs[i + 1]?.series !== b.series);
  const edited = briefs[inSeries >= 0 ? inSeries : middle];
  return { dir, count: briefs.length, seed, files: briefs.map((b) => b.file), edited: edited.file };
}

let revision = 0;
/** Changes one sentence of a brief's developments; each call writes a different text. */
export function editBrief(dir, file) {
  const full = path.join(dir, file);
  const text = readFileSync(full, 'utf8');
  const changed = text.replace(/Desk revision \d+ of this account\./, `Desk revision ${++revision} of this account.`);
  if (changed === text) throw new Error(`${file} has no sentence to edit`);
  writeFileSync(full, changed);
}
