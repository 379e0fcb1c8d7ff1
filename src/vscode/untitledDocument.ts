import * as vscode from 'vscode';
import { inlineText } from '../core/explorer/text';

/** Languages of the extensions this opens, for an unnamed document. */
const LANGUAGE_OF: Record<string, string> = { json: 'json' };

/**
 * A new, unsaved document with a readable tab title ("Linked IDs · 161 IDs.csv", "Sample webhook
 * event.json") instead of "Untitled-1"; the person saves it wherever they like. A title already in
 * use gets a number, so an earlier document is never overwritten.
 */
export async function openUntitled(title: string, extension: string, content: string): Promise<vscode.TextDocument> {
  const base = inlineText(title, 80).replace(/[\\/:*?"<>|]/g, '_');
  const taken = new Set(vscode.workspace.textDocuments.filter((d) => d.isUntitled).map((d) => d.uri.path));
  let name = `${base}.${extension}`;
  for (let n = 2; taken.has(name); n++) {
    name = `${base} (${n}).${extension}`;
  }
  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'untitled', path: name }));
  } catch {
    // A browser workbench with no folder resolves a named untitled document against a scheme that has
    // no file system ("Unable to resolve filesystem provider"); an unnamed one opens everywhere.
    return vscode.workspace.openTextDocument({ content, language: LANGUAGE_OF[extension] ?? 'plaintext' });
  }
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, new vscode.Position(0, 0), content);
  if (content.includes('\r\n')) {
    // A CSV keeps its CRLF line ends (RFC 4180), whatever files.eol says.
    edit.set(document.uri, [vscode.TextEdit.setEndOfLine(vscode.EndOfLine.CRLF)]);
  }
  await vscode.workspace.applyEdit(edit);
  return document;
}
