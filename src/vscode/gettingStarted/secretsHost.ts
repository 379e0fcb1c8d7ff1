/**
 * Where the host keeps secrets, and what to say when stored accounts vanished. Pure (no `vscode`):
 * the activation code passes in the facts, so unit tests can check every case.
 */
export type SecretsHost = 'desktop' | 'remote' | 'web';

/** Which kind of host this window is, as far as secrets go: VS Code's own UI decides where SecretStorage writes. */
export function secretsHost(facts: {
  readonly runtime: 'node' | 'browser';
  readonly webUi: boolean;
  readonly remoteName?: string;
}): SecretsHost {
  if (facts.runtime === 'browser' || facts.webUi) {
    return 'web';
  }
  return facts.remoteName ? 'remote' : 'desktop';
}

/** The non-secret marker kept in globalState: accounts were stored once in this profile. */
export const HAD_ACCOUNTS_KEY = 'messengerExplorer.hadAccounts';

/**
 * After reading the stored accounts at startup: whether to say that accounts this profile had are
 * gone (the host kept secrets only in memory), and what the marker should say from now on.
 */
export function vanishedAccounts(hadAccounts: boolean, storedNow: number): { readonly tell: boolean; readonly marker: boolean } {
  return { tell: hadAccounts && storedNow === 0, marker: storedNow > 0 };
}
