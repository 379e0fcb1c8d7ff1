import * as vscode from 'vscode';
import { ConversationNode, MessageNode } from '../../core/explorer/nodes';
import { DisposableStore, Emitter } from '../../core/events';
import { otherParticipant, participantName } from '../../core/explorer/messageSummary';
import { inlineText } from '../../core/explorer/text';
import { buildTranscript, openableLink, TranscriptItem } from '../../core/explorer/transcript';
import { Message } from '../../core/graph/models';
import { GraphError } from '../../core/graph/errors';
import { errorText } from '../errorText';
import { Logger } from '../logger';
import { redact } from '../redaction';
import { ExtensionRuntime } from '../runtime';
import { setting } from '../settings';
import { platformLabel } from '../conversations/treeItems';
import { conversationHtml, newNonce } from './html';
import { ConversationState, FromWebview, parseFromWebview, ToWebview } from './protocol';
import { transcriptLabels, webviewStrings } from './strings';

/** What a panel needs from the rest of the extension. */
export interface PanelHost {
  readonly extensionUri: vscode.Uri;
  readonly log: Logger;
  readonly runtime: ExtensionRuntime;
  /** Loads the next older page of the thread into its list (1 request). */
  loadOlder(node: ConversationNode): Promise<void>;
  /** The thread's newest page (1 request), for Refresh. */
  fetchNewest(node: ConversationNode): Promise<readonly Message[]>;
  /** Whether the thread's Graph host is the local simulator. */
  isSimulator(): boolean;
  /** The composer's text, sent as the Page or (simulator) as the person; true when it went out. */
  send(panel: ConversationPanel, as: 'page' | 'person', text: string): Promise<boolean>;
}

export interface RenderTiming {
  readonly threadId: string;
  /** From the data's arrival to the first screen (the newest messages) laid out. */
  readonly ms: number;
  /** Until every message is in the DOM (older ones are added above in chunks). */
  readonly totalMs: number;
  readonly count: number;
  readonly reason: string;
}

/** The media a page may load: the view's own folder, nothing else. */
export function mediaRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'media', 'conversationView');
}

export function panelTitle(node: ConversationNode): string {
  const person = participantName(otherParticipant(node.conversation, node.pageNode.ownIds)) || node.conversation.id;
  return [person, inlineText(node.pageNode.page.name, 60) || node.pageNode.page.id, platformLabel(node.platform)].join(' · ');
}

/**
 * One thread in one webview panel. The panel reads its thread through the ConversationNode (the
 * same paged list as the tree), posts display data only, and turns the webview's requests (older
 * page, refresh, open link) into extension work.
 */
export class ConversationPanel extends DisposableStore {
  private readonly closedEmitter = this._register(new Emitter<void>());
  readonly onDidDispose = this.closedEmitter.event;
  private readonly renderedEmitter = this._register(new Emitter<RenderTiming>());
  readonly onDidRender = this.renderedEmitter.event;
  /** Newer copies of loaded messages (Refresh, Open Message Details), by ID. */
  private readonly updates = new Map<string, Message>();
  private seq = 0;
  private ready = false;
  private loadingOlder = false;
  private refreshing = false;
  private lastError: string | undefined;
  private closed = false;
  readonly renders: RenderTiming[] = [];
  readonly cspViolations: { directive: string; blocked: string }[] = [];
  /** The last transcript posted, for tests. */
  lastItems: readonly TranscriptItem[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    public node: ConversationNode,
    private readonly host: PanelHost,
  ) {
    super();
    panel.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [mediaRoot(host.extensionUri)] };
    this.setTitle();
    this.renderHtml();
    this._register(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseFromWebview(raw);
        if (message) {
          this.receive(message).catch((error: unknown) => host.log.error('The conversation view failed', error));
        }
      }),
    );
    this._register(
      panel.onDidDispose(() => {
        this.closed = true;
        this.closedEmitter.fire();
        this.dispose();
      }),
    );
  }

  get key(): string {
    return conversationKey(this.node.pageNode.page.id, this.node.conversation.id);
  }

  get state(): ConversationState {
    return {
      pageId: this.node.pageNode.page.id,
      threadId: this.node.conversation.id,
      platform: this.node.platform,
      title: this.panel.title,
    };
  }

  /** Loaded messages, newest copies first. */
  get messages(): Message[] {
    return this.node.messages.items.map((m) => this.latest(m));
  }

  /** The tree's node for a message shown here (made if the tree never listed it), for the existing commands. */
  messageNode(messageId: string): MessageNode | undefined {
    const existing = this.node.messageNodes.get(messageId);
    if (existing) {
      return existing;
    }
    const message = this.node.messages.items.find((m) => m.id === messageId);
    if (!message) {
      return undefined;
    }
    const created = new MessageNode(this.node, this.latest(message));
    this.node.messageNodes.set(messageId, created);
    return created;
  }

  /** Re-reads the HTML (images setting changed): the page reloads and asks for its data again. */
  renderHtml(): void {
    this.ready = false;
    const webview = this.panel.webview;
    webview.html = conversationHtml({
      cspSource: webview.cspSource,
      nonce: newNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot(this.host.extensionUri), 'main.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot(this.host.extensionUri), 'main.css')).toString(),
      showImages: setting('conversation.showImages'),
      lang: vscode.env.language,
      title: this.panel.title,
    });
  }

  /** Shows this thread again (the node may have been rebuilt by a tree refresh). */
  reveal(node?: ConversationNode): void {
    if (node && node !== this.node) {
      this.node = node;
      this.postTranscript('refresh');
    }
    this.panel.reveal();
  }

  /** One request for the newest page; new messages are added, changed ones replaced. */
  async refresh(): Promise<void> {
    if (this.refreshing || this.closed) {
      return;
    }
    const list = this.node.messages;
    if (list.state !== 'loaded') {
      await this.ensureLoaded(true);
      return;
    }
    this.refreshing = true;
    this.postStatus();
    try {
      const newest = await this.host.fetchNewest(this.node);
      // Newest first from the API; prepend oldest-new first so the list stays newest first.
      for (const message of [...newest].reverse()) {
        const kept = list.prepend(message);
        if (kept !== message) {
          this.updates.set(message.id, message);
        }
      }
      this.lastError = undefined;
    } catch (error) {
      this.lastError = this.describe(error);
    } finally {
      this.refreshing = false;
    }
    this.postTranscript('refresh');
  }

  /** Shows what is loaded again, without a request (details or settings changed). */
  refreshView(): void {
    this.postTranscript('refresh');
  }

  /** Posts a transcript that did not come from the Graph API (render benchmarks). */
  postForTest(items: readonly TranscriptItem[]): number {
    this.lastItems = items;
    return this.post({ type: 'transcript', seq: ++this.seq, reason: 'test', items, hasMore: false });
  }

  private async receive(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post({
          type: 'init',
          strings: webviewStrings(this.personName(), inlineText(this.node.pageNode.page.name, 60) || this.node.pageNode.page.id),
          locale: vscode.env.language,
          state: this.state,
          threadKey: this.key,
          simulator: this.host.isSimulator(),
        });
        // Opening a thread is asking for it: a load that failed earlier (in the tree) is tried again.
        await this.ensureLoaded(true);
        return;
      case 'loadOlder':
        return this.loadOlder();
      case 'refresh':
        return this.refresh();
      case 'retry':
        return this.ensureLoaded(true);
      case 'openLink':
        return openLink(message.href);
      case 'send': {
        const ok = await this.host.send(this, message.as, message.text);
        this.post({ type: 'sent', ok });
        return;
      }
      case 'rendered': {
        const timing = {
          threadId: this.node.conversation.id,
          ms: message.ms,
          totalMs: message.totalMs,
          count: message.count,
          reason: message.reason,
        };
        this.renders.push(timing);
        this.host.log.trace(
          `Conversation ${timing.threadId}: rendered ${timing.count} messages (${timing.reason}) in ${timing.ms.toFixed(1)} ms (all in ${timing.totalMs.toFixed(1)} ms)`,
        );
        this.renderedEmitter.fire(timing);
        return;
      }
      case 'cspViolation':
        this.cspViolations.push({ directive: message.directive, blocked: message.blocked });
        this.host.log.warn(`Conversation view: the content security policy blocked ${message.blocked} (${message.directive})`);
        return;
    }
  }

  private async ensureLoaded(retry: boolean): Promise<void> {
    const list = this.node.messages;
    if (list.state === 'loaded' && !retry) {
      this.postTranscript('initial');
      return;
    }
    this.postStatus();
    await (retry && list.state === 'failed' ? list.retry() : list.ensureLoaded());
    this.lastError = list.error ? this.describe(list.error) : undefined;
    this.learnParticipants();
    this.postTranscript('initial');
  }

  private async loadOlder(): Promise<void> {
    const list = this.node.messages;
    if (this.loadingOlder || !list.hasMore) {
      return;
    }
    this.loadingOlder = true;
    this.postStatus();
    try {
      await this.host.loadOlder(this.node);
      this.lastError = list.error ? this.describe(list.error) : undefined;
    } finally {
      this.loadingOlder = false;
    }
    this.postTranscript('older');
  }

  private postTranscript(reason: 'initial' | 'older' | 'refresh'): void {
    if (!this.ready) {
      return;
    }
    const page = this.node.pageNode;
    const items = buildTranscript(this.messages, {
      ownIds: page.ownIds,
      pageName: page.page.name,
      platform: this.node.platform,
      locale: vscode.env.language,
      showImages: setting('conversation.showImages'),
      labels: transcriptLabels(),
    });
    this.lastItems = items;
    this.post({ type: 'transcript', seq: ++this.seq, reason, items, hasMore: this.node.messages.hasMore });
    this.postStatus(
      reason === 'refresh' && !this.lastError
        ? vscode.l10n.t('Updated {0}', new Date().toLocaleTimeString(vscode.env.language))
        : undefined,
    );
  }

  private postStatus(updated?: string): void {
    this.post({
      type: 'status',
      loadingOlder: this.loadingOlder,
      refreshing: this.refreshing || this.node.messages.state === 'loading',
      error: this.lastError,
      updated,
    });
  }

  private post(message: ToWebview): number {
    if (this.ready && !this.closed) {
      void this.panel.webview.postMessage(message);
    }
    return this.seq;
  }

  private latest(message: Message): Message {
    const detailed = this.node.messageNodes.get(message.id)?.message;
    return this.updates.get(message.id) ?? (detailed && detailed !== message ? detailed : message);
  }

  /** A restored thread starts with no participants: its messages name them. */
  private learnParticipants(): void {
    if (this.node.conversation.participants.length > 0) {
      return;
    }
    const seen = new Map<string, NonNullable<Message['from']>>();
    for (const message of this.node.messages.items) {
      if (message.from && !seen.has(message.from.id)) {
        seen.set(message.from.id, message.from);
      }
    }
    if (seen.size > 0) {
      this.node.conversation = { ...this.node.conversation, participants: [...seen.values()] };
      this.setTitle();
    }
  }

  private setTitle(): void {
    this.panel.title = this.node.conversation.participants.length > 0 ? panelTitle(this.node) : this.panel.title || panelTitle(this.node);
  }

  private personName(): string {
    return participantName(otherParticipant(this.node.conversation, this.node.pageNode.ownIds)) || this.node.conversation.id;
  }

  private describe(error: unknown): string {
    return redact(error instanceof GraphError ? errorText(error, this.host.runtime) : String(error));
  }
}

export function conversationKey(pageId: string, threadId: string): string {
  return `${pageId}/${threadId}`;
}

/** Opens an https link from a message, through VS Code's external-link confirmation. */
export async function openLink(href: string): Promise<void> {
  const link = openableLink(href);
  if (link) {
    await vscode.env.openExternal(vscode.Uri.parse(link, true));
  }
}
