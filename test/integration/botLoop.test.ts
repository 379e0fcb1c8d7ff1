import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/activate';
import type { ConversationNode, ExplorerNode, MessageNode, PageNode } from '../../src/core/explorer/nodes';
import type { GraphSimulator } from '../../simulator/index';
import { activateExtension } from './support/extension';
import { startSimulatorFor, useGraphHost } from './support/simulator';
import { eventually } from './support/ui';
import { Bot, startBot } from './support/echoBot';

const VERIFY = 'loop-verify';

describe('The bot loop: reply, write as the person, replay (issue 21)', function () {
  this.timeout(120_000);
  let api: TestApi;
  let sim: GraphSimulator;
  let bot: Bot;
  let wrongBot: Bot;
  let thread: ConversationNode;

  const page = () => sim.world.pages.find((p) => !p.instagram) ?? assert.fail('a Page without Instagram');
  const deliveries = () => sim.platform.webhooks.deliveries;

  before(async () => {
    api = await activateExtension();
    sim = await startSimulatorFor(api, { seed: 21, itemCostMs: 0, conversationsPerPage: 4, messagesPerConversation: 6 });
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    // The connect flow keeps the key of the address (in memory): live updates and Write as the person use it.
    await vscode.commands.executeCommand('messengerExplorer.connectSimulator', sim.connectUrl);
    const p = page();
    const secret = sim.world.app(p.appId)?.secret ?? assert.fail('its app');
    const env = { GRAPH_URL: `${sim.url}/v26.0`, PAGE_TOKEN: p.accessToken, VERIFY_TOKEN: VERIFY };
    bot = await startBot({ ...env, APP_SECRET: secret });
    wrongBot = await startBot({ ...env, APP_SECRET: 'not-the-app-secret' });
    const subscribed = await sim.subscribeWebhook(bot.url, VERIFY, 10_000);
    assert.ok(subscribed.ok, subscribed.message);
    const pageNode = await eventually(
      async () =>
        (await api.trees.conversations.getChildren()).find((n): n is PageNode => n.kind === 'page' && n.page.id === p.id) ??
        assert.fail('the Page'),
      10_000,
      'the Page',
    );
    const threadsIn = async (node: ExplorerNode): Promise<ConversationNode[]> => {
      const children = await api.trees.conversations.getChildren(node);
      const nested = await Promise.all(children.filter((c) => c.kind === 'platform').map(threadsIn));
      return [...children.filter((c): c is ConversationNode => c.kind === 'conversation'), ...nested.flat()];
    };
    thread = await eventually(
      async () => (await threadsIn(pageNode)).find((t) => t.platform === 'messenger' && t.participant) ?? assert.fail('a thread'),
      10_000,
      'a Messenger thread',
    );
  });

  after(async () => {
    bot?.child.kill();
    wrongBot?.child.kill();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await useGraphHost(api, undefined);
    await sim?.stop();
  });

  it('Write as the person (simulated): the bot verifies the webhook, replies, and the reply shows in the transcript', async () => {
    await vscode.commands.executeCommand('messengerExplorer.openConversation', thread);
    const panel = await eventually(
      () => api.internals.conversationViews.panelFor(thread.conversation.id) ?? assert.fail('no panel'),
      10_000,
      'the panel',
    );
    const text = `Hello bot ${Date.now()}`;
    const mid = await vscode.commands.executeCommand<string | undefined>(
      'messengerExplorer.conversation.writeAsPerson',
      { threadKey: panel.key },
      text,
    );
    assert.ok(mid, 'the simulator took the message');
    await eventually(
      async () => {
        await panel.refresh();
        assert.ok(
          panel.messages.some((m) => m.text === `Echo: ${text}`),
          `no echo yet: ${panel.messages
            .slice(0, 3)
            .map((m) => m.text ?? '')
            .join(' | ')}`,
        );
      },
      20_000,
      "the bot's reply in the transcript",
    );
    await eventually(
      () => {
        panel.refreshView();
        assert.ok(
          panel.lastItems.some((i) => i.kind === 'message' && JSON.stringify(i).includes(`Echo: ${text}`)),
          'the webview got the reply',
        );
      },
      20_000,
      'the reply posted to the webview',
    );
  });

  it('Reply as Page on the simulator sends at once: the message is in the thread and its echo is delivered to the bot', async () => {
    const text = `From the Page ${Date.now()}`;
    const mid = await vscode.commands.executeCommand<string | undefined>('messengerExplorer.replyAsPage', thread, text);
    assert.ok(mid, 'the Send API answered with a message ID');
    const panel = api.internals.conversationViews.panelFor(thread.conversation.id) ?? assert.fail('the panel');
    await eventually(() => assert.ok(panel.messages.some((m) => m.id === mid && m.text === text)), 10_000, 'the sent message');
    const echo = await eventually(
      () => deliveries().find((d) => d.events.some((e) => e.field === 'message_echoes' && e.mid === mid)) ?? assert.fail('no echo'),
      10_000,
      'the echo delivery',
    );
    await eventually(() => assert.equal(echo.status, 'delivered'), 10_000, 'the echo delivered');
  });

  it('Replay as Webhook Event: the bot verifies the signature (200); a bot with another secret is explained', async () => {
    const panel = api.internals.conversationViews.panelFor(thread.conversation.id) ?? assert.fail('the panel');
    const message =
      panel.messages.find((m) => m.from && !thread.pageNode.ownIds.includes(m.from.id)) ?? assert.fail('a message of the person');
    const node: MessageNode = panel.messageNode(message.id) ?? assert.fail('its node');
    const before = deliveries().length;
    const outcome = await vscode.commands.executeCommand<{ status: number; ms: number } | undefined>(
      'messengerExplorer.replayAsWebhook',
      node,
      bot.url,
    );
    assert.equal(outcome?.status, 200, 'the bot accepted the signature');
    assert.equal(api.storage.workspaceState.get('messengerExplorer.botUrl'), bot.url, 'the bot URL is remembered for the workspace');
    // A replay goes straight to the bot, not through the simulator.
    assert.ok(deliveries().length >= before);

    await assert.rejects(api.internals.botLoop.replay(node, wrongBot.url), (e: Error) => {
      assert.match(e.message, /HTTP 403/);
      assert.match(e.message, /rejected the signature: check that it uses the app secret of /);
      assert.doesNotMatch(e.message, new RegExp(sim.world.app(page().appId)?.secret ?? 'x'));
      return true;
    });
    // Through the command: explained, not thrown.
    const refused = await vscode.commands.executeCommand('messengerExplorer.replayAsWebhook', node, wrongBot.url);
    assert.equal(refused, undefined);
    assert.equal(api.internals.botLoop.lastReplay?.status, 403);
  });

  it('Test Webhook Verification: the challenge comes back with the right verify token, not with another', async () => {
    const ok = await vscode.commands.executeCommand<{ ok: boolean } | undefined>(
      'messengerExplorer.testWebhookVerification',
      bot.url,
      VERIFY,
    );
    assert.equal(ok?.ok, true);
    const wrong = await api.internals.botLoop.testVerification(bot.url, 'wrong-token');
    assert.deepEqual(wrong, { ok: false, status: 403 });
  });
});
