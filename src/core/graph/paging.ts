import { GraphError } from './errors';
import { array, Json, object, optionalString } from './decode';

/** One page of a cursor-paged edge. `after` is set only when the API says there is a next page. */
export interface Page<T> {
  readonly items: T[];
  readonly after?: string;
}

/**
 * Decodes `{data, paging}`. A missing `next` means the last page, even if cursors are present.
 * The `next` URL itself is never followed: it can carry the access token, so the next request is
 * rebuilt from the `after` cursor.
 */
export function decodePage<T>(body: unknown, path: string, item: (raw: Json, path: string) => T): Page<T> {
  const obj = object(body, path);
  const data = array(obj.data, `${path}.data`);
  const items = data.map((raw, i) => item(object(raw, `${path}.data[${i}]`), `${path}.data[${i}]`));
  const paging = obj.paging === undefined || obj.paging === null ? undefined : object(obj.paging, `${path}.paging`);
  const next = paging ? optionalString(paging, 'next', `${path}.paging`) : undefined;
  if (!paging || next === undefined) {
    return { items };
  }
  const cursors = paging.cursors === undefined ? undefined : object(paging.cursors, `${path}.paging.cursors`);
  let after = cursors ? optionalString(cursors, 'after', `${path}.paging.cursors`) : undefined;
  if (after === undefined) {
    after = afterFromNext(next);
  }
  if (after === undefined) {
    throw new GraphError({
      kind: 'malformed',
      field: `${path}.paging.cursors.after`,
      message: 'The Graph API gave a next page without an after cursor.',
    });
  }
  return { items, after };
}

function afterFromNext(next: string): string | undefined {
  try {
    return new URL(next).searchParams.get('after') ?? undefined;
  } catch {
    return undefined;
  }
}

export interface PageAllOptions {
  /** Stop after this many pages. */
  readonly maxPages?: number;
  /** Stop after this many items. */
  readonly maxItems?: number;
  readonly signal?: AbortSignal;
}

/**
 * Follows `after` cursors until the last page. A cursor that comes back again is an error:
 * a broken server must not make the client loop forever. Empty pages with a next cursor are
 * followed (the API allows them) but bounded by maxPages.
 */
export async function* pageAll<T>(
  fetchPage: (after: string | undefined) => Promise<Page<T>>,
  options: PageAllOptions = {},
): AsyncGenerator<Page<T>> {
  const seen = new Set<string>();
  const maxPages = options.maxPages ?? 1000;
  let after: string | undefined;
  let items = 0;
  for (let pages = 0; pages < maxPages; pages++) {
    if (options.signal?.aborted) {
      throw new GraphError({ kind: 'cancelled', message: 'Paging was cancelled.' });
    }
    const page = await fetchPage(after);
    yield page;
    items += page.items.length;
    if (page.after === undefined || (options.maxItems !== undefined && items >= options.maxItems)) {
      return;
    }
    if (seen.has(page.after)) {
      throw new GraphError({
        kind: 'malformed',
        field: 'paging.cursors.after',
        message: 'The Graph API returned the same paging cursor twice; stopped to avoid an endless loop.',
      });
    }
    seen.add(page.after);
    after = page.after;
  }
}
