import * as vscode from 'vscode';
import { ExtensionRuntime } from '../runtime';
import { HAD_ACCOUNTS_KEY, secretsHost, SecretsHost, vanishedAccounts } from './secretsHost';

/** Context keys for the welcome view's per-host text (where tokens are kept). */
export const HostContextKeys = {
  webHost: 'messengerExplorer.webHost',
  remoteHost: 'messengerExplorer.remoteHost',
  /** Set once a Resolve Linked IDs succeeded: the walkthrough's "resolve" step completes on it. */
  resolvedAnId: 'messengerExplorer.resolvedAnId',
} as const;

/** Sets the host's context keys at activation; returns the kind of host. */
export function setHostContext(runtime: ExtensionRuntime): SecretsHost {
  const host = secretsHost({ runtime: runtime.kind, webUi: vscode.env.uiKind === vscode.UIKind.Web, remoteName: vscode.env.remoteName });
  void vscode.commands.executeCommand('setContext', HostContextKeys.webHost, host === 'web');
  void vscode.commands.executeCommand('setContext', HostContextKeys.remoteHost, host === 'remote');
  return host;
}

/** The walkthrough's "resolve" step is done: a resolution succeeded. */
export function markResolvedAnId(): void {
  void vscode.commands.executeCommand('setContext', HostContextKeys.resolvedAnId, true);
}

/**
 * Follows the stored accounts with a non-secret marker in globalState. The first reading after
 * start that finds none while the marker says there were tells the user once why (a host that keeps
 * secrets only in memory); returns whether it told.
 */
export class AccountsMemory {
  private checked = false;

  constructor(
    private readonly globalState: vscode.Memento,
    private readonly host: SecretsHost,
  ) {}

  async sync(storedNow: number): Promise<boolean> {
    const first = !this.checked;
    this.checked = true;
    const { tell, marker } = vanishedAccounts(this.globalState.get<boolean>(HAD_ACCOUNTS_KEY) === true, storedNow);
    if (this.globalState.get<boolean>(HAD_ACCOUNTS_KEY) !== marker) {
      await this.globalState.update(HAD_ACCOUNTS_KEY, marker);
    }
    if (!first || !tell) {
      return false;
    }
    const text =
      this.host === 'web'
        ? vscode.l10n.t(
            'The accounts connected before are gone: this browser host kept their tokens only in memory (it provides no lasting secret storage), so a reload removed them. Connect them again; they last until the next reload.',
          )
        : vscode.l10n.t(
            "The accounts connected before are gone: VS Code's secret storage returned none of their tokens (the keychain was reset or is not available). Connect them again.",
          );
    void vscode.window.showInformationMessage(text);
    return true;
  }
}
