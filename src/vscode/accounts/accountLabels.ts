import * as vscode from 'vscode';
import { Account } from '../../core/accounts/accounts';

export function kindLabel(account: Pick<Account, 'kind'>): string {
  return account.kind === 'app' ? vscode.l10n.t('App') : account.kind === 'user' ? vscode.l10n.t('User') : vscode.l10n.t('Page');
}
