import * as vscode from 'vscode';
import { CONTROL_KEY_HEADER } from '../../core/accounts/simulatorCredentials';
import { ConversationNode, MessageNode } from '../../core/explorer/nodes';
import { participantName } from '../../core/explorer/messageSummary';
import { GraphError } from '../../core/graph/errors';
import { buildWebhookEvent, checkBotUrl, SIGNATURE_HEADER, signatureOf, verificationUrl } from '../../core/webhooks/webhookEvent';
import { AccountService } from '../accounts/accountService';
import { Commands } from '../constants';
import { Logger } from '../logger';
import { badInput, precondition, UserError } from '../userError';
import { SimulatorKeys } from './simulatorKeys';

/** Where Replay and Test Webhook Verification send, per workspace (a URL, never a secret). */
const BOT_URL_KEY = 'messengerExplorer.botUrl';
export const DEFAULT_BOT_URL = 'http://127.0.0.1:3000/webhook';
const BOT_TIMEOUT_MS = 10_000;

/** What the bot answered to a replayed event. */
export interface ReplayOutcome {
  readonly url: string;
  readonly status: number;
  readonly ms: number;
  readonly body: string;
}

/**
 * The bot developer's loop: reply as the Page (Send API), write as the person (simulator only),
 * replay a message as a signed webhook event to a bot, and the verification handshake. Tokens and
 * app secrets stay here: they sign and authorise, and are never logged or shown.
 */
export class BotLoop {
  /** The last replay's answer, for tests and the log. */
  lastReplay: ReplayOutcome | undefined;

  constructor(
    private readonly accounts: AccountService,
    readonly keys: SimulatorKeys,
    private readonly log: Logger,
    private readonly workspaceState: vscode.Memento,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  /** The simulator's origin, when the Graph host is one. */
  get simulatorOrigin(): string | undefined {
    const endpoint = this.accounts.endpoint;
    return endpoint.ok && endpoint.isSimulator ? endpoint.origin : undefined;
  }

  /**
   * Sends `text` as the Page to the thread's person (Send API, RESPONSE). On Meta's hosts it asks
   * first; on the simulator it sends at once. Returns the new message's ID, or undefined if cancelled.
   */
  async replyAsPage(node: ConversationNode, text: string): Promise<string | undefined> {
    const person = node.participant;
    if (!person) {
      throw precondition(vscode.l10n.t('This thread has no other participant to reply to.'));
    }
    const name = participantName(person);
    if (!this.simulatorOrigin) {
      const send = vscode.l10n.t('Send');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('This sends a real message to {0}.', name),
        {
          modal: true,
          detail: vscode.l10n.t('It is sent as {0} through the Send API, and {1} will see it.', node.pageNode.page.name, name),
        },
        send,
      );
      if (answer !== send) {
        return undefined;
      }
    }
    const page = node.pageNode.page;
    try {
      const sent = await this.accounts.call(page, (client, creds) => client.sendMessage(creds, page.id, person.id, text));
      this.log.info(`Sent message ${sent.messageId} as Page ${page.id} to ${person.id}.`);
      return sent.messageId;
    } catch (error) {
      throw explainSendError(error, name, node.platform === 'instagram');
    }
  }

  /** The person of a simulator thread writes `text` (`POST /__simulator/inbound`); the bot gets the webhook. */
  async writeAsPerson(node: ConversationNode, text: string): Promise<string> {
    const origin = this.simulatorOrigin;
    if (!origin) {
      throw precondition(vscode.l10n.t('Writing as the person works only with the local simulator.'));
    }
    const key = this.keys.get(origin);
    if (!key) {
      throw new UserError(
        vscode.l10n.t(
          'Writing as the person needs the simulator\'s control key: run Connect to Local Simulator with the address it printed (with "?key=…").',
        ),
        {
          severity: 'warning',
          actions: [
            { title: vscode.l10n.t('Connect to Local Simulator…'), run: () => vscode.commands.executeCommand(Commands.connectSimulator) },
          ],
        },
      );
    }
    const person = node.participant;
    if (!person) {
      throw precondition(vscode.l10n.t('This thread has no other participant to write as.'));
    }
    const response = await this.fetchImpl(`${origin}/__simulator/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CONTROL_KEY_HEADER]: key },
      body: JSON.stringify({ page: node.pageNode.page.id, from: person.id, text }),
      redirect: 'manual',
      signal: AbortSignal.timeout(BOT_TIMEOUT_MS),
    });
    const body = (await response.json().catch(() => ({}))) as { message_id?: unknown; error?: unknown };
    if (response.status === 401) {
      this.keys.forget(origin);
    }
    if (!response.ok || typeof body.message_id !== 'string') {
      throw new UserError(
        vscode.l10n.t(
          'The simulator refused the message (HTTP {0}): {1}',
          response.status,
          typeof body.error === 'string' ? body.error : '',
        ),
      );
    }
    return body.message_id;
  }

  /** The bot URL remembered for this workspace, else the example bot's loopback address. */
  get botUrl(): string {
    return this.workspaceState.get<string>(BOT_URL_KEY) ?? DEFAULT_BOT_URL;
  }

  /**
   * Asks for the bot URL (or takes `given`), checks it and, for a host other than this machine,
   * asks for confirmation. Remembered per workspace.
   */
  async chooseBotUrl(given?: string): Promise<string | undefined> {
    const value =
      given ??
      (await vscode.window.showInputBox({
        title: vscode.l10n.t('Bot Webhook URL'),
        prompt: vscode.l10n.t('Where your bot receives webhooks, e.g. {0}', DEFAULT_BOT_URL),
        value: this.botUrl,
        ignoreFocusOut: true,
        validateInput: (v) => (checkBotUrl(v).ok ? undefined : vscode.l10n.t('Enter an http or https URL.')),
      }));
    if (value === undefined) {
      return undefined;
    }
    const checked = checkBotUrl(value);
    if (!checked.ok) {
      throw badInput(vscode.l10n.t('Enter an http or https URL.'));
    }
    if (!checked.loopback) {
      const send = vscode.l10n.t('Send');
      const host = new URL(checked.url).host;
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('Send to {0}?', host),
        {
          modal: true,
          detail: vscode.l10n.t('{0} is not on this machine. The event carries message contents and a valid signature.', host),
        },
        send,
      );
      if (answer !== send) {
        return undefined;
      }
    }
    await this.workspaceState.update(BOT_URL_KEY, checked.url);
    return checked.url;
  }

  /**
   * Builds the webhook event Meta would have sent for a message, signs the exact bytes with the
   * Page's app secret and POSTs them to the bot. Throws with an explanation when the bot refuses.
   */
  async replay(node: MessageNode, url: string): Promise<ReplayOutcome> {
    const thread = node.parent;
    const page = thread.pageNode.page;
    const apps = await this.accounts.apps();
    const app = apps.find((a) => a.id === page.appId) ?? (page.appId === undefined && apps.length === 1 ? apps[0] : undefined);
    if (!app) {
      throw new UserError(
        page.appId
          ? vscode.l10n.t('Add the app {0} (its App Secret signs webhook events) to replay messages of {1}.', page.appId, page.name)
          : vscode.l10n.t('Add the app of {0} (its App Secret signs webhook events) to replay its messages.', page.name),
        {
          severity: 'warning',
          actions: [{ title: vscode.l10n.t('Add App…'), run: () => vscode.commands.executeCommand(Commands.addApp) }],
        },
      );
    }
    const instagram = thread.platform === 'instagram';
    const event = buildWebhookEvent(node.message, {
      platform: thread.platform,
      entityId: instagram ? (page.instagram?.id ?? page.id) : page.id,
      ownIds: thread.pageNode.ownIds,
      personId: thread.participant?.id,
      nowMs: Date.now(),
    });
    const body = JSON.stringify(event);
    const signature = await signatureOf(body, app.secret);
    const started = performance.now();
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(BOT_TIMEOUT_MS),
      });
    } catch (error) {
      throw new UserError(
        vscode.l10n.t('Could not reach the bot at {0}: {1}', url, error instanceof Error ? error.message : String(error)),
      );
    }
    const text = (await response.text().catch(() => '')).slice(0, 2000);
    const outcome: ReplayOutcome = { url, status: response.status, ms: Math.round(performance.now() - started), body: text };
    this.lastReplay = outcome;
    this.log.info(`Replayed message ${node.message.id} to ${url}: HTTP ${outcome.status} in ${outcome.ms} ms.`);
    if (response.status === 401 || response.status === 403) {
      throw new UserError(
        vscode.l10n.t(
          'The bot answered HTTP {0}: the bot rejected the signature: check that it uses the app secret of {1} ({2}).',
          outcome.status,
          app.name,
          app.id,
        ),
        { severity: 'warning' },
      );
    }
    if (!response.ok) {
      throw new UserError(vscode.l10n.t('The bot answered HTTP {0} in {1} ms.', outcome.status, outcome.ms), { severity: 'warning' });
    }
    return outcome;
  }

  /** Meta's handshake against the bot: whether it echoes the challenge for this verify token. */
  async testVerification(url: string, verifyToken: string): Promise<{ ok: boolean; status: number }> {
    const challenge = String(Math.floor(Math.random() * 1e9));
    let response: Response;
    try {
      response = await this.fetchImpl(verificationUrl(url, verifyToken, challenge), {
        redirect: 'manual',
        signal: AbortSignal.timeout(BOT_TIMEOUT_MS),
      });
    } catch (error) {
      throw new UserError(
        vscode.l10n.t('Could not reach the bot at {0}: {1}', url, error instanceof Error ? error.message : String(error)),
      );
    }
    const text = (await response.text().catch(() => '')).trim();
    return { ok: response.status === 200 && text === challenge, status: response.status };
  }
}

/** Meta's Send API refusals, explained; others pass through. */
export function explainSendError(error: unknown, person: string, instagram: boolean): unknown {
  if (!(error instanceof GraphError)) {
    return error;
  }
  if (error.code === 10 && (error.subcode === 2018278 || error.subcode === 2534022)) {
    return new UserError(
      instagram
        ? vscode.l10n.t(
            'Meta refused: {0} last wrote more than 24 hours ago. Outside the 24-hour window, Instagram takes only messages with the HUMAN_AGENT message tag (up to 7 days, sent by a person).',
            person,
          )
        : vscode.l10n.t(
            'Meta refused: {0} last wrote more than 24 hours ago. Outside the 24-hour standard messaging window, only a message with a message tag (e.g. HUMAN_AGENT, up to 7 days, sent by a person) may be sent.',
            person,
          ),
      { severity: 'warning', cause: error },
    );
  }
  if (error.code === 551) {
    return new UserError(
      vscode.l10n.t('Meta refused: {0} is not available right now (they may have blocked the Page or deleted their account).', person),
      {
        severity: 'warning',
        cause: error,
      },
    );
  }
  return error;
}
