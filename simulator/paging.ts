import { errors, GraphErrorBody } from './graphError';

export interface PageRequest {
  readonly limit?: string | null;
  readonly after?: string | null;
  readonly before?: string | null;
}

export interface PagingFaults {
  /** Every `next` carries the same cursor (a broken server). */
  readonly repeatCursor?: boolean;
  /** Pages come back empty yet still have `next`. */
  readonly emptyPageWithNext?: boolean;
}

export interface Paged<T> {
  readonly data: T[];
  readonly paging?: { cursors: { before: string; after: string }; next?: string; previous?: string };
}

/** Opaque cursors, as Meta's look: base64 of a position, bound to the collection they came from. */
export function encodeCursor(key: string, offset: number): string {
  return Buffer.from(`${offset}:${key}`).toString('base64url');
}

let emptyPages = 0;

function decodeCursor(key: string, cursor: string): number | undefined {
  // A `#n` suffix marks cursors of injected empty pages: same position, different cursor.
  const text = Buffer.from(cursor, 'base64url').toString().replace(/#\d+$/, '');
  const colon = text.indexOf(':');
  const offset = Number(text.slice(0, colon));
  return colon > 0 && text.slice(colon + 1) === key && Number.isInteger(offset) && offset >= 0 ? offset : undefined;
}

/**
 * Slices a collection by cursor. `nextUrl` builds the absolute URL for a cursor (Meta's `next`
 * and `previous` links); `key` identifies the collection so a cursor cannot be replayed elsewhere.
 */
export function paginate<T>(
  items: readonly T[],
  key: string,
  request: PageRequest,
  defaults: { limit: number; max: number },
  nextUrl: (param: 'after' | 'before', cursor: string) => string,
  faults: PagingFaults = {},
): Paged<T> | GraphErrorBody {
  const requested = request.limit === undefined || request.limit === null ? defaults.limit : Number(request.limit);
  if (!Number.isInteger(requested) || requested < 0) {
    return errors.badParam('Param limit must be a non-negative integer');
  }
  const limit = Math.min(Math.max(requested, 1), defaults.max);
  let start = 0;
  let end: number;
  if (request.after) {
    const offset = decodeCursor(key, request.after);
    if (offset === undefined || offset > items.length) {
      return errors.badParam('The After Cursor specified exceeds the max limit supported by this endpoint');
    }
    start = offset;
    end = Math.min(items.length, start + limit);
  } else if (request.before) {
    const offset = decodeCursor(key, request.before);
    if (offset === undefined || offset > items.length) {
      return errors.badParam('The Before Cursor specified is invalid');
    }
    end = offset;
    start = Math.max(0, end - limit);
  } else {
    end = Math.min(items.length, limit);
  }
  if (faults.emptyPageWithNext) {
    const cursor = Buffer.from(`${start}:${key}#${++emptyPages}`).toString('base64url');
    return { data: [], paging: { cursors: { before: cursor, after: cursor }, next: nextUrl('after', cursor) } };
  }
  const data = items.slice(start, end);
  if (data.length === 0) {
    return { data };
  }
  const before = encodeCursor(key, start);
  const after = faults.repeatCursor && request.after ? request.after : encodeCursor(key, end);
  return {
    data,
    paging: {
      cursors: { before, after },
      ...(end < items.length || faults.repeatCursor ? { next: nextUrl('after', after) } : {}),
      ...(start > 0 ? { previous: nextUrl('before', before) } : {}),
    },
  };
}
