import * as vscode from 'vscode';
import { CONTROL_KEY_HEADER } from '../../core/accounts/simulatorCredentials';
import { DisposableStore, Emitter } from '../../core/events';
import {
  decodeDeliveryDetail,
  decodeDeliveryList,
  DeliveryDetail,
  DeliveryRecord,
  deliveryStatusCode,
} from '../../core/webhooks/deliveries';
import { AccountService } from '../accounts/accountService';
import { CommandRunner } from '../commandRunner';
import { Commands } from '../constants';
import { ContextKeys, setContext } from '../contextKeys';
import { ExplorerDocuments } from '../conversations/documents';
import { SimulatorChangeStream } from '../conversationView/liveUpdates';
import { Logger } from '../logger';
import { precondition, UserError } from '../userError';
import { SimulatorKeys } from './simulatorKeys';

const TIMEOUT_MS = 10_000;
/** Changes arriving together (a delivery created, then its attempt ended) are read once. */
const COALESCE_MS = 150;
/** The stream's client name: the conversation panels are another client of the same stream. */
const STREAM_CLIENT = 'deliveries';

/** What the welcome text of the view says: not on the simulator, no control key, or ready. */
export type DeliveriesViewState = 'meta' | 'noKey' | 'ready';

/**
 * The Webhook Deliveries view: the local simulator's delivery log (each POST to the bot, its
 * status, time and attempts), newest first, kept live by the simulator's change stream (shared with
 * the conversation panels) while the view is visible. Opens a delivery's payload and the bot's
 * response as read-only documents, and redelivers. Talks only to the simulator's control plane,
 * with its per-run key; nothing here carries a Graph token.
 */
export class DeliveriesView extends DisposableStore implements vscode.TreeDataProvider<DeliveryRecord> {
  private readonly changed = this._register(new vscode.EventEmitter<DeliveryRecord | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly loaded = this._register(new Emitter<readonly DeliveryRecord[]>());
  /** The list was read again (tests wait on it). */
  readonly onDidLoad = this.loaded.event;
  readonly view: vscode.TreeView<DeliveryRecord>;
  /** The last list read, newest first. */
  items: readonly DeliveryRecord[] = [];
  /** How many times the log was read (it is read when the change stream announces a change, not on a timer). */
  reads = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private reading: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly accounts: AccountService,
    private readonly keys: SimulatorKeys,
    private readonly stream: SimulatorChangeStream,
    private readonly documents: ExplorerDocuments,
    private readonly log: Logger,
    viewId: string,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ) {
    super();
    this.view = this._register(vscode.window.createTreeView(viewId, { treeDataProvider: this, showCollapseAll: false }));
    this._register(this.view.onDidChangeVisibility(() => this.sync()));
    this._register(accounts.onDidChangeEndpoint(() => this.sync()));
    this._register(keys.onDidChange(() => this.sync()));
    this._register(stream.onDidChangeDeliveries(() => this.soon()));
    // The stream reconnected (the simulator restarted): what was missed is read again.
    this._register(stream.onDidChangeConnection((connected) => connected && this.soon()));
    this.sync();
  }

  /** The simulator's origin and control key, when both are known. */
  private get target(): { origin: string; key: string } | undefined {
    const endpoint = this.accounts.endpoint;
    const origin = endpoint.ok && endpoint.isSimulator ? endpoint.origin : undefined;
    const key = origin ? this.keys.get(origin) : undefined;
    return origin && key ? { origin, key } : undefined;
  }

  get state(): DeliveriesViewState {
    const endpoint = this.accounts.endpoint;
    if (!(endpoint.ok && endpoint.isSimulator)) {
      return 'meta';
    }
    return this.target ? 'ready' : 'noKey';
  }

  /** Follows the change stream while the view is visible on a simulator with a key; reads the list. */
  private sync(): void {
    const state = this.state;
    setContext(ContextKeys.deliveries, state);
    const target = this.target;
    this.stream.follow(target && this.view.visible ? target.origin : undefined, STREAM_CLIENT);
    if (state !== 'ready') {
      if (this.items.length > 0) {
        this.items = [];
        this.changed.fire(undefined);
      }
      this.view.message = undefined;
      return;
    }
    if (this.view.visible) {
      this.soon();
    }
  }

  private soon(): void {
    if (this.timer !== undefined || !this.view.visible) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.reload();
    }, COALESCE_MS);
  }

  /** Reads the log again (one read at a time; a change during a read reads once more after it). */
  async reload(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.read().finally(() => {
      this.reading = undefined;
      if (this.again) {
        this.again = false;
        void this.reload();
      }
    });
    return this.reading;
  }

  private async read(): Promise<void> {
    const target = this.target;
    if (!target) {
      return;
    }
    try {
      this.reads++;
      const body = await this.control(target, 'GET', '/deliveries?limit=200');
      this.items = decodeDeliveryList(body);
      this.view.message = undefined;
    } catch (error) {
      this.log.warn(`Reading the webhook deliveries failed: ${error instanceof Error ? error.message : String(error)}`);
      this.view.message = error instanceof UserError ? error.message : vscode.l10n.t('The simulator did not answer.');
    }
    this.changed.fire(undefined);
    this.loaded.fire(this.items);
  }

  getChildren(element?: DeliveryRecord): DeliveryRecord[] {
    return element ? [] : [...this.items];
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(d: DeliveryRecord): vscode.TreeItem {
    const item = new vscode.TreeItem(fieldsLabel(d), vscode.TreeItemCollapsibleState.None);
    item.id = d.id;
    item.description = describe(d);
    item.iconPath = iconOf(d);
    item.contextValue = d.redeliveryOf ? 'delivery.redelivery' : 'delivery';
    item.accessibilityInformation = { label: `${fieldsLabel(d)}, ${describe(d)}` };
    const tip = new vscode.MarkdownString(undefined, false);
    tip.appendText(`${fieldsLabel(d)} · ${statusLabel(d)}\n\n`);
    tip.appendText(`${vscode.l10n.t('To {0}', d.url)}\n\n`);
    tip.appendText(`${vscode.l10n.t('Queued at {0}', formatTime(d.createdAt))} · ${d.id}`);
    if (d.redeliveryOf) {
      tip.appendText(`\n\n${vscode.l10n.t('A redelivery of {0}', d.redeliveryOf)}`);
    }
    if (d.error) {
      tip.appendText(`\n\n${d.error}`);
    }
    item.tooltip = tip;
    item.command = { command: Commands.deliveryOpenPayload, title: vscode.l10n.t('Open Payload'), arguments: [d] };
    return item;
  }

  /** The full record of a delivery, with its payload. */
  async detail(d: DeliveryRecord): Promise<DeliveryDetail> {
    const target = this.requireTarget();
    const found = decodeDeliveryDetail(await this.control(target, 'GET', `/deliveries/${encodeURIComponent(d.id)}`));
    if (!found) {
      throw new UserError(vscode.l10n.t('The simulator no longer has delivery {0}.', d.id));
    }
    return found;
  }

  /** Opens the POSTed JSON as a read-only document titled like "Delivery · messages · 200". */
  async openPayload(d: DeliveryRecord): Promise<vscode.TextEditor> {
    const found = await this.detail(d);
    const title = vscode.l10n.t('Delivery · {0} · {1}', fieldsLabel(found), statusLabel(found));
    const content = typeof found.payload === 'string' ? found.payload : JSON.stringify(found.payload, undefined, 2);
    return this.documents.open(`/delivery/${safe(found.id)}/${safe(title)}.json`, `${content}\n`, 'json');
  }

  /** Opens what the bot answered (status, time, body of each attempt), titled like "Bot's response · messages · 200". */
  async openResponse(d: DeliveryRecord): Promise<vscode.TextEditor> {
    const found = await this.detail(d);
    const title = vscode.l10n.t("Bot's response · {0} · {1}", fieldsLabel(found), statusLabel(found));
    const lines: string[] = [];
    found.attemptLog.forEach((a, i) => {
      const status = a.status !== undefined && a.status > 0 ? `HTTP ${a.status}` : (a.error ?? vscode.l10n.t('no answer'));
      lines.push(vscode.l10n.t('Attempt {0} at {1}: {2} in {3} ms', i + 1, formatTime(a.at), status, Math.round(a.latencyMs ?? 0)));
    });
    if (lines.length === 0) {
      lines.push(vscode.l10n.t('Not attempted yet.'));
    }
    lines.push('', found.responseBody ?? vscode.l10n.t('(no response body)'));
    return this.documents.open(`/delivery/${safe(found.id)}/${safe(title)}.txt`, `${lines.join('\n')}\n`, 'plaintext');
  }

  /** Sends the same bytes again as a new delivery; returns its ID. */
  async redeliver(d: DeliveryRecord): Promise<string> {
    const target = this.requireTarget();
    const body = (await this.control(target, 'POST', `/deliveries/${encodeURIComponent(d.id)}/redeliver`, {})) as { id?: unknown };
    void this.reload();
    return typeof body.id === 'string' ? body.id : '';
  }

  private requireTarget(): { origin: string; key: string } {
    const target = this.target;
    if (!target) {
      throw precondition(
        this.state === 'meta'
          ? vscode.l10n.t('Webhook deliveries are kept by the local simulator: connect to it first.')
          : vscode.l10n.t(
              'Reading webhook deliveries needs the simulator\'s control key: run Connect to Local Simulator with the address it printed (with "?key=…").',
            ),
      );
    }
    return target;
  }

  private async control(target: { origin: string; key: string }, method: 'GET' | 'POST', path: string, json?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { [CONTROL_KEY_HEADER]: target.key };
    if (json !== undefined) {
      headers['content-type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await this.fetchImpl(`${target.origin}/__simulator${path}`, {
        method,
        headers,
        body: json === undefined ? undefined : JSON.stringify(json),
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new UserError(
        vscode.l10n.t('The simulator at {0} did not answer: {1}', target.origin, error instanceof Error ? error.message : String(error)),
      );
    }
    const body = (await response.json().catch(() => ({}))) as { error?: unknown };
    if (response.status === 401) {
      // Restarted with another key: the view says how to connect again.
      this.keys.forget(target.origin);
    }
    if (!response.ok) {
      throw new UserError(
        vscode.l10n.t('The simulator refused (HTTP {0}): {1}', response.status, typeof body.error === 'string' ? body.error : ''),
      );
    }
    return body;
  }

  registerCommands(runner: CommandRunner): vscode.Disposable {
    const pick = (d: unknown): DeliveryRecord => {
      const chosen = isRecord(d) ? d : this.view.selection[0];
      if (!chosen) {
        throw precondition(vscode.l10n.t('Select a delivery in the Webhook Deliveries view first.'));
      }
      return chosen;
    };
    return vscode.Disposable.from(
      runner.register(Commands.deliveriesRefresh, () => this.reload()),
      runner.register(Commands.deliveryOpenPayload, (d?: unknown) => this.openPayload(pick(d))),
      runner.register(Commands.deliveryOpenResponse, (d?: unknown) => this.openResponse(pick(d))),
      runner.register(Commands.deliveryRedeliver, (d?: unknown) => this.redeliver(pick(d))),
    );
  }

  override dispose(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
    }
    this.stream.follow(undefined, STREAM_CLIENT);
    super.dispose();
  }
}

function isRecord(value: unknown): value is DeliveryRecord {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'string' &&
    Array.isArray((value as { fields?: unknown }).fields)
  );
}

function safe(name: string): string {
  return name.replace(/[\\/:*?"<>|]/g, '_');
}

/** The event types it carries: "messages", "message_echoes, message_deliveries". */
export function fieldsLabel(d: DeliveryRecord): string {
  return d.fields.length > 0 ? d.fields.join(', ') : d.object;
}

/** "200", "failed", "pending": what a title says of the outcome. */
export function statusLabel(d: DeliveryRecord): string {
  const code = deliveryStatusCode(d);
  if (code !== undefined) {
    return String(code);
  }
  switch (d.state) {
    case 'failed':
      return vscode.l10n.t('failed');
    case 'retrying':
      return vscode.l10n.t('retrying');
    case 'delivered':
      return vscode.l10n.t('delivered');
    default:
      return vscode.l10n.t('pending');
  }
}

/** "200 · 12 ms · 1 attempt · redelivery". */
function describe(d: DeliveryRecord): string {
  const parts: string[] = [];
  const code = deliveryStatusCode(d);
  if (code !== undefined && d.state === 'retrying') {
    parts.push(vscode.l10n.t('HTTP {0}, retrying', code));
  } else if (code !== undefined && d.state === 'failed') {
    parts.push(vscode.l10n.t('HTTP {0}, failed', code));
  } else if (code !== undefined) {
    parts.push(`HTTP ${code}`);
  } else {
    parts.push(d.error && d.state !== 'pending' ? vscode.l10n.t('{0}: {1}', statusLabel(d), d.error) : statusLabel(d));
  }
  if (d.latencyMs !== undefined) {
    parts.push(vscode.l10n.t('{0} ms', Math.round(d.latencyMs)));
  }
  parts.push(d.attempts === 1 ? vscode.l10n.t('1 attempt') : vscode.l10n.t('{0} attempts', d.attempts));
  if (d.redeliveryOf) {
    parts.push(vscode.l10n.t('redelivery'));
  }
  return parts.join(' · ');
}

function iconOf(d: DeliveryRecord): vscode.ThemeIcon {
  switch (d.state) {
    case 'delivered':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'retrying':
      return new vscode.ThemeIcon('sync', new vscode.ThemeColor('editorWarning.foreground'));
    default:
      return new vscode.ThemeIcon('loading~spin');
  }
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(vscode.env.language);
}
