import { OwnerHint } from './extract';
import { Resolution } from './resolve';

/** What is kept between sessions: resolutions (IDs and names only, never a token) with their time. */
export type CacheSnapshot = Record<string, Resolution>;

/**
 * Resolved IDs per Graph host, for a configurable time. Also remembers which account answered,
 * so the next lookup of a related ID tries that account first.
 */
export class ResolutionCache {
  private readonly entries = new Map<string, Resolution>();

  constructor(
    private readonly ttlMs: () => number,
    private readonly nowMs: () => number = () => Date.now(),
  ) {}

  get(host: string, id: string): Resolution | undefined {
    const key = `${host}|${id}`;
    const entry = this.entries.get(key);
    if (entry && this.nowMs() - entry.resolvedAt > this.ttlMs()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  set(host: string, resolution: Resolution): void {
    this.entries.set(`${host}|${resolution.id}`, resolution);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** The account that resolved this ID or one of its linked IDs, if any did. */
  ownerHint(host: string, id: string): { kind: 'page' | 'app'; id: string } | undefined {
    const direct = this.get(host, id);
    if (direct) {
      return direct.via;
    }
    for (const [key, entry] of this.entries) {
      if (key.startsWith(`${host}|`) && (entry.idsForPages.some((p) => p.id === id) || entry.idsForApps.some((a) => a.id === id))) {
        const page = entry.idsForPages.find((p) => p.id === id);
        if (page) {
          return { kind: 'page', id: page.page.id };
        }
        const app = entry.idsForApps.find((a) => a.id === id);
        return app ? { kind: 'app', id: app.app.id } : undefined;
      }
    }
    return undefined;
  }

  /**
   * The accounts that answered for these IDs or for an ID linked to them, in one pass over the cache:
   * where a bulk resolution asks first (not certain: the person may have been seen elsewhere).
   */
  ownerHints(host: string, ids: Iterable<string>): Map<string, OwnerHint> {
    const wanted = new Set(ids);
    const out = new Map<string, OwnerHint>();
    const prefix = `${host}|`;
    for (const [key, entry] of this.entries) {
      if (!key.startsWith(prefix) || this.nowMs() - entry.resolvedAt > this.ttlMs()) {
        continue;
      }
      if (wanted.has(entry.id)) {
        out.set(entry.id, { id: entry.via.id, certain: false });
      }
      for (const p of entry.idsForPages) {
        if (wanted.has(p.id) && !out.has(p.id)) {
          out.set(p.id, { id: p.page.id, certain: false });
        }
      }
      for (const a of entry.idsForApps) {
        if (wanted.has(a.id) && !out.has(a.id)) {
          out.set(a.id, { id: a.app.id, certain: false });
        }
      }
    }
    return out;
  }

  snapshot(): CacheSnapshot {
    const out: CacheSnapshot = {};
    for (const [key, entry] of this.entries) {
      if (this.nowMs() - entry.resolvedAt <= this.ttlMs()) {
        out[key] = entry;
      }
    }
    return out;
  }

  restore(snapshot: unknown): void {
    if (typeof snapshot !== 'object' || snapshot === null) {
      return;
    }
    for (const [key, value] of Object.entries(snapshot)) {
      if (isResolution(value) && this.nowMs() - value.resolvedAt <= this.ttlMs()) {
        this.entries.set(key, value);
      }
    }
  }
}

function isResolution(value: unknown): value is Resolution {
  const r = value as Partial<Resolution> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.id === 'string' &&
    typeof r.resolvedAt === 'number' &&
    Array.isArray(r.idsForApps) &&
    Array.isArray(r.idsForPages) &&
    typeof r.via === 'object' &&
    r.via !== null
  );
}
