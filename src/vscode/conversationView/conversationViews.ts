import * as vscode from 'vscode';
import { ConversationExplorer } from '../../core/explorer/conversationExplorer';
import { ConversationNode, ExplorerNode, PageNode } from '../../core/explorer/nodes';
import { PagedList } from '../../core/explorer/pagedList';
import { DisposableStore } from '../../core/events';
import { Message, Platform } from '../../core/graph/models';
import { AccountService } from '../accounts/accountService';
import { CommandRunner } from '../commandRunner';
import { Commands, WebviewTypes } from '../constants';
import { Logger } from '../logger';
import { ExtensionRuntime } from '../runtime';
import { SECTION, setting } from '../settings';
import { precondition } from '../userError';
import { ConversationPanel, conversationKey, openLink, PanelHost, panelTitle, RenderTiming } from './conversationPanel';
import { ConversationState } from './protocol';
import { SimulatorChangeStream } from './liveUpdates';
import { pacingFactor } from './pacing';
import { BotLoop } from '../botLoop/botLoop';
import { SimulatorKeys } from '../botLoop/simulatorKeys';

/** How often a visible thread is read again on the simulator when its change stream cannot be used. */
const SIMULATOR_POLL_MS = 3000;
/** The shortest interval the refresh setting can ask of Meta's hosts. */
const MIN_REFRESH_SECONDS = 10;

/** What `data-vscode-context` gives a webview context-menu command. */
interface WebviewContext {
  readonly webview?: string;
  readonly threadKey?: string;
  readonly messageId?: string;
  readonly href?: string;
}

/**
 * The conversation panels: one per thread, opened from the tree (or any command with a
 * ConversationNode), restored after a reload, kept fresh while visible, and the per-message
 * actions of their context menus.
 */
export class ConversationViews extends DisposableStore implements vscode.WebviewPanelSerializer<ConversationState> {
  readonly panels = new Map<string, ConversationPanel>();
  private readonly timers = new Map<ConversationPanel, ReturnType<typeof setTimeout>>();
  readonly stream: SimulatorChangeStream;
  private usage = 0;
  readonly renders: RenderTiming[] = [];
  private readonly host: PanelHost;

  constructor(
    private readonly explorer: ConversationExplorer,
    private readonly tree: vscode.TreeView<ExplorerNode>,
    private readonly accounts: AccountService,
    private readonly log: Logger,
    runtime: ExtensionRuntime,
    extensionUri: vscode.Uri,
    onDidChangeUsage: vscode.Event<number>,
    private readonly keys: SimulatorKeys,
    private readonly botLoop: BotLoop,
  ) {
    super();
    this.host = {
      extensionUri,
      log,
      runtime,
      loadOlder: (node) => (this.isTreeNode(node) ? explorer.loadMore(node) : node.messages.loadMore()),
      fetchNewest: async (node) =>
        (
          await accounts.call(node.pageNode.page, (client, creds) =>
            client.listMessages(creds, node.conversation.id, { limit: setting('messages.pageSize') }),
          )
        ).items,
      isSimulator: () => botLoop.simulatorOrigin !== undefined,
      send: async (panel, as, text) =>
        (await vscode.commands.executeCommand<string | undefined>(
          as === 'page' ? Commands.replyAsPage : Commands.conversationWriteAsPerson,
          { threadKey: panel.key },
          text,
        )) !== undefined,
    };
    this.stream = this._register(new SimulatorChangeStream(log, keys));
    this._register(
      this.stream.onDidChangeThread((threadId) => {
        for (const panel of this.panels.values()) {
          if (panel.node.conversation.id === threadId) {
            panel.refresh().catch((e: unknown) => log.error('Refreshing the conversation failed', e));
          }
        }
      }),
    );
    this._register(this.stream.onDidChangeConnection(() => this.rescheduleAll()));
    this._register(
      onDidChangeUsage((usage) => {
        this.usage = usage;
      }),
    );
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.conversation.showImages`)) {
          this.panels.forEach((p) => p.renderHtml());
        }
        if (e.affectsConfiguration(`${SECTION}.conversation.refreshSeconds`)) {
          this.rescheduleAll();
        }
      }),
    );
    this._register(accounts.onDidChangeEndpoint(() => this.syncStream()));
    this._register(
      accounts.onDidRemoveAccounts(() => {
        // What was read with removed tokens goes with them.
        void this.closeOrphans();
      }),
    );
    this._register(vscode.window.registerWebviewPanelSerializer(WebviewTypes.conversation, this));
  }

  /** Opens (or reveals) the panel of a thread. */
  open(node: ConversationNode): ConversationPanel {
    const key = conversationKey(node.pageNode.page.id, node.conversation.id);
    const existing = this.panels.get(key);
    if (existing) {
      existing.reveal(node);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(WebviewTypes.conversation, '', vscode.ViewColumn.Active, {
      enableFindWidget: true,
      enableScripts: true,
    });
    return this.adopt(panel, node);
  }

  panelFor(threadId: string): ConversationPanel | undefined {
    return [...this.panels.values()].find((p) => p.node.conversation.id === threadId);
  }

  /** Test seam: the simulator's control key, as `npm start` would hand it over. */
  useSimulatorKey(origin: string, key: string): void {
    this.keys.set(origin, key);
    this.syncStream();
  }

  get streamConnected(): boolean {
    return this.stream.connected;
  }

  /** Restores a panel after a reload from its state: Page ID, thread ID and platform. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const restored = parseState(state);
    if (!restored) {
      panel.dispose();
      return;
    }
    panel.title = restored.title ?? restored.threadId;
    const pageNode = (await this.explorer.roots()).find((n): n is PageNode => n.kind === 'page' && n.page.id === restored.pageId);
    if (!pageNode) {
      this.log.info(`Not restoring the conversation ${restored.threadId}: its Page ${restored.pageId} is not connected.`);
      panel.dispose();
      return;
    }
    this.adopt(panel, this.nodeFor(pageNode, restored.threadId, restored.platform));
  }

  registerCommands(commands: CommandRunner): vscode.Disposable {
    const run = (command: string) => async (context?: WebviewContext) => {
      const { panel, messageId } = this.target(context);
      const node = messageId ? panel.messageNode(messageId) : undefined;
      if (!node) {
        throw precondition(vscode.l10n.t('Right-click a message in a conversation first.'));
      }
      await vscode.commands.executeCommand(command, node);
      if (command === Commands.openMessage) {
        // Details may bring reactions the list did not.
        panel.refreshView();
      }
    };
    return vscode.Disposable.from(
      commands.register(Commands.openConversation, (node?: ExplorerNode) => {
        const target = node ?? this.tree.selection[0];
        const thread = target?.kind === 'message' ? target.parent : target;
        if (thread?.kind !== 'conversation') {
          throw precondition(vscode.l10n.t('Select a conversation in the Conversations view first.'));
        }
        this.open(thread);
      }),
      commands.register(Commands.conversationRefresh, (context?: WebviewContext) => this.target(context).panel.refresh()),
      commands.register(Commands.replyAsPage, async (target?: ExplorerNode | WebviewContext, text?: unknown) => {
        const node = this.threadOf(target);
        const message =
          typeof text === 'string'
            ? text
            : await vscode.window.showInputBox({
                title: vscode.l10n.t('Reply as {0}', node.pageNode.page.name),
                prompt: vscode.l10n.t('Sent through the Send API (messaging_type RESPONSE) to {0}.', panelTitle(node)),
                ignoreFocusOut: true,
                validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Write a message first.')),
              });
        if (!message?.trim()) {
          return undefined;
        }
        const id = await this.botLoop.replyAsPage(node, message.trim());
        if (id) {
          await this.open(node).refresh();
        }
        return id;
      }),
      commands.register(Commands.conversationWriteAsPerson, async (context?: WebviewContext, text?: unknown) => {
        const { panel } = this.target(context);
        if (typeof text !== 'string' || !text.trim()) {
          throw precondition(vscode.l10n.t('Write a message first.'));
        }
        const id = await this.botLoop.writeAsPerson(panel.node, text.trim());
        await panel.refresh();
        return id;
      }),
      commands.register(Commands.conversationReplayAsWebhook, run(Commands.replayAsWebhook)),
      commands.register(Commands.conversationCopyMessageId, run(Commands.copyId)),
      commands.register(Commands.conversationOpenMessage, run(Commands.openMessage)),
      commands.register(Commands.conversationOpenRawJson, run(Commands.openRawJson)),
      commands.register(Commands.conversationResolveSender, run(Commands.resolveParticipant)),
      commands.register(Commands.conversationCopyAsCurl, run(Commands.copyAsCurl)),
      commands.register(Commands.conversationOpenLink, async (context?: WebviewContext) => {
        if (!context?.href) {
          throw precondition(vscode.l10n.t('Right-click a link in a message first.'));
        }
        await openLink(context.href);
      }),
    );
  }

  override dispose(): void {
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    this.timers.clear();
    for (const panel of [...this.panels.values()]) {
      panel.panel.dispose();
    }
    super.dispose();
  }

  private adopt(webviewPanel: vscode.WebviewPanel, node: ConversationNode): ConversationPanel {
    const panel = new ConversationPanel(webviewPanel, node, this.host);
    const key = panel.key;
    this.panels.set(key, panel);
    panel.onDidRender((timing) => {
      this.renders.push(timing);
      if (this.renders.length > 200) {
        this.renders.shift();
      }
    });
    webviewPanel.onDidChangeViewState(() => this.schedule(panel));
    panel.onDidDispose(() => {
      this.panels.delete(key);
      this.unschedule(panel);
      this.syncStream();
    });
    this.syncStream();
    this.schedule(panel);
    return panel;
  }

  /** A thread's node: the tree's if it has one, else one made for this panel alone. */
  private nodeFor(pageNode: PageNode, threadId: string, platform: Platform): ConversationNode {
    const known = pageNode.conversations.get(threadId);
    if (known) {
      return known;
    }
    const owner = pageNode.groups.find((g) => g.platform === platform) ?? pageNode;
    const list = new PagedList<Message>((after) =>
      this.accounts.call(pageNode.page, (client, creds) =>
        client.listMessages(creds, threadId, { limit: setting('messages.pageSize'), after }),
      ),
    );
    return new ConversationNode(owner, platform, { id: threadId, participants: [], raw: { id: threadId } }, list);
  }

  private isTreeNode(node: ConversationNode): boolean {
    return node.pageNode.conversations.get(node.conversation.id) === node;
  }

  /** The thread a Reply command is about: a tree node (thread or message), a panel, or the active panel. */
  private threadOf(target: ExplorerNode | WebviewContext | undefined): ConversationNode {
    if (target && 'kind' in target) {
      const thread = target.kind === 'message' ? target.parent : target;
      if (thread.kind === 'conversation') {
        return thread;
      }
    }
    const selected = this.tree.selection[0];
    if (!target && ![...this.panels.values()].some((p) => p.panel.active) && selected) {
      return this.threadOf(selected);
    }
    if (target && 'kind' in target) {
      throw precondition(vscode.l10n.t('Select a conversation in the Conversations view first.'));
    }
    return this.target(target).panel.node;
  }

  private target(context: WebviewContext | undefined): { panel: ConversationPanel; messageId?: string } {
    const panel =
      (context?.threadKey ? this.panels.get(context.threadKey) : undefined) ?? [...this.panels.values()].find((p) => p.panel.active);
    if (!panel) {
      throw precondition(vscode.l10n.t('Open a conversation first.'));
    }
    return { panel, messageId: context?.messageId };
  }

  /** Panels whose Page is no longer connected close. */
  private async closeOrphans(): Promise<void> {
    const pages = new Set((await this.accounts.pages()).map((p) => p.id));
    for (const panel of [...this.panels.values()]) {
      if (!pages.has(panel.node.pageNode.page.id)) {
        panel.panel.dispose();
      }
    }
  }

  private syncStream(): void {
    const endpoint = this.accounts.endpoint;
    this.stream.follow(endpoint.ok && endpoint.isSimulator && this.panels.size > 0 ? endpoint.origin : undefined);
    this.rescheduleAll();
  }

  private rescheduleAll(): void {
    this.panels.forEach((p) => this.schedule(p));
  }

  /** The next automatic refresh of a visible panel, or none. */
  private delayMs(): number | undefined {
    const endpoint = this.accounts.endpoint;
    const seconds = setting('conversation.refreshSeconds');
    const configured = seconds > 0 ? Math.max(MIN_REFRESH_SECONDS, seconds) * 1000 : undefined;
    if (endpoint.ok && endpoint.isSimulator) {
      // The change stream refreshes at once; without it, poll the local simulator every few seconds.
      return this.stream.connected ? configured : Math.min(configured ?? SIMULATOR_POLL_MS, SIMULATOR_POLL_MS);
    }
    const factor = pacingFactor(this.usage);
    return configured === undefined || factor === undefined ? undefined : configured * factor;
  }

  private schedule(panel: ConversationPanel): void {
    this.unschedule(panel);
    if (![...this.panels.values()].includes(panel)) {
      return;
    }
    const delay = panel.panel.visible ? this.delayMs() : undefined;
    if (delay === undefined) {
      return;
    }
    this.timers.set(
      panel,
      setTimeout(() => {
        this.timers.delete(panel);
        panel.refresh().then(
          () => this.schedule(panel),
          (e: unknown) => this.log.error('Refreshing the conversation failed', e),
        );
      }, delay),
    );
  }

  private unschedule(panel: ConversationPanel): void {
    const timer = this.timers.get(panel);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.timers.delete(panel);
    }
  }
}

function parseState(state: unknown): ConversationState | undefined {
  if (typeof state !== 'object' || state === null) {
    return undefined;
  }
  const s = state as Record<string, unknown>;
  const digits = /^[A-Za-z0-9_:.-]{1,200}$/;
  if (typeof s.pageId !== 'string' || typeof s.threadId !== 'string' || !digits.test(s.pageId) || !digits.test(s.threadId)) {
    return undefined;
  }
  const platform = s.platform === 'instagram' ? 'instagram' : 'messenger';
  return { pageId: s.pageId, threadId: s.threadId, platform, title: typeof s.title === 'string' ? s.title.slice(0, 200) : undefined };
}
