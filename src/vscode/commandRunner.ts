import * as vscode from 'vscode';
import { errorText } from './errorText';
import { Logger } from './logger';

/**
 * Registers a command whose failures become a clear message with a "Show Log" action instead of
 * an unhandled rejection. Cancellation is silent.
 */
export function registerCommand(
  log: Logger,
  id: string,
  handler: (...args: never[]) => unknown,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await (handler as (...a: unknown[]) => unknown)(...args);
    } catch (error) {
      if (error instanceof vscode.CancellationError) {
        return undefined;
      }
      log.error(`Command ${id} failed`, error);
      void showErrorWithLog(log, log.redactor.redact(errorText(error)));
      return undefined;
    }
  });
}

export async function showErrorWithLog(log: Logger, message: string): Promise<void> {
  const showLog = vscode.l10n.t('Show Log');
  const choice = await vscode.window.showErrorMessage(message, showLog);
  if (choice === showLog) {
    log.show();
  }
}
