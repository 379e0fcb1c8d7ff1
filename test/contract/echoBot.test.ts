import * as assert from 'node:assert/strict';
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { join, resolve } from 'node:path';
import { GraphSimulator, startSimulator } from '../../simulator/index';

/**
 * The whole loop with the example bot in examples/echo-bot (issue 21): the simulator and the bot as
 * a child process, subscribed the way Meta takes it; a person writes; the bot verifies the signature
 * and replies through the Send API; the reply is in the thread and its echo is delivered.
 */
type Json = Record<string, unknown>;

const ROOT = resolve(__dirname, '..', '..', '..');
const BOT = join(ROOT, 'examples', 'echo-bot', 'index.js');

interface Bot {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
}

async function startBot(env: Record<string, string>): Promise<Bot> {
  const child = spawn(process.execPath, [BOT], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bot did not start: ${out}`)), 10_000);
    const check = (): void => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/webhook)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bot exited with ${String(code)}: ${out}`));
    });
  });
  return { child, url, output: () => out };
}

async function until<T>(check: () => Promise<T | undefined | false>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      assert.fail(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('The example echo bot against the simulator (issue 21)', function () {
  this.timeout(60_000);
  let sim: GraphSimulator;
  const bots: Bot[] = [];
  let page: { id: string; token: string; proof: string; appId: string; secret: string };
  let psid: string;

  before(async () => {
    sim = await startSimulator({ seed: 5, itemCostMs: 0 });
    const p = sim.world.pages[0] ?? assert.fail('a Page');
    const secret = sim.world.app(p.appId)?.secret ?? assert.fail('its app');
    page = {
      id: p.id,
      token: p.accessToken,
      proof: createHmac('sha256', secret).update(p.accessToken).digest('hex'),
      appId: p.appId,
      secret,
    };
    psid = sim.world.people.find((x) => x.psids.has(p.id))?.psids.get(p.id) ?? assert.fail('a person');
    Object.assign(sim.settings, { webhookTimeoutMs: 2000, webhookRetryDelaysMs: [] });
  });
  after(async () => {
    for (const bot of bots) {
      bot.child.kill('SIGTERM');
    }
    await sim.stop();
  });

  async function subscribe(url: string): Promise<void> {
    const app = await fetch(`${sim.url}/v26.0/${page.appId}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        object: 'page',
        callback_url: url,
        verify_token: 'echo-verify',
        fields: 'messages,message_echoes,message_deliveries',
        access_token: `${page.appId}|${page.secret}`,
      }).toString(),
    });
    assert.equal(app.status, 200, await app.text());
    const install = await fetch(
      `${sim.url}/v26.0/${page.id}/subscribed_apps?subscribed_fields=messages,message_echoes,message_deliveries&appsecret_proof=${page.proof}`,
      { method: 'POST', headers: { authorization: `Bearer ${page.token}` } },
    );
    assert.equal(install.status, 200, await install.text());
  }

  async function messagesOf(thread: string): Promise<Json[]> {
    const response = await fetch(`${sim.url}/v26.0/${thread}/messages?fields=message,from&limit=5&appsecret_proof=${page.proof}`, {
      headers: { authorization: `Bearer ${page.token}` },
    });
    return ((await response.json()) as { data: Json[] }).data;
  }

  it('a person writes; the bot verifies the signature and replies through the Send API; the reply is in the thread and its echo delivered', async () => {
    const bot = await startBot({
      GRAPH_URL: `${sim.url}/v26.0`,
      PAGE_TOKEN: page.token,
      APP_SECRET: page.secret,
      VERIFY_TOKEN: 'echo-verify',
    });
    bots.push(bot);
    await subscribe(bot.url);
    const inbound = await sim.controlRequest<Json>('/inbound', { page: page.id, from: psid, text: 'Hello bot 👋' });
    const reply = await until(
      async () => {
        const [newest] = await messagesOf(String(inbound.thread));
        return newest?.message === 'Echo: Hello bot 👋' && newest;
      },
      10_000,
      `the bot's reply (bot output: ${bot.output()})`,
    );
    assert.equal((reply.from as Json).id, page.id, "the reply is the Page's");
    const deliveries = await until(
      async () => {
        const { deliveries: list } = await sim.controlRequest<{ deliveries: Json[] }>('/deliveries');
        return list.some((d) => (d.events as Json[]).some((e) => e.field === 'message_echoes') && d.status === 'delivered') && list;
      },
      10_000,
      'the echo delivered to the bot',
    );
    assert.equal(deliveries[0]?.status, 'delivered', 'the bot accepted the signed message');
    assert.equal(deliveries[0]?.response_body, 'EVENT_RECEIVED');
    const sends = sim.log.filter((r) => r.method === 'POST' && r.path === 'me/messages');
    assert.equal(sends.length, 1, 'one reply, none to its own echo');
    assert.equal(sends[0]?.status, 200);
    assert.equal(sends[0]?.tokenSource, 'header');
  });

  it('a bot given the wrong app secret refuses the signature with 403, and the delivery log shows it', async () => {
    const bot = await startBot({
      GRAPH_URL: `${sim.url}/v26.0`,
      PAGE_TOKEN: page.token,
      APP_SECRET: 'not-the-app-secret',
      VERIFY_TOKEN: 'echo-verify',
    });
    bots.push(bot);
    await subscribe(bot.url);
    await sim.controlRequest('/inbound', { page: page.id, from: psid, text: 'Are you there?' });
    const failed = await until(
      async () => {
        const { deliveries } = await sim.controlRequest<{ deliveries: Json[] }>('/deliveries');
        const last = deliveries[deliveries.length - 1];
        return last?.url === bot.url && last.status === 'failed' && last;
      },
      10_000,
      'the refused delivery',
    );
    assert.equal(failed.http_status, 403);
    assert.match(failed.response_body as string, /invalid X-Hub-Signature-256/);
    assert.match(bot.output(), /does not match the app secret/);
  });
});
