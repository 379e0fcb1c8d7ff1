import * as vscode from 'vscode';
import { Account } from '../../core/accounts/accounts';

export function kindLabel(account: Pick<Account, 'kind'>): string {
  return { app: () => vscode.l10n.t('App'), user: () => vscode.l10n.t('User'), page: () => vscode.l10n.t('Page') }[account.kind]();
}
