import * as vscode from 'vscode';
import { activateExtension, TestApi } from './vscode/activate';

/** Entry point of the web extension (vscode.dev, github.dev, a browser's web worker host). */
export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  return activateExtension(context, { kind: 'browser' });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
