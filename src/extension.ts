import * as vscode from 'vscode';
import { activateExtension, TestApi } from './vscode/activate';

/** Environment variable through which `npm start` hands over the simulator it started (address and control key). */
const SIMULATOR_ENV = 'MESSENGER_EXPLORER_SIMULATOR_URL';

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  return activateExtension(context, { kind: 'node', launcherSimulatorUrl: process.env[SIMULATOR_ENV] || undefined });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
