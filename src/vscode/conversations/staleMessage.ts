import * as vscode from 'vscode';
import { ConversationExplorer, StaleLists } from '../../core/explorer/conversationExplorer';
import { ExplorerNode } from '../../core/explorer/nodes';

/** The view's message while it shows lists a Refresh All could not reload. */
export function staleText(stale: StaleLists | undefined, fallbackHost: string): string | undefined {
  if (!stale) {
    return undefined;
  }
  return vscode.l10n.t('Could not refresh: {0} did not answer. Showing what was loaded before.', stale.origin ?? fallbackHost);
}

/** Keeps the Conversations view's message in step with the explorer's stale state. */
export function showStaleLists(explorer: ConversationExplorer, view: vscode.TreeView<ExplorerNode>, host: () => string): vscode.Disposable {
  return explorer.onDidChangeStale((stale) => {
    view.message = staleText(stale, host());
  });
}
