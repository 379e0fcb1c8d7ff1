import * as vscode from 'vscode';
import { Redactor } from '../core/redact';
import { Logger } from './logger';
import { SecretVault } from './secretVault';
import { ConversationsTreeProvider } from './views/conversationsTree';
import { registerCommand } from './commandRunner';

/** What integration tests reach through `extension.exports`; only returned in test mode. */
export interface TestApi {
  readonly vault: SecretVault;
  readonly conversations: ConversationsTreeProvider;
  readonly activationMs: number;
}

/** Composition root. Cheap by design: no network, no file reads, views load lazily. */
export function activateExtension(context: vscode.ExtensionContext): TestApi | undefined {
  const started = performance.now();
  const redactor = new Redactor();
  const log = new Logger(redactor);
  const vault = new SecretVault(context.secrets, redactor);
  const conversations = new ConversationsTreeProvider(vault);
  const conversationsView = vscode.window.createTreeView('messengerExplorer.conversations', {
    treeDataProvider: conversations,
    showCollapseAll: true,
  });

  context.subscriptions.push(
    log,
    conversations,
    conversationsView,
    // Fires in every window when any window changes a secret, so all views stay in step.
    context.secrets.onDidChange((e) => {
      if (vault.isOwnKey(e.key)) {
        conversations.refresh();
      }
    }),
    registerCommand(log, 'messengerExplorer.refresh', () => conversations.refresh()),
    registerCommand(log, 'messengerExplorer.showLog', () => log.show()),
  );

  const activationMs = performance.now() - started;
  log.info(`Activated in ${activationMs.toFixed(1)} ms`);
  return context.extensionMode === vscode.ExtensionMode.Test ? { vault, conversations, activationMs } : undefined;
}
