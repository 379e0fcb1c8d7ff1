/** Rate-limit usage as Meta reports it in response headers: whole-number percentages. */
export interface UsageFigures {
  readonly callCount: number;
  readonly totalTime: number;
  readonly totalCputime: number;
  /** Minutes until calls are allowed again (business use case headers only). */
  readonly estimatedTimeToRegainAccess?: number;
  readonly type?: string;
}

export interface BusinessUsage extends UsageFigures {
  readonly businessObjectId: string;
}

export interface Usage {
  readonly app?: UsageFigures;
  readonly page?: UsageFigures;
  readonly business: readonly BusinessUsage[];
}

export type HeaderLookup = (name: string) => string | null | undefined;

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function parseJson(text: string | null | undefined): unknown {
  if (!text) {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function figures(raw: unknown): UsageFigures | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  const eta = r.estimated_time_to_regain_access;
  return {
    callCount: num(r.call_count),
    totalTime: num(r.total_time),
    totalCputime: num(r.total_cputime),
    ...(typeof eta === 'number' ? { estimatedTimeToRegainAccess: eta } : {}),
    ...(typeof r.type === 'string' ? { type: r.type } : {}),
  };
}

/** Parses X-App-Usage, X-Business-Use-Case-Usage and the legacy X-Page-Usage. Bad headers are ignored. */
export function parseUsage(header: HeaderLookup): Usage {
  const business: BusinessUsage[] = [];
  const buc = parseJson(header('x-business-use-case-usage'));
  if (buc && typeof buc === 'object' && !Array.isArray(buc)) {
    for (const [businessObjectId, entries] of Object.entries(buc as Record<string, unknown>)) {
      for (const entry of Array.isArray(entries) ? entries : []) {
        const f = figures(entry);
        if (f) {
          business.push({ businessObjectId, ...f });
        }
      }
    }
  }
  const app = figures(parseJson(header('x-app-usage')));
  const page = figures(parseJson(header('x-page-usage')));
  return { ...(app ? { app } : {}), ...(page ? { page } : {}), business };
}

/** The highest of the three percentages across every reported figure: 100 means blocked. */
export function peakUsage(usage: Usage): number {
  const all = [usage.app, usage.page, ...usage.business].filter((f): f is UsageFigures => f !== undefined);
  return all.reduce((max, f) => Math.max(max, f.callCount, f.totalTime, f.totalCputime), 0);
}
