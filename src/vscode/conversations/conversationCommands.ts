import * as vscode from 'vscode';
import { Commands, Views } from '../constants';
import { credentialsFor } from '../../core/accounts/accounts';
import { curlCommand } from '../../core/explorer/curl';
import { businessSuiteInbox, safeMetaLink } from '../../core/explorer/links';
import { participantName } from '../../core/explorer/messageSummary';
import { displayJson } from '../../core/explorer/safeJson';
import { shortDate } from '../../core/explorer/text';
import { GraphError } from '../../core/graph/errors';
import { Folder } from '../../core/graph/models';
import { idInSelection } from '../../core/ids/extract';
import { AccountService } from '../accounts/accountService';
import { stringArg } from '../commandArgs';
import { CommandRunner } from '../commandRunner';
import { ExtensionRuntime } from '../runtime';
import { badInput, precondition } from '../userError';
import { idUnderCursor } from '../editorIds';
import { errorText } from '../errorText';
import { withCancellableProgress } from '../progress';
import { ExplorerDocuments } from './documents';
import { ConversationExplorer, FOLDERS } from '../../core/explorer/conversationExplorer';
import { messageDocument } from './messageDocument';
import { ConversationNode, ErrorNode, ExplorerNode } from '../../core/explorer/nodes';
import { folderLabel } from './treeItems';

/** Commands on the conversations tree: paging, refresh, details, raw JSON, copy, open, filter, find. */
export function registerConversationCommands(
  model: ConversationExplorer,
  view: vscode.TreeView<ExplorerNode>,
  documents: ExplorerDocuments,
  accounts: AccountService,
  commands: CommandRunner,
): vscode.Disposable {
  const c = new ConversationCommands(model, view, documents, accounts, commands.runtime);
  return vscode.Disposable.from(
    // Refresh All is a title-bar button: the selected row it is handed is not what it refreshes.
    commands.register(Commands.refresh, () => model.refresh()),
    commands.register(Commands.refreshNode, (node?: ExplorerNode) => model.refresh(node)),
    commands.register(Commands.loadMore, (node?: ExplorerNode) => (node?.kind === 'loadMore' ? model.loadMore(node.parent) : undefined)),
    commands.register(Commands.retry, (node?: ExplorerNode) => (node?.kind === 'error' ? c.retry(node) : undefined)),
    commands.register(Commands.openMessage, (node?: ExplorerNode) => c.openMessage(node ?? view.selection[0])),
    commands.register(Commands.openRawJson, (node?: ExplorerNode) => c.openRawJson(node ?? view.selection[0])),
    commands.register(Commands.copyId, (node?: ExplorerNode) => c.copyId(node ?? view.selection[0])),
    commands.register(Commands.copyParticipantId, (node?: ExplorerNode) => c.copyParticipantId(node ?? view.selection[0])),
    commands.register(Commands.copyAsCurl, (node?: ExplorerNode) => c.copyAsCurl(node ?? view.selection[0])),
    commands.register(Commands.openInBrowser, (node?: ExplorerNode) => c.openInBrowser(node ?? view.selection[0])),
    commands.register(Commands.chooseFolder, (node?: ExplorerNode, folder?: Folder) => c.chooseFolder(node ?? view.selection[0], folder)),
    commands.register(Commands.filter, (text?: unknown) => c.filter(stringArg(text))),
    commands.register(Commands.clearFilter, () => c.filter('')),
    commands.register(Commands.findThread, (userId?: unknown, pageId?: unknown) => c.findThread(stringArg(userId), stringArg(pageId))),
  );
}

class ConversationCommands {
  constructor(
    private readonly model: ConversationExplorer,
    private readonly view: vscode.TreeView<ExplorerNode>,
    private readonly documents: ExplorerDocuments,
    private readonly accounts: AccountService,
    private readonly runtime: ExtensionRuntime,
  ) {}

  /**
   * Loads a failed list again. Retried from the row itself (Enter or a click), the focus moves to
   * the list's first row instead of falling back to the parent when the error row goes away.
   */
  async retry(node: ErrorNode): Promise<void> {
    const fromRow = this.view.selection.includes(node);
    await this.model.retry(node.parent);
    const [first] = await this.model.children(node.parent);
    if (fromRow && first && this.view.visible) {
      await this.view.reveal(first, { select: true, focus: true });
    }
  }

  /** Full details with one request; Instagram's older messages fall back to what the list gave, with the reason. */
  async openMessage(node: ExplorerNode | undefined): Promise<void> {
    if (node?.kind !== 'message') {
      throw precondition(vscode.l10n.t('Select a message in the Conversations view first.'));
    }
    const page = node.parent.pageNode.page;
    let content: string;
    try {
      const message = await vscode.window.withProgress({ location: { viewId: Views.conversations } }, () =>
        this.accounts.call(page, (client, creds) => client.getMessage(creds, node.message.id)),
      );
      node.message = message;
      content = messageDocument(message);
    } catch (error) {
      if (!(error instanceof GraphError) || (error.kind !== 'messageUnavailable' && error.kind !== 'notFound')) {
        throw error;
      }
      const reason =
        error.kind === 'messageUnavailable' || node.parent.platform === 'instagram'
          ? vscode.l10n.t(
              'Details unavailable: Instagram returns the contents of only the 20 most recent messages of a thread. Shown: what the thread listing returned.',
            )
          : vscode.l10n.t('Details unavailable: {0}', errorText(error, this.runtime));
      content = messageDocument(node.message, reason);
    }
    // The tab says whose message it is and when; the folder keeps one document per message.
    const title = vscode.l10n.t(
      'Message from {0} · {1}',
      participantName(node.message.from) || vscode.l10n.t('unknown sender'),
      shortDate(node.message.createdTime, vscode.env.language),
    );
    await this.documents.open(`/message/${node.message.id}/${title.replace(/[\\/]/g, '_')}.txt`, content, 'plaintext');
  }

  async openRawJson(node: ExplorerNode | undefined): Promise<void> {
    const raw = node?.raw();
    if (!node || raw === undefined) {
      throw precondition(vscode.l10n.t('Select a Page, conversation or message in the Conversations view first.'));
    }
    await this.documents.open(`/raw/${node.id.replace(/[^A-Za-z0-9_./-]/g, '_')}.json`, displayJson(raw), 'json');
  }

  async copyId(node: ExplorerNode | undefined): Promise<void> {
    const id = node?.graphId;
    if (!id) {
      throw precondition(vscode.l10n.t('Select a Page, conversation or message in the Conversations view first.'));
    }
    await this.copy(id, vscode.l10n.t('Copied {0}', id));
  }

  async copyParticipantId(node: ExplorerNode | undefined): Promise<void> {
    const person = node?.participant;
    if (!person) {
      throw precondition(vscode.l10n.t('Select a conversation or message in the Conversations view first.'));
    }
    await this.copy(person.id, vscode.l10n.t('Copied {0}', person.id));
  }

  /** The Graph request behind a node, with the token and proof as shell variables. */
  async copyAsCurl(node: ExplorerNode | undefined): Promise<void> {
    const request = node?.request();
    if (!node || !request) {
      throw precondition(vscode.l10n.t('Select a Page, conversation or message in the Conversations view first.'));
    }
    const page = node.pageNode;
    const withProof = page ? credentialsFor(page.page, await this.accounts.apps()).appSecret !== undefined : false;
    await this.copy(
      curlCommand(this.accounts.requestUrl(request.path, request.params), { tokenVariable: 'PAGE_ACCESS_TOKEN', withProof }),
      vscode.l10n.t('Copied the curl command'),
    );
  }

  async openInBrowser(node: ExplorerNode | undefined): Promise<void> {
    const endpoint = this.accounts.endpoint;
    if (endpoint.ok && endpoint.isSimulator) {
      throw precondition(
        vscode.l10n.t("The local simulator's threads exist only in the simulator: there is nothing to open on facebook.com."),
      );
    }
    let target: string | undefined;
    if (node?.kind === 'conversation') {
      target = safeMetaLink(node.conversation.link) ?? businessSuiteInbox(node.pageNode.page.id, node.platform);
    } else if (node?.kind === 'page') {
      target = businessSuiteInbox(node.page.id, 'messenger');
    } else if (node?.kind === 'platform') {
      target = businessSuiteInbox(node.pageNode.page.id, node.platform);
    }
    if (!target) {
      throw precondition(vscode.l10n.t('Select a Page or conversation in the Conversations view first.'));
    }
    await vscode.env.openExternal(vscode.Uri.parse(target, true));
  }

  async chooseFolder(node: ExplorerNode | undefined, folder?: Folder): Promise<void> {
    const pageNode = node?.pageNode;
    if (!pageNode) {
      throw precondition(vscode.l10n.t('Select a Page in the Conversations view first.'));
    }
    const chosen =
      folder ??
      (
        await vscode.window.showQuickPick(
          FOLDERS.map((f) => ({
            label: folderLabel(f),
            description: f === pageNode.folder ? vscode.l10n.t('current') : undefined,
            folder: f,
          })),
          { title: vscode.l10n.t('Folder of {0}', pageNode.page.name) },
        )
      )?.folder;
    if (chosen && FOLDERS.includes(chosen)) {
      await this.model.setFolder(pageNode, chosen);
    }
  }

  async filter(text?: string): Promise<void> {
    const value =
      text ??
      (await vscode.window.showInputBox({
        title: vscode.l10n.t('Filter Conversations'),
        prompt: vscode.l10n.t('Shows loaded conversations whose participant, ID or last message contains this text.'),
        value: this.model.filter,
      }));
    if (value === undefined) {
      return;
    }
    this.model.setFilter(value);
    this.view.description = this.model.filter ? vscode.l10n.t('Filter: {0}', this.model.filter) : undefined;
  }

  /** Opens the thread with a PSID or IGSID: typed, passed, or the ID under the cursor. */
  async findThread(userId?: string, pageId?: string): Promise<ConversationNode | undefined> {
    const id =
      userId?.trim() ??
      (await vscode.window.showInputBox({
        title: vscode.l10n.t("Find a User's Thread"),
        prompt: vscode.l10n.t('A page-scoped ID (PSID) or Instagram-scoped ID (IGSID).'),
        value: idUnderCursor(),
        validateInput: (v) => (idInSelection(v) ? undefined : vscode.l10n.t('Enter the numeric ID, such as 24012345678901234.')),
      }));
    if (id === undefined) {
      return undefined;
    }
    const checked = idInSelection(id);
    if (!checked) {
      throw badInput(vscode.l10n.t('"{0}" is not a PSID or IGSID: enter the numeric ID.', id.slice(0, 40)));
    }
    const result = await withCancellableProgress(vscode.l10n.t('Looking for the thread with {0}…', checked), (signal) =>
      this.model.findThread(checked, signal, pageId),
    );
    if (!result.node) {
      const first = result.errors[0];
      if (first) {
        throw first;
      }
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'No thread with {0} in any connected Page. A PSID belongs to one Page and an IGSID to one Instagram account: connect that Page, or check the ID.',
          checked,
        ),
      );
      return undefined;
    }
    await this.view.reveal(result.node, { select: true, focus: true, expand: false });
    // What the person wanted: the conversation itself, as a transcript.
    await vscode.commands.executeCommand(Commands.openConversation, result.node);
    return result.node;
  }

  private async copy(text: string, status: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(status, 3000);
  }
}
