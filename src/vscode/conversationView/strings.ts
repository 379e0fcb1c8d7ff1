import * as vscode from 'vscode';
import { TranscriptLabels } from '../../core/explorer/transcript';

/** The transcript's words in VS Code's display language. */
export function transcriptLabels(): TranscriptLabels {
  return {
    unknownSender: () => vscode.l10n.t('Unknown sender'),
    emptyMessage: () => vscode.l10n.t('(empty message)'),
    photo: (name) => vscode.l10n.t('Photo: {0}', name || vscode.l10n.t('attachment')),
    video: (name) => vscode.l10n.t('Video: {0}', name || vscode.l10n.t('attachment')),
    audio: (name) => vscode.l10n.t('Audio: {0}', name || vscode.l10n.t('attachment')),
    file: (name) => vscode.l10n.t('File: {0}', name || vscode.l10n.t('attachment')),
    sticker: () => vscode.l10n.t('Sticker'),
    shared: (name) => vscode.l10n.t('Shared link: {0}', name),
    unavailableInstagram: () =>
      vscode.l10n.t(
        'Details unavailable: Instagram returns the contents of only the 20 most recent messages of a thread. This older message has only its ID and time.',
      ),
    unavailable: () => vscode.l10n.t('Details unavailable: only the ID and time of this message came back (it may have been deleted).'),
  };
}

/** The webview's own words, passed to it once (the webview has no l10n of its own). */
export function webviewStrings(personName: string, pageName: string): Record<string, string> {
  return {
    composerLabel: vscode.l10n.t('Message to {0}', personName),
    replyAsPage: vscode.l10n.t('Reply as {0}', pageName),
    writeAsPerson: vscode.l10n.t('Write as {0} (simulated)', personName),
    sending: vscode.l10n.t('Sending…'),
    logLabel: vscode.l10n.t('Conversation with {0}', personName),
    refresh: vscode.l10n.t('Refresh'),
    refreshing: vscode.l10n.t('Refreshing…'),
    loadOlder: vscode.l10n.t('Load older messages'),
    loadingOlder: vscode.l10n.t('Loading older messages…'),
    beginning: vscode.l10n.t('Beginning of the conversation'),
    loading: vscode.l10n.t('Loading messages…'),
    empty: vscode.l10n.t('No messages'),
    retry: vscode.l10n.t('Retry'),
    imageHidden: vscode.l10n.t('Image not shown'),
    sticker: vscode.l10n.t('Sticker'),
    photo: vscode.l10n.t('Photo'),
    video: vscode.l10n.t('Video'),
    audio: vscode.l10n.t('Audio'),
    file: vscode.l10n.t('File'),
    shared: vscode.l10n.t('Shared'),
    truncated: vscode.l10n.t('The text is cut here; Open Message Details shows more.'),
    linkHint: vscode.l10n.t('Link (right-click or press Enter to open it)'),
    reactions: vscode.l10n.t('Reactions'),
    tags: vscode.l10n.t('Tags'),
    keyboardHint: vscode.l10n.t('Use the Up and Down arrow keys to move between messages, Home and End for the first and last.'),
  };
}
