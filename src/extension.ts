import * as vscode from 'vscode';
import { activateExtension, TestApi } from './vscode/activate';
import { setExtensionRuntime } from './vscode/runtime';

/** Environment variable through which `npm start` hands over the simulator it started (address and control key). */
const SIMULATOR_ENV = 'MESSENGER_EXPLORER_SIMULATOR_URL';

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  setExtensionRuntime('node', process.env[SIMULATOR_ENV]);
  return activateExtension(context);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
