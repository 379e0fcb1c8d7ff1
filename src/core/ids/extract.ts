/** A Graph ID found in text, with where it is. */
export interface FoundId {
  readonly id: string;
  readonly start: number;
  readonly end: number;
}

/** Graph IDs of people, Pages and apps are decimal numbers of this many digits. */
export const MIN_ID_DIGITS = 5;
export const MAX_ID_DIGITS = 25;

const WORD = /[A-Za-z0-9_]/;

/**
 * The ID at a cursor position: the run of digits that contains or touches the offset, when it is
 * a whole token (not part of `t_123`, `abc123` or a decimal like `1.5`).
 */
export function idAt(text: string, offset: number): FoundId | undefined {
  const at = besideQuote(text, Math.max(0, Math.min(offset, text.length)));
  let start = at;
  let end = at;
  while (start > 0 && isDigit(text.charCodeAt(start - 1))) {
    start--;
  }
  while (end < text.length && isDigit(text.charCodeAt(end))) {
    end++;
  }
  if (end === start) {
    return undefined;
  }
  return asId(text, start, end);
}

const QUOTES = new Set(['"', "'", '`']);

/**
 * A cursor on a quoted ID's quotes belongs to the ID: before the opening quote of `"4786…"` or
 * after its closing quote (a right-click on the quote puts it there) moves onto the digits.
 */
function besideQuote(text: string, at: number): number {
  const touchesDigit = isDigit(text.charCodeAt(at)) || (at > 0 && isDigit(text.charCodeAt(at - 1)));
  if (touchesDigit) {
    return at;
  }
  if (QUOTES.has(text.charAt(at)) && isDigit(text.charCodeAt(at + 1))) {
    return at + 1;
  }
  if (at >= 2 && QUOTES.has(text.charAt(at - 1)) && isDigit(text.charCodeAt(at - 2))) {
    return at - 1;
  }
  return at;
}

/** Every ID in a text, in order, each distinct position once. */
export function findIds(text: string): FoundId[] {
  const out: FoundId[] = [];
  const digits = /\d+/g;
  for (let match = digits.exec(text); match; match = digits.exec(text)) {
    const found = asId(text, match.index, match.index + match[0].length);
    if (found) {
      out.push(found);
    }
  }
  return out;
}

/** The ID in a selection: the selected text, trimmed of quotes and spaces, must be one ID. */
export function idInSelection(selected: string): string | undefined {
  const trimmed = selected
    .trim()
    .replace(/^["'`]|["'`]$/g, '')
    .trim();
  return /^\d+$/.test(trimmed) && trimmed.length >= MIN_ID_DIGITS && trimmed.length <= MAX_ID_DIGITS ? trimmed : undefined;
}

function asId(text: string, start: number, end: number): FoundId | undefined {
  const length = end - start;
  if (length < MIN_ID_DIGITS || length > MAX_ID_DIGITS) {
    return undefined;
  }
  const before = text.charAt(start - 1);
  const after = text.charAt(end);
  if ((before && WORD.test(before)) || (after && WORD.test(after))) {
    return undefined;
  }
  // Part of a decimal number or a version such as 1.234567.
  if ((before === '.' && isDigit(text.charCodeAt(start - 2))) || (after === '.' && isDigit(text.charCodeAt(end + 1)))) {
    return undefined;
  }
  return { id: text.slice(start, end), start, end };
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The account an ID belongs to, as far as the text around it says. */
export interface OwnerHint {
  /** A Page ID, an Instagram account ID (its Page answers for it) or an app ID. */
  readonly id: string;
  /**
   * The text says so beyond doubt (a webhook event is delivered for its `entry[].id`): only that
   * account is asked, as the seeds' flow does. Otherwise the account is only tried first.
   */
  readonly certain: boolean;
}

export interface IdsWithOwners {
  /** Distinct IDs in order of first appearance. */
  readonly ids: string[];
  /** The owner the text names, for the IDs it names one for. */
  readonly hints: Map<string, OwnerHint>;
}

/** JSON keys whose numeric values are times, counters or sequence numbers, never IDs. */
const NOT_ID_KEY = /(^|_)(time|timestamp|watermark|seq|count|created|updated)($|_)/i;
/** `page=123`, `"page_id": "123"`, `recipient.id=123`: the number after names a Page or an Instagram account. */
const PAGE_KEY =
  /(?:^|[^A-Za-z0-9_])(?:page|page_?id|recipient(?:[._]?id)?|entry[._]?id|ig_?id|instagram_?id|ig_account(?:_id)?)["']?\s*[=:]\s*["']?$/i;
/** `app=123`, `app_id: 123`. */
const APP_KEY = /(?:^|[^A-Za-z0-9_])(?:app|app_?id|application_?id)["']?\s*[=:]\s*["']?$/i;

/**
 * Every ID in a text with the account it belongs to, when the text names it, so a bulk resolution
 * asks each ID's own account instead of guessing:
 * - a webhook payload (the whole text, or one JSON object per line after a log prefix): the IDs of
 *   `entry[i]` belong to `entry[i].id`, the Page or Instagram account the event was delivered for
 *   (certain). Numbers under time keys (`time`, `timestamp`, `watermark`) are not IDs;
 * - any other line: an ID after `page=`, `page_id:`, `recipient_id=`… (or an ID in `accounts`, the
 *   connected Pages, Instagram accounts and apps) names the owner of the other IDs of the line
 *   (tried first, not certain); `app=` / `app_id=` likewise for app-scoped IDs.
 */
export function findIdsWithOwners(text: string, accounts: ReadonlySet<string> = new Set()): IdsWithOwners {
  const ids: string[] = [];
  const seen = new Set<string>();
  const hints = new Map<string, OwnerHint>();
  const add = (id: string, hint?: OwnerHint) => {
    if (!seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
    if (hint && hint.id !== id && !accounts.has(id)) {
      const known = hints.get(id);
      if (!known || (hint.certain && !known.certain)) {
        hints.set(id, hint);
      }
    }
  };
  const whole = text.trim();
  if ((whole.startsWith('{') || whole.startsWith('[')) && whole.includes('\n')) {
    const parsed = parseJson(whole);
    if (parsed !== undefined) {
      walkJson(parsed, undefined, undefined, add);
      return { ids, hints };
    }
  }
  for (const line of text.split(/\r?\n/)) {
    const brace = line.indexOf('{');
    const json = brace >= 0 ? parseJson(line.slice(brace, line.lastIndexOf('}') + 1)) : undefined;
    if (json !== undefined) {
      lineIds(line.slice(0, brace), accounts, add);
      walkJson(json, undefined, undefined, add);
    } else {
      lineIds(line, accounts, add);
    }
  }
  return { ids, hints };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function idValue(value: unknown, key: string | undefined): string | undefined {
  if (typeof value === 'string') {
    return /^\d+$/.test(value) && value.length >= MIN_ID_DIGITS && value.length <= MAX_ID_DIGITS ? value : undefined;
  }
  // Meta sends IDs as strings; a bare number is an ID only under an id key (and only when exact).
  if (typeof value === 'number' && key !== undefined && /(^|_)id$/i.test(key) && !NOT_ID_KEY.test(key) && Number.isSafeInteger(value)) {
    return idValue(String(value), undefined);
  }
  return undefined;
}

function walkJson(
  value: unknown,
  key: string | undefined,
  owner: OwnerHint | undefined,
  add: (id: string, hint?: OwnerHint) => void,
): void {
  if (Array.isArray(value)) {
    value.forEach((v) => walkJson(v, key, owner, add));
    return;
  }
  if (typeof value !== 'object' || value === null) {
    const found = idValue(value, key);
    if (found) {
      add(found, owner);
    }
    return;
  }
  const obj = value as Record<string, unknown>;
  if (Array.isArray(obj.entry)) {
    // A webhook delivery: each entry is for one Page (object "page") or Instagram account (object "instagram").
    for (const [k, v] of Object.entries(obj)) {
      if (k !== 'entry') {
        walkJson(v, k, owner, add);
      }
    }
    for (const entry of obj.entry) {
      const entryId = typeof entry === 'object' && entry !== null ? idValue((entry as Record<string, unknown>).id, 'id') : undefined;
      walkJson(entry, 'entry', entryId ? { id: entryId, certain: true } : owner, add);
    }
    return;
  }
  for (const [k, v] of Object.entries(obj)) {
    if (NOT_ID_KEY.test(k) && typeof v === 'number') {
      continue;
    }
    walkJson(v, k, owner, add);
  }
}

/** The IDs of a plain line; one named owner on the line (by key or as a known account) is the hint of the others. */
function lineIds(line: string, accounts: ReadonlySet<string>, add: (id: string, hint?: OwnerHint) => void): void {
  const found = findIds(line);
  if (found.length === 0) {
    return;
  }
  const owners = new Set<string>();
  for (const f of found) {
    const before = line.slice(Math.max(0, f.start - 24), f.start);
    if (accounts.has(f.id) || PAGE_KEY.test(before) || APP_KEY.test(before)) {
      owners.add(f.id);
    }
  }
  const owner = owners.size === 1 ? [...owners][0] : undefined;
  for (const f of found) {
    add(f.id, owner !== undefined && owner !== f.id ? { id: owner, certain: false } : undefined);
  }
}

/** Milliseconds since 1970 between 2004 and 2040: a 13-digit number there is far likelier a time than an ID. */
const MS_TIMESTAMPS = { min: 1_072_915_200_000, max: 2_208_988_800_000 };

/** Whether a number that no account could resolve reads as a timestamp in milliseconds (`1763639040000`). */
export function looksLikeTimestamp(id: string): boolean {
  const value = Number(id);
  return id.length === 13 && value >= MS_TIMESTAMPS.min && value < MS_TIMESTAMPS.max;
}

/** The connected account an "own ID" answer names (`… is the Page Northwind Outdoor, not a person's ID.`). */
export function ownAccountOf(message: string): { readonly kind: 'page' | 'instagram' | 'app'; readonly name: string } | undefined {
  const match = /^\d+ is (the Page|the app|the Instagram account of) (.*), not a person's ID\.$/.exec(message);
  if (!match) {
    return undefined;
  }
  const kinds = { 'the Page': 'page', 'the app': 'app', 'the Instagram account of': 'instagram' } as const;
  return { kind: kinds[match[1] as keyof typeof kinds], name: match[2] ?? '' };
}
