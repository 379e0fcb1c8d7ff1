import * as vscode from 'vscode';
import { redact } from './redaction';

/** The row a view shows instead of its content when the Graph host setting is refused. */
export function hostErrorItem(unsafeReason: string): vscode.TreeItem {
  const reason = redact(unsafeReason);
  const item = new vscode.TreeItem(vscode.l10n.t('Graph host not allowed'), vscode.TreeItemCollapsibleState.None);
  item.id = 'hostError';
  item.description = reason;
  item.tooltip = reason;
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  item.accessibilityInformation = { label: vscode.l10n.t('Graph host not allowed: {0}. Activate to open the setting.', reason) };
  item.command = {
    command: 'workbench.action.openSettings',
    title: vscode.l10n.t('Open Settings'),
    arguments: ['messengerExplorer.graph.host'],
  };
  return item;
}
