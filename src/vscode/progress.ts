import * as vscode from 'vscode';

/**
 * Runs slow work behind a cancellable notification; the Cancel button aborts the signal the Graph
 * client listens to.
 */
export function withCancellableProgress<T>(
  title: string,
  work: (signal: AbortSignal, progress: vscode.Progress<{ message?: string; increment?: number }>) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    return work(controller.signal, progress).finally(() => {
      subscription.dispose();
    });
  });
}
