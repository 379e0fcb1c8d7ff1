import { TokenFacts } from './accounts';

export type TokenHealth =
  | { readonly state: 'never' }
  | { readonly state: 'unknown' }
  | { readonly state: 'ok'; readonly expiresAt: number; readonly daysLeft: number }
  | { readonly state: 'expiring'; readonly expiresAt: number; readonly daysLeft: number }
  | { readonly state: 'expired'; readonly expiresAt: number };

const DAY_S = 86_400;

/** Whether a token is near its expiry, from what /debug_token reported. */
export function tokenHealth(facts: TokenFacts, nowS: number, warnDays: number): TokenHealth {
  const expiresAt = facts.expiresAt;
  if (expiresAt === undefined) {
    return { state: 'unknown' };
  }
  if (expiresAt === 0) {
    return { state: 'never' };
  }
  if (expiresAt <= nowS) {
    return { state: 'expired', expiresAt };
  }
  const daysLeft = Math.floor((expiresAt - nowS) / DAY_S);
  return { state: expiresAt - nowS <= warnDays * DAY_S ? 'expiring' : 'ok', expiresAt, daysLeft };
}

/** Scopes the explorer needs; a missing one is shown as a warning on the account. */
export const NEEDED_SCOPES: Record<'user' | 'page', readonly string[]> = {
  user: ['pages_show_list', 'pages_messaging'],
  page: ['pages_messaging'],
};

export function missingScopes(kind: 'user' | 'page', facts: TokenFacts): string[] {
  if (facts.scopes.length === 0) {
    return [];
  }
  return NEEDED_SCOPES[kind].filter((s) => !facts.scopes.includes(s));
}
