/* How dates and numbers read in a brief. One place, so prose and tally box agree. */
import pluralize from 'pluralize';

const longDate = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' });
const shortMonthDay = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' });
const shortMonthDayYear = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' });
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A YYYY-MM-DD date as midnight UTC: briefs' dates are calendar days, not moments in a zone. */
export const asUtc = (iso: string): Date => new Date(`${iso}T00:00:00Z`);

/** 2023-10-24 -> "October 24, 2023" */
export const formatDate = (iso: string): string => longDate.format(asUtc(iso));

/** 2023-10-24 -> "Oct 24" */
export const formatShortDate = (iso: string): string => shortMonthDay.format(asUtc(iso));

/** 2023-12-24 -> "Dec 24, 2023" */
export const formatShortDateWithYear = (iso: string): string => shortMonthDayYear.format(asUtc(iso));

/** Whether dates (YYYY-MM-DD) fall in more than one calendar year, so "Dec 24" alone would be ambiguous. */
export const spansYears = (dates: Iterable<string>): boolean => new Set([...dates].map((d) => d.slice(0, 4))).size > 1;

/**
 * Whether short dates ("Dec 24") need their year: when the dates span more than one
 * calendar year, or when their year is not the year the brief is published in (a
 * brief of January 3 looking back at late December must say which December).
 */
export const needsYear = (dates: Iterable<string>, published?: string): boolean =>
  spansYears([...dates, ...(published === undefined ? [] : [published])]);

/**
 * How a set of dates reads in short form: "Dec 24" while they share one year with the
 * brief's date (`published`, YYYY-MM-DD), and "Dec 24, 2023" otherwise (see needsYear),
 * so a record from December to January never leaves the reader to guess the year.
 */
export const shortDateFormatFor = (dates: Iterable<string>, published?: string): ((iso: string) => string) =>
  needsYear(dates, published) ? formatShortDateWithYear : formatShortDate;

/* Weapon types that name a kind of fire rather than things counted one by one: "3
   artillery" and "3 shellings" misread, so these are written "artillery (3)". */
const MASS_NOUN = /(?:^|-)(?:artillery|ammunition|ordnance|fire|gunfire|shelling|shellfire|small-arms)$/;

/**
 * A weapon type with its count as the record writes it: "2 drones", "1 knife", "15
 * knives", "artillery (15)" for a mass noun, and "drones (number unknown)" without a
 * count. Plurals follow English rules (the pluralize library: knife/knives, manpads
 * unchanged), not a bare "s"; an abbreviation is written in capitals: "2 IEDs".
 */
export function weaponCount(type: string, count: number | undefined): string {
  if (MASS_NOUN.test(type)) return `${type} (${count === undefined ? 'number unknown' : formatNumber(count)})`;
  const [one, many] = ACRONYM.test(type) ? [type.toUpperCase(), type.toUpperCase().replace(/([^S])$/, '$1s')] : [type, pluralize(type)];
  if (count === undefined) return `${many} (number unknown)`;
  return `${formatNumber(count)} ${count === 1 ? one : many}`;
}

/** A weapon type as pages show it: an abbreviation in capitals ("ied" is shown "IED"), any other type as written. */
export const weaponName = (type: string): string => (ACRONYM.test(type) ? type.toUpperCase() : type);

/* Weapon types that are abbreviations, written in capitals in the record ("2 IEDs", "1
   MANPADS"): the format keeps types lower-case, one word, so "ied" is how a brief says it. */
const ACRONYM = /^(?:ied|vbied|pbied|uav|ucav|usv|uuv|mlrs|manpads|rpg|atgm|sam|srbm|mrbm|irbm|icbm|asbm|aam|agm|gbu)$/;

/** The plural of a weapon type as prose writes it ("knives", "drones"); a mass noun is its own plural. */
export const weaponPlural = (type: string): string => (MASS_NOUN.test(type) ? type : pluralize(type));

export const formatNumber = (n: number): string => integer.format(n);

/** "Oct 17 – Oct 24, 2023", or with both years when the window spans a new year. */
export function formatRange(since: string, until: string): string {
  if (since === until) return formatDate(since);
  if (since.slice(0, 4) !== until.slice(0, 4)) return `${formatDate(since)} – ${formatDate(until)}`;
  return `${formatShortDate(since)} – ${formatShortDate(until)}, ${until.slice(0, 4)}`;
}

/** A moment: a date, or a date and time with an optional UTC offset (2023-10-24T18:00-04:00). */
export const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::\d{2})?(Z|[+-]\d{2}:\d{2})?)?$/;

/** Days in each month of a common year; February gains one in a leap year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * Why a value of the DATE_TIME form names no real moment, in plain words ("February 2999
 * has 28 days, not 30"), or undefined when it does. Checked field by field on the calendar
 * and the clock, not with Date.parse, which rolls February 30 over into March. A value not
 * of the DATE_TIME form is not this function's to judge: undefined.
 */
export function dateTimeProblem(value: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:Z|[+-](\d{2}):(\d{2}))?)?$/.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = m.slice(1).map((part) => (part === undefined ? undefined : Number(part)));
  if (month === undefined || month < 1 || month > 12) return `there is no month ${m[2]}: write 01 to 12`;
  const days = (MONTH_DAYS[month - 1] as number) + (month === 2 && isLeap(year as number) ? 1 : 0);
  if (day === undefined || day < 1 || day > days) return `${MONTH_NAMES[month - 1]} ${m[1]} has ${days} days, not ${m[3]}: write a day from 01 to ${days}`;
  if (hour !== undefined && hour > 23) return `there is no hour ${m[4]}: write 00 to 23 (midnight at the end of a day is 00:00 of the next)`;
  if (minute !== undefined && minute > 59) return `there is no minute ${m[5]}: write 00 to 59`;
  if (second !== undefined && second > 59) return `there is no second ${m[6]}: write 00 to 59`;
  if (offsetHours !== undefined && (offsetHours > 23 || (offsetMinutes as number) > 59)) return `the offset ${value.slice(-6)} is not a time zone: write one from -23:59 to +23:59, e.g. -04:00`;
  return undefined;
}

/**
 * 2023-10-24T18:00-04:00 -> "October 24, 2023, 18:00 (UTC−04:00)". The time is shown as
 * written, in the zone the author wrote it in: converting it would need the reader's zone.
 */
export function formatDateTime(value: string): string {
  const m = DATE_TIME.exec(value);
  if (!m) return value;
  const [, date, hh, mm, zone] = m;
  const day = formatDate(date as string);
  if (hh === undefined) return day;
  const offset = zone === undefined ? '' : zone === 'Z' ? ' UTC' : ` (UTC${zone.replace('-', '\u2212')})`;
  return `${day}, ${hh}:${mm}${offset}`;
}

/** Languages written right to left, by primary subtag, and the scripts that make a tag so. */
const RTL_LANGUAGES = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ks', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);
const RTL_SCRIPTS = new Set(['arab', 'hebr', 'syrc', 'thaa', 'nkoo', 'adlm', 'rohg']);

/**
 * The base direction of a brief in a language (a BCP 47 tag): "rtl" for Arabic, Hebrew,
 * Persian, Urdu and their like, or any tag naming a right-to-left script ("ku-Arab").
 * A fixed list rather than Intl, whose text-direction API differs between Node versions
 * (V8 has Intl.Locale#textInfo where the proposal now has getTextInfo():
 * https://github.com/mdn/browser-compat-data/pull/22678).
 */
export function textDirection(lang: string): 'ltr' | 'rtl' {
  const [language = '', ...rest] = lang.toLowerCase().split(/[-_]/);
  if (rest.some((part) => RTL_SCRIPTS.has(part))) return 'rtl';
  if (rest.some((part) => part.length === 4)) return 'ltr';
  return RTL_LANGUAGES.has(language) ? 'rtl' : 'ltr';
}

/** Letters of the right-to-left scripts (bidi classes R and AL). */
const RTL_LETTER = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}]/u;

/**
 * The direction a text takes by itself, as the bidi algorithm's first-strong rule finds it
 * (what dir="auto" does): that of its first letter, or undefined when it has none (digits
 * and punctuation only). For places that cannot be marked up, such as the page's margin
 * boxes, which take the page's direction whatever their text.
 */
export function firstStrongDirection(text: string): 'ltr' | 'rtl' | undefined {
  const letter = /\p{L}/u.exec(text)?.[0];
  if (letter === undefined) return undefined;
  return RTL_LETTER.test(letter) ? 'rtl' : 'ltr';
}
