import * as vscode from 'vscode';
import { openUntitled } from '../untitledDocument';
import { Commands, Views, WALKTHROUGH } from '../constants';
import { messengerWebhookSample } from '../../core/ids/webhookSample';
import { AccountService } from '../accounts/accountService';
import { CommandRunner } from '../commandRunner';
import { ConversationExplorer } from '../../core/explorer/conversationExplorer';
import { ConversationNode, ExplorerNode } from '../../core/explorer/nodes';

const WELCOMED_KEY = 'messengerExplorer.welcomed';
/** The walkthrough's "Show Accounts" link: its step completes when the user opened the Accounts view from it. */
export const SHOW_ACCOUNTS_FROM_WALKTHROUGH = 'messengerExplorer.walkthrough.showAccounts';

/** The first-run walkthrough, and the sample its "resolve an ID" step opens. */
export class GettingStarted {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly accounts: AccountService,
    private readonly explorer: ConversationExplorer,
  ) {}

  /** Opens the walkthrough once per profile, for a new user who has connected nothing yet. Returns whether it opened. */
  async openOnFirstRun(): Promise<boolean> {
    if (this.context.globalState.get<boolean>(WELCOMED_KEY)) {
      return false;
    }
    await this.context.globalState.update(WELCOMED_KEY, true);
    if ((await this.accounts.accounts()).length > 0) {
      return false;
    }
    await this.open();
    return true;
  }

  open(): Thenable<unknown> {
    return vscode.commands.executeCommand('workbench.action.openWalkthrough', `${this.context.extension.id}#${WALKTHROUGH}`, false);
  }

  /** A webhook event from a real thread of the first connected Page, with the cursor on the sender's PSID. */
  async openSampleWebhook(): Promise<void> {
    const found = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Finding a thread for the sample…') },
      () => this.firstSender(),
    );
    if (!found) {
      const connect = vscode.l10n.t('Connect…');
      const choice = await vscode.window.showInformationMessage(
        vscode.l10n.t("Connect a Page that has at least one conversation first: the sample uses a real person's page-scoped ID from it."),
        connect,
      );
      if (choice === connect) {
        await vscode.commands.executeCommand(Commands.connect);
      }
      return;
    }
    const sample = messengerWebhookSample(found.pageId, found.senderId, vscode.l10n.t('Hello! Is this still available?'), Date.now());
    const document = await openUntitled(vscode.l10n.t('Sample webhook event'), 'json', sample.text);
    const editor = await vscode.window.showTextDocument(document);
    const position = document.positionAt(sample.senderOffset);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
  }

  /** The first person who wrote to a connected Page, from the tree's own (cached) lists. */
  private async firstSender(): Promise<{ pageId: string; senderId: string } | undefined> {
    for (const root of await this.explorer.roots()) {
      if (root.kind !== 'page') {
        continue;
      }
      let children: ExplorerNode[] = await this.explorer.children(root);
      const messenger = children.find((c) => c.kind === 'platform' && c.platform === 'messenger');
      if (messenger) {
        children = await this.explorer.children(messenger);
      }
      for (const thread of children.filter((c): c is ConversationNode => c.kind === 'conversation')) {
        const person = thread.participant;
        if (person && !root.ownIds.includes(person.id)) {
          return { pageId: root.page.id, senderId: person.id };
        }
      }
    }
    return undefined;
  }
}

export function registerGettingStartedCommands(gettingStarted: GettingStarted, commands: CommandRunner): vscode.Disposable {
  return vscode.Disposable.from(
    commands.register(Commands.gettingStarted, () => gettingStarted.open()),
    commands.register(Commands.openSampleWebhook, () => gettingStarted.openSampleWebhook()),
    commands.register(SHOW_ACCOUNTS_FROM_WALKTHROUGH, () => vscode.commands.executeCommand(`${Views.accounts}.focus`)),
  );
}
