import * as vscode from 'vscode';
import { Redactor } from '../core/redact';

/** The extension's single LogOutputChannel; every line passes through the redactor first. */
export class Logger implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;

  /** In test mode, every line as written, so tests can prove no secret reached the log. */
  readonly lines: string[] | undefined;

  constructor(
    readonly redactor: Redactor,
    keepLines = false,
  ) {
    this.channel = vscode.window.createOutputChannel('Messenger Explorer', { log: true });
    this.lines = keepLines ? [] : undefined;
  }

  trace(message: string): void {
    this.channel.trace(this.record(message));
  }

  info(message: string): void {
    this.channel.info(this.record(message));
  }

  warn(message: string): void {
    this.channel.warn(this.record(message));
  }

  error(message: string, error?: unknown): void {
    const detail = error === undefined ? '' : `: ${describe(error)}`;
    this.channel.error(this.record(message + detail));
  }

  private record(message: string): string {
    const line = this.redactor.redact(message);
    this.lines?.push(line);
    return line;
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}
