import * as vscode from 'vscode';

/** Context keys used in `when` clauses of package.json. */
export const ContextKeys = {
  hasAccounts: 'messengerExplorer.hasAccounts',
} as const;

export function setContext(key: (typeof ContextKeys)[keyof typeof ContextKeys], value: unknown): void {
  void vscode.commands.executeCommand('setContext', key, value);
}
