import * as vscode from 'vscode';
import { Commands } from '../constants';
import { Account } from '../../core/accounts/accounts';
import { tokenHealth } from '../../core/accounts/tokenHealth';
import { expiryWarningDays } from '../settings';

/** Warns once per window about each token that is about to expire or has expired. */
export class ExpiryWarnings {
  private readonly warned = new Set<string>();

  constructor(private readonly nowS: () => number = () => Math.floor(Date.now() / 1000)) {}

  check(accounts: readonly Account[]): void {
    for (const account of accounts) {
      if (account.kind === 'app') {
        continue;
      }
      const health = tokenHealth(account, this.nowS(), expiryWarningDays());
      const key = `${account.kind}/${account.id}/${account.expiresAt ?? ''}`;
      if ((health.state !== 'expiring' && health.state !== 'expired') || this.warned.has(key)) {
        continue;
      }
      this.warned.add(key);
      const message =
        health.state === 'expired'
          ? vscode.l10n.t('The token of {0} has expired.', account.name)
          : vscode.l10n.t('The token of {0} expires in {1} days.', account.name, health.daysLeft);
      const renew = vscode.l10n.t('Renew…');
      const update = vscode.l10n.t('Update Token…');
      void vscode.window.showWarningMessage(message, renew, update).then((choice) => {
        if (choice === renew) {
          // Signing in again gives a new user token and new Page tokens.
          void vscode.commands.executeCommand(Commands.renew);
        } else if (choice === update) {
          void vscode.commands.executeCommand(Commands.updateToken, { account });
        }
      });
    }
  }
}
