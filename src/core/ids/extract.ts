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
  const at = Math.max(0, Math.min(offset, text.length));
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
  const trimmed = selected.trim().replace(/^["'`]|["'`]$/g, '').trim();
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
