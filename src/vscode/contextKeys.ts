import * as vscode from 'vscode';

/** Context keys used in `when` clauses of package.json. */
export const ContextKeys = {
  /** At least one Page is connected: the conversations tree has something to show. */
  hasAccounts: 'messengerExplorer.hasAccounts',
  /** Any account (app, user or Page) is stored. */
  hasAnyAccount: 'messengerExplorer.hasAnyAccount',
  /** The conversations tree shows only threads matching a filter. */
  filtered: 'messengerExplorer.filtered',
  /** Requests go to the local simulator: no facebook.com link is offered for its made-up threads. */
  simulatorHost: 'messengerExplorer.simulatorHost',
  /** The Webhook Deliveries view's welcome: `meta` (not on the simulator), `noKey`, or `ready`. */
  deliveries: 'messengerExplorer.deliveriesState',
} as const;

export function setContext(key: (typeof ContextKeys)[keyof typeof ContextKeys], value: unknown): void {
  void vscode.commands.executeCommand('setContext', key, value);
}
