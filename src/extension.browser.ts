import * as vscode from 'vscode';
import { activateExtension, TestApi } from './vscode/activate';
import { setExtensionRuntime } from './vscode/runtime';

/** Entry point of the web extension (vscode.dev, github.dev, a browser's web worker host). */
export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  setExtensionRuntime('browser');
  return activateExtension(context);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
