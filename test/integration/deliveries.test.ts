import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/activate';
import type { GraphSimulator } from '../../simulator/index';
import { activateExtension } from './support/extension';
import { Bot, startBot } from './support/echoBot';
import { control, startSimulatorFor, useGraphHost } from './support/simulator';
import { eventually, ui, uiDriverAvailable } from './support/ui';

const VIEW = 'Webhook Deliveries';
const VERIFY = 'deliveries-verify';

describe('The Webhook Deliveries view (issue 21)', function () {
  this.timeout(120_000);
  let api: TestApi;
  let sim: GraphSimulator;
  let bot: Bot;

  const page = () => sim.world.pages.find((p) => !p.instagram) ?? assert.fail('a Page without Instagram');
  const rows = async (label: string) => (await ui.treeRows(VIEW)).filter((r) => r.label === label);

  before(async function () {
    if (!uiDriverAvailable()) {
      this.skip();
    }
    api = await activateExtension();
    sim = await startSimulatorFor(api, { seed: 22, itemCostMs: 0, conversationsPerPage: 3, messagesPerConversation: 4 });
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    await vscode.commands.executeCommand('messengerExplorer.connectSimulator', sim.connectUrl);
    const p = page();
    const secret = sim.world.app(p.appId)?.secret ?? assert.fail('its app');
    bot = await startBot({ GRAPH_URL: `${sim.url}/v26.0`, PAGE_TOKEN: p.accessToken, VERIFY_TOKEN: VERIFY, APP_SECRET: secret });
    const subscribed = await sim.subscribeWebhook(bot.url, VERIFY, 10_000);
    assert.ok(subscribed.ok, subscribed.message);
    // What a person does: open the view (it starts collapsed) in the Messenger Explorer side bar.
    await vscode.commands.executeCommand('messengerExplorer.deliveries.focus');
    await eventually(() => assert.ok(api.internals.deliveries.view.visible), 10_000, 'the view shown');
  });

  after(async () => {
    bot?.child.kill();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('messengerExplorer.signOut', true);
    if (api) {
      await useGraphHost(api, undefined);
    }
    await sim?.stop();
  });

  it('says what it is for before anything is delivered', async () => {
    assert.equal(sim.platform.webhooks.deliveries.length, 0);
    await eventually(async () => assert.match(await ui.welcomeText(VIEW), /No webhook deliveries yet/), 10_000, 'the empty-state welcome');
  });

  it('a person writes: the delivery to the bot appears live with HTTP 200; Redeliver adds a second row marked as redelivery', async () => {
    const text = `Deliveries ${Date.now()}`;
    const reads = api.internals.deliveries.reads;
    await control(sim, '/inbound', { page: page().id, text });
    const first = await eventually(
      async () => {
        const found = await rows('messages');
        assert.equal(found.length, 1, JSON.stringify(await ui.treeRows(VIEW)));
        assert.match(found[0]?.description ?? '', /^HTTP 200 · \d+ ms · 1 attempt$/);
        return found[0];
      },
      20_000,
      'the delivery row',
    );
    assert.ok(first);
    // Live from the change stream, not a poll: the view read the log only after the stream said so.
    assert.ok(api.internals.conversationViews.stream.connected, 'the change stream is followed');
    assert.ok(api.internals.deliveries.reads - reads <= 6, `${api.internals.deliveries.reads - reads} reads`);
    // Newest first: the bot's answer (its echo) came after the person's message.
    const all = await ui.treeRows(VIEW);
    assert.equal(all.at(-1)?.label, 'messages', all.map((r) => r.label).join(' | '));

    // Its context menu, as a person opens it: the three actions.
    await ui.clickRow(VIEW, 'messages', 'right');
    await eventually(
      async () => {
        const labels = await ui.visibleText('.context-view .action-label');
        for (const wanted of ['Open Payload', "Open Bot's Response", 'Redeliver']) {
          assert.ok(labels.includes(wanted), labels.join(' | '));
        }
      },
      5_000,
      'the context menu',
    );
    // Redeliver, clicked in that menu.
    const delivered = sim.platform.webhooks.deliveries.length;
    await ui.chooseMenuItem('Redeliver');
    await eventually(() => assert.equal(sim.platform.webhooks.deliveries.length, delivered + 1), 20_000, 'a new delivery to the bot');
    await eventually(
      async () => {
        const found = await rows('messages');
        assert.equal(found.length, 2, found.map((r) => r.description).join(' | '));
        assert.match(found[0]?.description ?? '', /^HTTP 200 · \d+ ms · 1 attempt · redelivery$/);
        assert.doesNotMatch(found[1]?.description ?? '', /redelivery/);
      },
      20_000,
      'the redelivery row',
    );
  });

  it('opens the payload (the event, no token) and the bot’s response as readable documents', async () => {
    const tokens = [page().accessToken, sim.world.app(page().appId)?.secret ?? '', sim.controlKey].filter((t) => t.length > 0);
    await ui.clickRow(VIEW, 'messages');
    const payload = await eventually(
      () => {
        const editor = vscode.window.activeTextEditor;
        assert.ok(editor?.document.uri.path.endsWith('Delivery · messages · 200.json'), editor?.document.uri.toString());
        return (editor ?? assert.fail('no editor')).document;
      },
      10_000,
      'the payload document',
    );
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, 'Delivery · messages · 200.json');
    const event = JSON.parse(payload.getText()) as { object: string; entry: { messaging: { message?: { text?: string } }[] }[] };
    assert.equal(event.object, 'page');
    assert.match(event.entry[0]?.messaging[0]?.message?.text ?? '', /^Deliveries \d+$/);
    for (const token of tokens) {
      assert.ok(!payload.getText().includes(token), 'no token or secret in the payload document');
    }

    // The bot's response, from the row's context menu.
    await ui.clickRow(VIEW, 'messages', 'right');
    await ui.chooseMenuItem("Open Bot's Response");
    const response = await eventually(
      () => {
        const editor = vscode.window.activeTextEditor;
        assert.ok(editor?.document.uri.path.endsWith("Bot's response · messages · 200.txt"), editor?.document.uri.toString());
        return (editor ?? assert.fail('no editor')).document;
      },
      10_000,
      'the response document',
    );
    assert.match(response.getText(), /^Attempt 1 at .+: HTTP 200 in \d+ ms$/m);
    assert.match(response.getText(), /^EVENT_RECEIVED$/m);
  });

  it('explains itself when the Graph host is Meta’s', async () => {
    await useGraphHost(api, undefined);
    await eventually(
      async () => assert.match(await ui.welcomeText(VIEW), /Each webhook event the local simulator POSTs to your bot appears here/),
      10_000,
      "the welcome for Meta's hosts",
    );
  });
});
