/** How much slower to refresh on its own when Meta reports rate-limit usage (percent); undefined: not at all. */
export function pacingFactor(usage: number): number | undefined {
  if (usage >= 90) {
    return undefined;
  }
  if (usage >= 75) {
    return 4;
  }
  return usage >= 50 ? 2 : 1;
}
