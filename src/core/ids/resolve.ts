import { AppAccount, appCredentials, credentialsFor, PageAccount } from '../accounts/accounts';
import { GraphClient, LinkedIds } from '../graph/client';
import { GraphError, GraphErrorKind } from '../graph/errors';
import { Credentials } from '../graph/transport';

/** An account an ID can be looked up with: a Page (for PSIDs) or an app (for ASIDs). */
export type Owner = { readonly kind: 'page'; readonly account: PageAccount } | { readonly kind: 'app'; readonly account: AppAccount };

export interface Resolution extends LinkedIds {
  /** Which account answered, so the user knows whose IDs these are. */
  readonly via: { readonly kind: 'page' | 'app'; readonly id: string; readonly name: string };
  /** Epoch ms of the lookup. */
  readonly resolvedAt: number;
}

export interface ResolveFilter {
  readonly app?: string;
  readonly page?: string;
}

/**
 * The order to try accounts in: a known owner first (the Page a thread came from, or the one that
 * answered last time), then Pages (bots mostly meet PSIDs), then apps (ASIDs).
 */
export function candidateOwners(
  pages: readonly PageAccount[],
  apps: readonly AppAccount[],
  hint?: { kind: 'page' | 'app'; id: string },
): Owner[] {
  const owners: Owner[] = [
    ...pages.map((account): Owner => ({ kind: 'page', account })),
    ...apps.map((account): Owner => ({ kind: 'app', account })),
  ];
  if (!hint) {
    return owners;
  }
  const preferred = owners.findIndex((o) => o.kind === hint.kind && o.account.id === hint.id);
  if (preferred > 0) {
    owners.unshift(...owners.splice(preferred, 1));
  }
  return owners;
}

export function ownerCredentials(owner: Owner, apps: readonly AppAccount[]): Credentials {
  return owner.kind === 'app' ? appCredentials(owner.account) : credentialsFor(owner.account, apps);
}

/** Failures that mean "not this account's ID": try the next one. */
const TRY_NEXT: readonly GraphErrorKind[] = ['notFound', 'badRequest', 'businessReview', 'permission', 'appSecretProof', 'invalidToken'];
/** When every account failed, the failure worth telling, most useful first. */
const MEANING: readonly GraphErrorKind[] = ['appSecretProof', 'permission', 'businessReview', 'invalidToken', 'badRequest', 'notFound'];

export class UnresolvedError extends Error {
  constructor(
    readonly id: string,
    readonly tried: number,
    readonly reason: GraphError | undefined,
  ) {
    super(reason ? reason.message : `No connected account can see ${id}.`);
    this.name = 'UnresolvedError';
  }
}

/**
 * The seeds' combined query, `?fields=name,ids_for_apps,ids_for_pages`, with each candidate
 * account until one can see the ID. With a Page token this covers PSID → ids_for_apps and
 * PSID → ids_for_pages; with an app token, ASID → ids_for_pages and ASID → ids_for_apps.
 */
export async function resolveId(
  call: (owner: Owner, work: (client: GraphClient, credentials: Credentials) => Promise<LinkedIds>) => Promise<LinkedIds>,
  id: string,
  owners: readonly Owner[],
  filter: ResolveFilter = {},
  nowMs: () => number = () => Date.now(),
  signal?: AbortSignal,
): Promise<Resolution> {
  const failures: GraphError[] = [];
  for (const owner of owners) {
    try {
      const linked = await call(owner, async (client, creds) => {
        try {
          return await client.linkedIds(creds, id, filter, signal);
        } catch (error) {
          if (!notInstalled(error) || owner.kind !== 'page') {
            throw error;
          }
          // The person never used this Page's app: there are no ASIDs, but the other Pages still link.
          return client.linkedIds(creds, id, { ...filter, pagesOnly: true }, signal);
        }
      });
      return { ...linked, via: { kind: owner.kind, id: owner.account.id, name: owner.account.name }, resolvedAt: nowMs() };
    } catch (error) {
      if (error instanceof GraphError && TRY_NEXT.includes(error.kind)) {
        failures.push(error);
        continue;
      }
      throw error;
    }
  }
  throw new UnresolvedError(id, owners.length, mostMeaningful(failures));
}

/** `(#10)` "the user has not installed the app": ids_for_apps is empty by definition, not an error. */
export function notInstalled(error: unknown): boolean {
  return error instanceof GraphError && error.kind === 'permission' && error.code === 10 && /install/i.test(error.message);
}

export function mostMeaningful(failures: readonly GraphError[]): GraphError | undefined {
  return [...failures].sort((a, b) => MEANING.indexOf(a.kind) - MEANING.indexOf(b.kind))[0];
}

/** `1234 app=567 page=890`: an ID with the optional filters the command palette accepts. */
export function parseResolveQuery(text: string): { id?: string; filter: ResolveFilter; error?: string } {
  // A value pasted from JSON or a log comes with its quotes and a trailing comma: `"3506459779380004",`.
  const parts = text
    .trim()
    .split(/\s+/)
    .map((part) => part.replace(/^["'`]+/, '').replace(/["'`,;]+$/, ''))
    .filter(Boolean);
  let id: string | undefined;
  const filter: { app?: string; page?: string } = {};
  for (const part of parts) {
    const match = /^(app|page)=(\d{5,25})$/.exec(part);
    if (match) {
      filter[match[1] as 'app' | 'page'] = match[2];
    } else if (/^\d{5,25}$/.test(part) && id === undefined) {
      id = part;
    } else {
      return { filter, error: part };
    }
  }
  return { id, filter };
}
