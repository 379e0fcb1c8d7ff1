import * as vscode from 'vscode';
import { ResolutionCache } from '../../core/ids/cache';
import { OwnerHint } from '../../core/ids/extract';
import { candidateOwners, Owner, Resolution, resolveId, ResolveFilter, UnresolvedError } from '../../core/ids/resolve';
import { resolveMany } from '../../core/ids/resolveMany';
import { GraphClient } from '../../core/graph/client';
import { Credentials } from '../../core/graph/transport';
import { AccountService } from '../accounts/accountService';
import { Logger } from '../logger';
import { setting } from '../settings';

const CACHE_KEY = 'messengerExplorer.linkedIdsCache';

/** ID resolution for the current Graph host: cached, with the accounts that can see each ID. */
export class IdResolver implements vscode.Disposable {
  readonly cache: ResolutionCache;
  private persistTimer: ReturnType<typeof setTimeout> | undefined;
  /** Moves on when the cache is cleared: answers to questions asked before are not kept. */
  private epoch = 0;

  constructor(
    private readonly accounts: AccountService,
    private readonly state: vscode.Memento,
    private readonly log: Logger,
  ) {
    this.cache = new ResolutionCache(() => cacheMinutes() * 60_000);
    this.cache.restore(state.get(CACHE_KEY));
  }

  cached(id: string): Resolution | undefined {
    const endpoint = this.accounts.endpoint;
    return endpoint.ok ? this.cache.get(endpoint.hostKey, id) : undefined;
  }

  /** One ID: from the cache, or with the combined query through the accounts that can see it. */
  async resolve(
    id: string,
    options: { filter?: ResolveFilter; hint?: { kind: 'page' | 'app'; id: string }; signal?: AbortSignal; useCache?: boolean } = {},
  ): Promise<Resolution> {
    const host = this.accounts.host();
    const epoch = this.epoch;
    const filtered = Boolean(options.filter?.app || options.filter?.page);
    const hit = options.useCache === false || filtered ? undefined : this.cache.get(host, id);
    if (hit) {
      this.log.trace(`Linked IDs of ${id} from the cache`);
      return hit;
    }
    const owners = await this.owners(options.hint ?? this.cache.ownerHint(host, id));
    const resolution = await resolveId((owner, work) => this.call(owner, work), id, owners, options.filter, undefined, options.signal);
    this.log.info(
      `Resolved ${id} via ${resolution.via.kind} ${resolution.via.id}: ${resolution.idsForApps.length} app(s), ${resolution.idsForPages.length} Page(s)`,
    );
    if (!filtered && epoch === this.epoch) {
      this.remember(host, resolution);
    }
    return resolution;
  }

  /** Many IDs, 50 per request, with at most `concurrency` requests in flight. */
  async resolveAll(
    ids: readonly string[],
    options: {
      filter?: ResolveFilter;
      signal?: AbortSignal;
      onProgress?: (done: number, total: number) => void;
      hints?: ReadonlyMap<string, OwnerHint>;
    } = {},
  ): Promise<Map<string, Resolution | UnresolvedError>> {
    const host = this.accounts.host();
    const epoch = this.epoch;
    const out = new Map<string, Resolution | UnresolvedError>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const hit = this.cache.get(host, id);
      if (hit && !options.filter?.app && !options.filter?.page) {
        out.set(id, hit);
      } else {
        missing.push(id);
      }
    }
    const owners = await this.owners();
    const fetched = await resolveMany((owner, work) => this.call(owner, work), missing, owners, {
      filter: options.filter,
      hints: new Map([...this.cache.ownerHints(host, missing), ...(options.hints ?? [])]),
      concurrency: concurrency(),
      signal: options.signal,
      onProgress: (done) => options.onProgress?.(out.size + done, out.size + missing.length),
    });
    for (const [id, result] of fetched) {
      out.set(id, result);
      if (!(result instanceof UnresolvedError) && !options.filter?.app && !options.filter?.page && epoch === this.epoch) {
        this.cache.set(host, result);
      }
    }
    this.schedulePersist();
    return out;
  }

  /** Forgets every resolution (names and IDs of people), in memory and in globalState. */
  clearCache(): Thenable<void> {
    this.epoch += 1;
    if (this.persistTimer) {
      clearTimeout(this.persistTimer);
      this.persistTimer = undefined;
    }
    this.cache.clear();
    return this.state.update(CACHE_KEY, undefined);
  }

  /** The IDs of the connected Pages, their Instagram accounts and apps: owners a file may name, never people. */
  async accountIds(): Promise<Set<string>> {
    const [pages, apps] = [await this.accounts.pages(), await this.accounts.apps()];
    return new Set([...pages.flatMap((p) => (p.instagram ? [p.id, p.instagram.id] : [p.id])), ...apps.map((a) => a.id)]);
  }

  private async owners(hint?: { kind: 'page' | 'app'; id: string }): Promise<Owner[]> {
    const [pages, apps] = [await this.accounts.pages(), await this.accounts.apps()];
    return candidateOwners(pages, apps, hint);
  }

  private call<T>(owner: Owner, work: (client: GraphClient, credentials: Credentials) => Promise<T>): Promise<T> {
    return this.accounts.call(owner.account, work);
  }

  private remember(host: string, resolution: Resolution): void {
    this.cache.set(host, resolution);
    this.schedulePersist();
  }

  /** globalState gets IDs, names and times only: a Resolution never holds a token. */
  private schedulePersist(): void {
    if (this.persistTimer) {
      return;
    }
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      void this.state.update(CACHE_KEY, this.cache.snapshot());
    }, 200);
  }

  dispose(): void {
    if (this.persistTimer) {
      clearTimeout(this.persistTimer);
      void this.state.update(CACHE_KEY, this.cache.snapshot());
    }
  }
}

function cacheMinutes(): number {
  return setting('linkedIds.cacheMinutes');
}

function concurrency(): number {
  return setting('linkedIds.concurrency');
}
