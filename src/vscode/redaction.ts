import { Redactor } from '../core/redact';

/**
 * The one redaction path: every secret the extension reads is registered here (SecretVault), and
 * everything it shows or writes passes through `redact` first — logs, notifications, tree rows,
 * documents and tables.
 */
export const redactor = new Redactor();

export function redact(text: string): string {
  return redactor.redact(text);
}
