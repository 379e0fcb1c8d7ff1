import { AppAccount, PageAccount } from '../../../src/core/accounts/accounts';
import { GraphError } from '../../../src/core/graph/errors';

/** Page n of the bulk-resolution tests, optionally with a linked Instagram account. */
export const page = (n: number, instagram?: string): PageAccount => ({
  kind: 'page',
  id: `10000${n}`,
  name: `Page ${n}`,
  token: `token-page-${n}`,
  tasks: [],
  scopes: [],
  ...(instagram ? { instagram: { id: instagram } } : {}),
});
export const app = (n: number): AppAccount => ({ kind: 'app', id: `20000${n}`, name: `App ${n}`, secret: `secret${n}` });

/** Meta's answers for an ID an account cannot see, and for a person who never used the Page's app. */
export const notFound = (id: string) =>
  new GraphError({ kind: 'notFound', code: 100, subcode: 33, message: `Unsupported get request. Object with ID '${id}' does not exist` });
export const notInstalledError = () =>
  new GraphError({ kind: 'permission', code: 10, message: '(#10) The user has not installed the app making the request' });

/** A page of a Page's inbox as the fake Graphs serve it: `pageSize` threads from the offset `after`, and the next offset. */
export function inboxPage<T>(all: readonly T[], after: string | undefined, pageSize = 100): { threads: T[]; after?: string } {
  const start = Number(after ?? 0);
  const end = start + pageSize;
  return { threads: all.slice(start, end), after: end < all.length ? String(end) : undefined };
}
