import * as vscode from 'vscode';
import { GraphError } from '../core/graph/errors';
import { errorText } from './errorText';
import { Logger } from './logger';
import { redact } from './redaction';
import { ExtensionRuntime } from './runtime';
import { UserAction, UserError } from './userError';

/** Failures already told to the user another way (the rejected-token prompt): not told twice. */
const announced = new WeakSet<object>();

export function markAnnounced(error: unknown): void {
  if (typeof error === 'object' && error !== null) {
    announced.add(error);
  }
}

/** Whether the failure, or the failure it wraps (an unresolved ID's reason, a cause), was already told. */
function wasAnnounced(error: unknown): boolean {
  const wrapped = error as { reason?: unknown; cause?: unknown } | null;
  const candidates = [error, wrapped?.reason, wrapped?.cause].filter((e): e is object => typeof e === 'object' && e !== null);
  return candidates.some((e) => announced.delete(e));
}

/** Cancel in any form (the Cancel button, Sign Out or a host change overtaking the work) is never an error. */
export function isCancellation(error: unknown): boolean {
  return (
    error instanceof vscode.CancellationError ||
    (error instanceof GraphError && error.kind === 'cancelled') ||
    (error instanceof Error && error.name === 'AbortError')
  );
}

/**
 * Registers commands with the logger bound once. A failure becomes one notification with intent
 * (UserError: its severity and actions; anything else: an error with "Show Log"); cancellation is
 * silent, and so is a failure the user was already told about.
 */
export class CommandRunner {
  constructor(
    private readonly log: Logger,
    readonly runtime: ExtensionRuntime,
  ) {}

  register(id: string, handler: (...args: never[]) => unknown): vscode.Disposable {
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await (handler as (...a: unknown[]) => unknown)(...args);
      } catch (error) {
        this.report(id, error);
        return undefined;
      }
    });
  }

  /** Shows a failure of work that is not a command (a background step), the same way. */
  report(what: string, error: unknown): void {
    if (isCancellation(error)) {
      this.log.trace(`${what} stopped: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    // Told once by the prompt; a later command that meets the same rejection says so again.
    if (wasAnnounced(error)) {
      this.log.warn(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (error instanceof UserError && error.severity === 'info') {
      this.log.info(`${what}: ${error.message}`);
      void this.show('info', error.message, error.actions);
      return;
    }
    this.log.error(`${what} failed`, error);
    const severity = error instanceof UserError ? error.severity : 'error';
    void this.show(severity, errorText(error, this.runtime), error instanceof UserError ? error.actions : []);
  }

  showLog(): void {
    this.log.show();
  }

  private async show(severity: 'error' | 'warning' | 'info', message: string, actions: readonly UserAction[]): Promise<void> {
    const showLog: UserAction = { title: vscode.l10n.t('Show Log'), run: () => this.log.show() };
    const offered = severity === 'info' ? actions : [...actions, showLog];
    const titles = offered.map((a) => a.title);
    const text = redact(message);
    const showAs = {
      error: vscode.window.showErrorMessage,
      warning: vscode.window.showWarningMessage,
      info: vscode.window.showInformationMessage,
    }[severity];
    const chosen = await showAs(text, ...titles);
    const action = offered.find((a) => a.title === chosen);
    if (action) {
      try {
        await action.run();
      } catch (error) {
        this.report(action.title, error);
      }
    }
  }
}
