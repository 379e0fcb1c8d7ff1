import * as vscode from 'vscode';
import type { TestApi } from '../../../src/vscode/activate';

export const EXTENSION_ID = 'messenger-explorer.messenger-explorer';

/** Activates the extension under test and returns its test-mode API. */
export async function activateExtension(): Promise<TestApi> {
  const extension = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
  if (!extension) {
    throw new Error(`Extension ${EXTENSION_ID} is not installed in this VS Code.`);
  }
  const api = await extension.activate();
  if (!api) {
    throw new Error('The extension did not return its test API: is it running in test mode?');
  }
  return api;
}
