import * as vscode from 'vscode';
import { DisposableStore } from '../../core/events';
import { redact } from '../redaction';

export const SCHEME = 'messenger-explorer';

/**
 * Read-only virtual documents: message details and raw JSON. Content is prepared by the command
 * that opens it (which shows progress and errors) and kept here while the document is open.
 */
export class ExplorerDocuments extends DisposableStore implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;

  constructor() {
    super();
    this._register(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === SCHEME) {
          this.contents.delete(doc.uri.toString());
        }
      }),
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.contents.get(uri.toString()) ?? vscode.l10n.t('This document is no longer available. Open it again from the Conversations view.')
    );
  }

  async open(path: string, content: string, language: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: SCHEME, path });
    this.contents.set(uri.toString(), redact(content));
    this.changed.fire(uri);
    const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), language);
    return vscode.window.showTextDocument(document, { preview: true, preserveFocus: true });
  }
}
