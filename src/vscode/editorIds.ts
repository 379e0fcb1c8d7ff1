import * as vscode from 'vscode';
import { idAt, idInSelection } from '../core/ids/extract';

/** The ID in the active editor's selection, or under its cursor, if any. */
export function idUnderCursor(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    return undefined;
  }
  const selection = editor.selection;
  if (!selection.isEmpty) {
    return idInSelection(editor.document.getText(selection));
  }
  const line = editor.document.lineAt(selection.active.line).text;
  return idAt(line, selection.active.character)?.id;
}
