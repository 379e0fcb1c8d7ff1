import * as vscode from 'vscode';
import { openUntitled } from '../untitledDocument';
import { Commands, Views } from '../constants';
import { inlineText } from '../../core/explorer/text';
import { findIds, findIdsWithOwners, idInSelection, looksLikeTimestamp, ownAccountOf } from '../../core/ids/extract';
import { parseResolveQuery, Resolution, ResolveFilter, UnresolvedError } from '../../core/ids/resolve';
import { GraphError } from '../../core/graph/errors';
import { tableRows, toCsv, toJson } from '../../core/ids/table';
import { oneOf, stringArg } from '../commandArgs';
import { CommandRunner } from '../commandRunner';
import { badInput, precondition } from '../userError';
import { idUnderCursor } from '../editorIds';
import { markResolvedAnId } from '../gettingStarted/hostFacts';
import { ExplorerNode } from '../../core/explorer/nodes';
import { safeMetaLink } from '../../core/explorer/links';
import { withCancellableProgress } from '../progress';
import { redact } from '../redaction';
import { setting } from '../settings';
import { IdResolver } from './idResolver';
import { LinkedIdsNode, LinkedIdsProvider } from './linkedIdsView';

/** What VS Code passes to a `debug/variables/context` command. */
interface DebugVariableArgs {
  readonly variable?: { readonly value?: string; readonly name?: string };
}

/** Resolve Linked IDs from the editor, the palette, the debugger, the tree and in bulk. */
export function registerIdCommands(
  resolver: IdResolver,
  provider: LinkedIdsProvider,
  view: vscode.TreeView<LinkedIdsNode>,
  commands: CommandRunner,
): vscode.Disposable {
  const c = new IdCommands(resolver, provider, view);
  return vscode.Disposable.from(
    commands.register(Commands.resolveAtCursor, () => c.resolveAtCursor()),
    commands.register(Commands.resolveId, (query?: unknown) => c.resolveFromPalette(stringArg(query))),
    commands.register(Commands.resolveVariable, (args?: DebugVariableArgs) => c.resolveVariable(args)),
    commands.register(Commands.resolveParticipant, (node?: ExplorerNode) => c.resolveParticipant(node)),
    // From the editor's context menu the argument is the document's URI: the format is then asked for.
    commands.register(Commands.resolveAllInFile, (format?: unknown) => c.resolveAllInFile(oneOf(format, ['csv', 'json'] as const))),
    commands.register(Commands.clearLinkedIdsCache, () => c.clearCache()),
    commands.register(Commands.copyLinkedId, (node?: LinkedIdsNode) => c.copy(node ?? view.selection[0])),
    commands.register(Commands.insertLinkedId, (node?: LinkedIdsNode) => c.insert(node ?? view.selection[0])),
    commands.register(Commands.resolveLinkedAgain, (node?: LinkedIdsNode) => c.resolveAgain(node ?? view.selection[0])),
    commands.register(Commands.openLinkedThread, (node?: LinkedIdsNode) => c.openThread(node ?? view.selection[0])),
    commands.register(Commands.openLinkedIdLink, (node?: LinkedIdsNode) => c.openLink(node ?? view.selection[0])),
    vscode.languages.registerHoverProvider({ scheme: '*' }, new LinkedIdsHover(resolver)),
  );
}

class IdCommands {
  constructor(
    private readonly resolver: IdResolver,
    private readonly provider: LinkedIdsProvider,
    private readonly view: vscode.TreeView<LinkedIdsNode>,
  ) {}

  async resolveAtCursor(): Promise<Resolution | undefined> {
    const id = idUnderCursor();
    if (!id) {
      throw precondition(
        vscode.l10n.t(
          'No ID under the cursor. Put the cursor on a PSID, ASID or IGSID (a number such as 24012345678901234), or select it.',
        ),
      );
    }
    return this.resolveAndShow(id);
  }

  async resolveFromPalette(query?: string): Promise<Resolution | undefined> {
    const text =
      query ??
      (await vscode.window.showInputBox({
        title: vscode.l10n.t('Resolve Linked IDs'),
        prompt: vscode.l10n.t('A PSID, ASID or IGSID. Optionally add app=APP_ID or page=PAGE_ID to ask about one app or Page.'),
        value: idUnderCursor(),
        validateInput: (v) => {
          const parsed = parseResolveQuery(v);
          if (parsed.error !== undefined) {
            return vscode.l10n.t('"{0}" is neither an ID nor app=… or page=….', inlineText(parsed.error, 40));
          }
          return parsed.id ? undefined : vscode.l10n.t('Enter the numeric ID.');
        },
      }));
    if (text === undefined) {
      return undefined;
    }
    const parsed = parseResolveQuery(text);
    if (!parsed.id || parsed.error !== undefined) {
      throw badInput(
        vscode.l10n.t(
          '"{0}" is not an ID: enter a number such as 24012345678901234, optionally with app=… or page=….',
          inlineText(text, 60),
        ),
      );
    }
    return this.resolveAndShow(parsed.id, parsed.filter);
  }

  async resolveVariable(args?: DebugVariableArgs): Promise<Resolution | undefined> {
    const value = args?.variable?.value ?? '';
    const id = idInSelection(value) ?? (findIds(value).length === 1 ? findIds(value)[0]?.id : undefined);
    if (!id) {
      throw badInput(
        vscode.l10n.t('The value of {0} is not an ID: {1}', inlineText(args?.variable?.name ?? '?', 60), inlineText(value, 60) || '""'),
      );
    }
    return this.resolveAndShow(id);
  }

  async resolveParticipant(node?: ExplorerNode): Promise<Resolution | undefined> {
    if (node?.kind !== 'conversation' && node?.kind !== 'message') {
      throw precondition(vscode.l10n.t('Select a conversation or message in the Conversations view first.'));
    }
    const person = node.participant;
    if (!person) {
      throw precondition(vscode.l10n.t('This thread has no participant ID.'));
    }
    return this.resolveAndShow(person.id, {}, { kind: 'page', id: node.pageNode.page.id });
  }

  /** Every ID in the selection or the file, 50 per request, into a CSV or JSON table the user can save. */
  async resolveAllInFile(format?: 'csv' | 'json'): Promise<vscode.TextDocument | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      throw precondition(vscode.l10n.t('Open a file (a log, a webhook dump, JSON…) to resolve the IDs in it.'));
    }
    const text = editor.selection.isEmpty ? editor.document.getText() : editor.document.getText(editor.selection);
    // A webhook's entry.id or a log line's page_id= names each ID's owner: only that account is asked.
    const { ids, hints } = findIdsWithOwners(text, await this.resolver.accountIds());
    if (ids.length === 0) {
      throw precondition(
        vscode.l10n.t('No IDs found in {0}.', editor.selection.isEmpty ? vscode.l10n.t('this file') : vscode.l10n.t('the selection')),
      );
    }
    const chosen =
      format ??
      (
        await vscode.window.showQuickPick(
          [
            { label: 'CSV', format: 'csv' as const },
            { label: 'JSON', format: 'json' as const },
          ],
          { title: vscode.l10n.t('Resolve {0} IDs: output format', ids.length) },
        )
      )?.format;
    if (!chosen) {
      return undefined;
    }
    const results = await withCancellableProgress(vscode.l10n.t('Resolving {0} IDs…', ids.length), (signal, progress) => {
      let reported = 0;
      return this.resolver.resolveAll(ids, {
        signal,
        hints,
        onProgress: (done, total) => {
          progress.report({ increment: ((done - reported) / total) * 100, message: `${done}/${total}` });
          reported = done;
        },
      });
    });
    // Not people: the connected accounts' own IDs and timestamps are said as what they are, not counted as failures.
    const notPeople = new Map<string, string>();
    for (const [id, result] of results) {
      const what = result instanceof UnresolvedError ? notAPerson(result) : undefined;
      if (what !== undefined) {
        notPeople.set(id, what);
        results.set(id, new UnresolvedError(id, 0, new GraphError({ kind: 'badRequest', message: what })));
      }
    }
    const content = redact(chosen === 'csv' ? toCsv(tableRows(results)) : toJson(results));
    const document = await openUntitled(vscode.l10n.t('Linked IDs · {0} IDs', ids.length), chosen, content);
    await vscode.window.showTextDocument(document, { preview: false });
    const resolved = [...results.values()].filter((r) => 'via' in r).length;
    const people = results.size - notPeople.size;
    const summary = vscode.l10n.t('Resolved {0} of {1} IDs that can be people.', resolved, people);
    const others = [...notPeople].map(([id, what]) => `${id} (${what})`).join(', ');
    void vscode.window.showInformationMessage(
      [summary, notPeople.size > 0 ? vscode.l10n.t('Not people: {0}.', others) : '', vscode.l10n.t('Save the table with File › Save.')]
        .filter(Boolean)
        .join(' '),
    );
    return document;
  }

  async clearCache(): Promise<void> {
    await this.resolver.clearCache();
    this.provider.clear();
    vscode.window.setStatusBarMessage(vscode.l10n.t('Linked IDs cache cleared'), 3000);
  }

  async copy(node?: LinkedIdsNode): Promise<void> {
    const id = node ? idOfNode(node) : undefined;
    if (!id) {
      throw precondition(vscode.l10n.t('Select an ID in the Linked IDs view first.'));
    }
    await vscode.env.clipboard.writeText(id);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', id), 3000);
  }

  async insert(node?: LinkedIdsNode): Promise<void> {
    const id = node ? idOfNode(node) : undefined;
    const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
    if (!id || !editor) {
      throw precondition(vscode.l10n.t('Select an ID in the Linked IDs view and open an editor to insert it into.'));
    }
    await editor.edit((edit) => editor.selections.forEach((s) => edit.replace(s, id)));
  }

  async resolveAgain(node?: LinkedIdsNode): Promise<Resolution | undefined> {
    if (node?.kind !== 'linkedApp' && node?.kind !== 'linkedPage') {
      throw precondition(vscode.l10n.t('Select a linked ID in the Linked IDs view first.'));
    }
    return this.resolveAndShow(node.id, {}, { kind: node.kind === 'linkedApp' ? 'app' : 'page', id: node.owner.id });
  }

  async openThread(node?: LinkedIdsNode): Promise<void> {
    // The row says which Page the PSID belongs to: ask that Page only.
    const target = threadTarget(node);
    if (!target) {
      throw precondition(vscode.l10n.t("Select a page-scoped ID (under Pages) to open that Page's thread with this person."));
    }
    await vscode.commands.executeCommand(Commands.findThread, target.psid, target.pageId);
  }

  async openLink(node?: LinkedIdsNode): Promise<void> {
    const link = node?.kind === 'linkedApp' || node?.kind === 'linkedPage' ? safeMetaLink(node.owner.link) : undefined;
    if (!link) {
      throw precondition(vscode.l10n.t('This item has no Facebook link to open.'));
    }
    await vscode.env.openExternal(vscode.Uri.parse(link, true));
  }

  private async resolveAndShow(id: string, filter: ResolveFilter = {}, hint?: { kind: 'page' | 'app'; id: string }): Promise<Resolution> {
    const resolution = await vscode.window.withProgress(
      { location: { viewId: Views.linkedIds }, title: vscode.l10n.t('Resolving {0}…', id) },
      () => this.resolver.resolve(id, { filter, hint }),
    );
    const node = this.provider.show(resolution);
    markResolvedAnId();
    await this.view.reveal(node, { select: true, focus: false, expand: true });
    return resolution;
  }
}

/** What an unresolved ID is when it is not a person's: a connected account's own ID, or a timestamp. */
function notAPerson(result: UnresolvedError): string | undefined {
  const own = result.tried === 0 && result.reason ? ownAccountOf(result.reason.message) : undefined;
  if (own) {
    return {
      page: () => vscode.l10n.t('your Page {0}', own.name),
      instagram: () => vscode.l10n.t('the Instagram account of your Page {0}', own.name),
      app: () => vscode.l10n.t('your app {0}', own.name),
    }[own.kind]();
  }
  return looksLikeTimestamp(result.id) ? vscode.l10n.t('a timestamp ({0})', new Date(Number(result.id)).toISOString()) : undefined;
}

function idOfNode(node: LinkedIdsNode): string | undefined {
  if (node.kind === 'noLinks') {
    return undefined;
  }
  return node.kind === 'resolution' ? node.resolution.id : node.id;
}

/** The PSID a Linked IDs row stands for, with the Page it belongs to. */
function threadTarget(node: LinkedIdsNode | undefined): { psid: string; pageId: string } | undefined {
  if (node?.kind === 'linkedPage') {
    return { psid: node.id, pageId: node.owner.id };
  }
  if (node?.kind === 'resolution' && node.resolution.via.kind === 'page') {
    return { psid: node.resolution.id, pageId: node.resolution.via.id };
  }
  return undefined;
}

/** Hover over an ID: its linked IDs from the cache; from the network only when the settings allow it. */
class LinkedIdsHover implements vscode.HoverProvider {
  constructor(private readonly resolver: IdResolver) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    if (!setting('linkedIds.hover', document)) {
      return undefined;
    }
    const line = document.lineAt(position.line).text;
    const found = findIds(line).find((f) => f.start <= position.character && position.character <= f.end);
    if (!found) {
      return undefined;
    }
    let resolution = this.resolver.cached(found.id);
    if (!resolution && setting('linkedIds.hoverNetwork', document)) {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      resolution = await this.resolver.resolve(found.id, { signal: controller.signal }).catch(() => undefined);
    }
    if (!resolution) {
      return undefined;
    }
    // Untrusted names: appended as text, so nothing in them is rendered as Markdown or a link.
    const markdown = new vscode.MarkdownString(undefined, false);
    markdown.isTrusted = false;
    markdown.supportHtml = false;
    markdown.appendText(
      vscode.l10n.t('Linked IDs of {0}', found.id) + (resolution.name ? ` (${inlineText(resolution.name, 80)})` : '') + '\n\n',
    );
    for (const a of resolution.idsForApps) {
      markdown.appendText(`${vscode.l10n.t('App')} ${inlineText(a.app.name, 60) || a.app.id}: ${a.id}\n\n`);
    }
    for (const p of resolution.idsForPages) {
      markdown.appendText(`${vscode.l10n.t('Page')} ${inlineText(p.page.name, 60) || p.page.id}: ${p.id}\n\n`);
    }
    return new vscode.Hover(markdown, new vscode.Range(position.line, found.start, position.line, found.end));
  }
}
