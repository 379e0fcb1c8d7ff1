/**
 * Untrusted text (names, snippets, messages) made safe to show on one line: control characters,
 * bidirectional overrides and zero-width characters cannot reorder or hide what is displayed.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
const LINE_BREAKS = /\r\n|[\n\r\u2028\u2029\u0085]/;

/** Longest text any single-line label is built from; a 1 MB message costs no more than this. */
export const MAX_LABEL_INPUT = 500;

/** One line of untrusted text, neutralised and cut to `max` characters (with an ellipsis). */
export function inlineText(text: string | undefined, max = 120): string {
  if (!text) {
    return '';
  }
  const head = cutSafely(text, MAX_LABEL_INPUT);
  const firstLine = head.split(LINE_BREAKS).find((line) => line.trim().length > 0) ?? '';
  const clean = neutralise(firstLine).replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${cutSafely(clean, max - 1)}…` : clean;
}

/** Multi-line untrusted text for tooltips and documents: line breaks kept, everything else neutralised. */
export function blockText(text: string | undefined, max = 2000): string {
  if (!text) {
    return '';
  }
  const head = cutSafely(text, max);
  const clean = head.split(LINE_BREAKS).map(neutralise).join('\n');
  return text.length > max ? `${clean}…` : clean;
}

/** Replaces bidi controls with a visible marker and drops other invisible characters. */
export function neutralise(text: string): string {
  return text.replace(BIDI, '\ufffd').replace(CONTROL, ' ').replace(INVISIBLE, '');
}

/** Cuts without splitting a surrogate pair. */
function cutSafely(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  const end = /[\ud800-\udbff]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}

/**
 * "3 min. ago", "6 days ago", "1 wk. ago": one numeric style everywhere (no "yesterday" beside
 * "6 days ago", no "last wk." for a whole week), in the user's language, from the platform's Intl.
 */
export function relativeTime(thenMs: number, nowMs: number, locale: string): string {
  const seconds = Math.round((thenMs - nowMs) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['week', 604_800],
    ['day', 86_400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) {
      return new Intl.RelativeTimeFormat(locale, { numeric: 'always', style: 'short' }).format(Math.trunc(seconds / size), unit);
    }
  }
  return new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' }).format(0, 'second');
}

/**
 * When a message was sent, exact enough to keep order: "10:14" today, "20 Nov, 10:14" this year,
 * "20 Nov 2025, 10:14" before.
 */
export function messageTime(ms: number, nowMs: number, locale: string): string {
  const then = new Date(ms);
  const now = new Date(nowMs);
  const sameYear = then.getFullYear() === now.getFullYear();
  const sameDay = sameYear && then.getMonth() === now.getMonth() && then.getDate() === now.getDate();
  const date: Intl.DateTimeFormatOptions = sameDay ? {} : { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) };
  return new Intl.DateTimeFormat(locale, { ...date, hour: '2-digit', minute: '2-digit' }).format(then);
}

/** The exact time, for tooltips: local date and time with the zone. */
export function exactTime(ms: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'long' }).format(new Date(ms));
}

/** The exact day, where the time does not matter (a token's data access): the same date style as `exactTime`. */
export function exactDate(ms: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(ms));
}

/** A short date for titles: "20 Nov" (in the user's language). */
export function shortDate(ms: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' }).format(new Date(ms));
}
