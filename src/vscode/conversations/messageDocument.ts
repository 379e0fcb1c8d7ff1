import * as vscode from 'vscode';
import { participantName } from '../../core/explorer/messageSummary';
import { displayJson } from '../../core/explorer/safeJson';
import { exactTime, neutralise } from '../../core/explorer/text';
import { Message, Participant } from '../../core/graph/models';

/**
 * A message as a read-only text document: the facts first, then the raw JSON. Plain text only:
 * nothing in it is rendered, so hostile message text stays inert.
 */
export function messageDocument(message: Message, note?: string): string {
  const lines: string[] = [];
  const field = (label: string, value: string) => lines.push(`${label.padEnd(12)} ${value}`);
  lines.push(vscode.l10n.t('Message {0}', message.id), '');
  if (note) {
    lines.push(`⚠ ${note}`, '');
  }
  field(vscode.l10n.t('From:'), who(message.from));
  field(vscode.l10n.t('To:'), message.to.map(who).join(', ') || '—');
  field(
    vscode.l10n.t('Created:'),
    `${exactTime(message.createdTime, vscode.env.language)} (${new Date(message.createdTime).toISOString()})`,
  );
  if (message.tags.length > 0) {
    field(vscode.l10n.t('Tags:'), message.tags.map(neutralise).join(', '));
  }
  if (message.sticker) {
    field(vscode.l10n.t('Sticker:'), neutralise(message.sticker));
  }
  if (message.reactions.length > 0) {
    field(vscode.l10n.t('Reactions:'), message.reactions.map((r) => `${neutralise(r.reaction)} ×${r.count}`).join('  '));
  }
  if (message.attachments.length > 0) {
    lines.push('', vscode.l10n.t('Attachments:'));
    for (const a of message.attachments) {
      const facts = [a.mimeType, a.size === undefined ? undefined : formatBytes(a.size)].filter(Boolean).join(', ');
      lines.push(`  - ${neutralise(a.name ?? a.id ?? '')}${facts ? ` (${neutralise(facts)})` : ''}`);
      if (a.url) {
        lines.push(`    ${neutralise(a.url)}`);
      }
      if (a.previewUrl) {
        lines.push(`    ${vscode.l10n.t('preview:')} ${neutralise(a.previewUrl)}`);
      }
    }
  }
  lines.push('', vscode.l10n.t('Text:'));
  lines.push(
    message.text === undefined || message.text === ''
      ? `  ${vscode.l10n.t('(no text)')}`
      : message.text
          .split(/\r\n|\n|\r/)
          .map((l) => `  ${neutralise(l)}`)
          .join('\n'),
  );
  lines.push('', vscode.l10n.t('Raw JSON:'), displayJson(message.raw));
  return lines.join('\n');
}

function who(p: Participant | undefined): string {
  if (!p) {
    return '—';
  }
  const name = participantName(p);
  return name && name !== p.id ? `${name} (${p.id})` : p.id;
}

function formatBytes(size: number): string {
  if (size >= 1024 * 1024) {
    return `${(size / 1024 / 1024).toFixed(1)} MB`;
  }
  return size >= 1024 ? `${Math.round(size / 1024)} KB` : `${size} B`;
}
