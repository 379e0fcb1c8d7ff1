import * as vscode from 'vscode';
import { activateExtension, TestApi } from './vscode/activate';

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  return activateExtension(context);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
