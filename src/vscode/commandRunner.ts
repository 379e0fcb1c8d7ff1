import * as vscode from 'vscode';
import { GraphError } from '../core/graph/errors';
import { errorText } from './errorText';
import { Logger } from './logger';
import { redact } from './redaction';

/** Failures already told to the user another way (the rejected-token prompt): not told twice. */
const announced = new WeakSet<object>();

export function markAnnounced(error: unknown): void {
  if (typeof error === 'object' && error !== null) {
    announced.add(error);
  }
}

/** Cancel in any form (the Cancel button, Sign Out or a host change overtaking the work) is never an error. */
export function isCancellation(error: unknown): boolean {
  return error instanceof vscode.CancellationError || (error instanceof GraphError && error.kind === 'cancelled') || (error instanceof Error && error.name === 'AbortError');
}

/**
 * Registers a command whose failures become a clear message with a "Show Log" action instead of
 * an unhandled rejection. Cancellation is silent, and so is a failure the user was already told about.
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
      if (isCancellation(error)) {
        log.trace(`Command ${id} stopped: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
      log.error(`Command ${id} failed`, error);
      // Told once by the prompt; a later command that meets the same rejection says so again.
      if (typeof error === 'object' && error !== null && announced.delete(error)) {
        return undefined;
      }
      void showErrorWithLog(log, errorText(error));
      return undefined;
    }
  });
}

export async function showErrorWithLog(log: Logger, message: string): Promise<void> {
  const showLog = vscode.l10n.t('Show Log');
  const choice = await vscode.window.showErrorMessage(redact(message), showLog);
  if (choice === showLog) {
    log.show();
  }
}
