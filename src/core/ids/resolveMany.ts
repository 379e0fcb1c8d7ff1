import { mapLimit } from '../concurrency';
import { GraphClient, LinkedIds } from '../graph/client';
import { GraphError } from '../graph/errors';
import { Credentials } from '../graph/transport';
import { mostMeaningful, notInstalled, Owner, Resolution, ResolveFilter, UnresolvedError } from './resolve';

const CHUNK = 50;

export interface ResolveManyOptions {
  readonly filter?: ResolveFilter;
  /** Requests in flight at once. */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly nowMs?: () => number;
  /** Called as IDs are settled, with how many of the total are done. */
  readonly onProgress?: (done: number, total: number) => void;
}

type Call = <T>(owner: Owner, work: (client: GraphClient, credentials: Credentials) => Promise<T>) => Promise<T>;

/**
 * Resolves many IDs with as few requests as possible: each candidate account gets the still
 * unresolved IDs 50 at a time through one `?ids=` request. When such a request fails (one of the
 * IDs is not that account's), one batch request sorts the chunk out ID by ID, and whatever is
 * left goes on to the next account.
 */
export async function resolveMany(call: Call, ids: readonly string[], owners: readonly Owner[], options: ResolveManyOptions = {}): Promise<Map<string, Resolution | UnresolvedError>> {
  const distinct = [...new Set(ids)];
  const results = new Map<string, Resolution | UnresolvedError>();
  const failures = new Map<string, GraphError[]>();
  const now = options.nowMs ?? (() => Date.now());
  let pending = distinct;
  const settle = (id: string, value: Resolution | UnresolvedError) => {
    results.set(id, value);
    options.onProgress?.(results.size, distinct.length);
  };

  for (const owner of owners) {
    if (pending.length === 0 || options.signal?.aborted) {
      break;
    }
    const via = { kind: owner.kind, id: owner.account.id, name: owner.account.name };
    const chunks: string[][] = [];
    for (let i = 0; i < pending.length; i += CHUNK) {
      chunks.push(pending.slice(i, i + CHUNK));
    }
    const leftovers = await mapLimit(chunks, options.concurrency ?? 4, async (chunk) => {
      let found: Map<string, LinkedIds | GraphError>;
      try {
        const many = await call(owner, (client, creds) => client.linkedIdsMany(creds, chunk, options.filter, options.signal));
        found = new Map(chunk.map((id) => [id, many.get(id) ?? new GraphError({ kind: 'notFound', message: `${id} is missing from the response.` })]));
      } catch (error) {
        if (error instanceof GraphError && error.kind === 'invalidToken') {
          // This account's token is rejected: the others may still answer.
          chunk.forEach((id) => failures.set(id, [...(failures.get(id) ?? []), error]));
          return chunk;
        }
        if (!(error instanceof GraphError) || error.kind === 'cancelled' || error.kind === 'rateLimited' || error.kind === 'hostRefused') {
          throw error;
        }
        found = await call(owner, (client, creds) => client.linkedIdsEach(creds, chunk, options.filter, options.signal));
        const notUsers = owner.kind === 'page' ? chunk.filter((id) => notInstalled(found.get(id))) : [];
        if (notUsers.length > 0) {
          // People who never used the Page's app: their other Pages' IDs are still there.
          const pagesOnly = await call(owner, (client, creds) => client.linkedIdsEach(creds, notUsers, { ...options.filter, pagesOnly: true }, options.signal));
          pagesOnly.forEach((value, id) => found.set(id, value));
        }
      }
      const left: string[] = [];
      for (const id of chunk) {
        const value = found.get(id);
        if (value === undefined || value instanceof GraphError) {
          failures.set(id, [...(failures.get(id) ?? []), ...(value ? [value] : [])]);
          left.push(id);
        } else {
          settle(id, { ...value, via, resolvedAt: now() });
        }
      }
      return left;
    }, options.signal);
    pending = leftovers.flat();
  }
  for (const id of pending) {
    settle(id, new UnresolvedError(id, owners.length, mostMeaningful(failures.get(id) ?? [])));
  }
  return results;
}
