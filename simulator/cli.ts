#!/usr/bin/env node
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { startSimulator } from './index';
import { SimulatorOptions } from './server';

const HELP = `Messenger Explorer — local Graph API simulator

Usage: messenger-graph-simulator [options]   (in this repository: npm run simulator -- [options])

  --port N               Port to listen on (0 picks a free one). Default 4580.
  --host ADDR            Loopback address to bind. Default 127.0.0.1.
  --seed N               Seed of the generated world. Default 1.
  --latency MS           Delay added to every HTTP response. Default 0.
  --item-cost-ms MS      Server time per unit of work on top of --latency: 1 unit per call, per
                         ?ids= ID and per batch item, so a batch takes longer than one call. Default 2.
  --businesses N         Businesses (each owns apps and Pages). Default 2.
  --pages N              Pages per business. Default 2.
  --apps N               Apps per business. Default 2.
  --people N             People who talk to the Pages. Default 60.
  --conversations N      Messenger threads per Page (Instagram gets half). Default 40.
  --messages N           Maximum messages per thread. Default 30.
  --hostile              Add threads with hostile names and texts (markup, bidi, 1 MB).
  --fault-rate P         Probability (0-1) of a random transient fault per request.
  --ig-message-limit N   Only the N most recent Instagram messages are readable (0: off). Default 20.
  --messenger-message-limit N   The same rule for Messenger. Default 0 (off).
  --no-proof             Apps do not require appsecret_proof (Page tokens still need it for ids_for_*;
                         app tokens never need it: they carry the secret).
  --limit N              Calls per hour per token before rate-limit errors. Default 5000.
  --legacy-page-usage    Also send the legacy X-Page-Usage header.
  --no-cors              Do not answer browsers' cross-origin requests (plays a host a web
                         extension cannot reach). By default CORS is allowed, as on graph.facebook.com.
  --control-key K        The key control requests must carry (header x-simulator-key). Default: a
                         new random key each run, printed below.
  --allow-origin ORIGIN  Let pages from ORIGIN (e.g. http://localhost:3000, a web VS Code) call the
                         control endpoints. Repeatable. By default no web page may.
  --webhook URL          Subscribe every app (objects page and instagram) and every Page to this
                         callback URL at start, after the verification handshake (GET
                         URL?hub.mode=subscribe&hub.verify_token=T&hub.challenge=N, N echoed with 200).
                         The handshake is retried every 0.5 s for 2 minutes while your bot starts.
                         Loopback URLs only (http://127.0.0.1:3000/webhook, http://localhost:…).
  --verify-token T       The verify token of --webhook. Default "simulator-verify-token".
  --webhook-timeout-ms MS  How long the bot has to answer a webhook POST with 200. Default 5000.
  --webhook-retries LIST Waits before each retry of a failed delivery, in ms, comma-separated.
                         Default 1000,5000,30000,120000,300000 (5 retries). "" for none.
  --no-sha1              Do not send the legacy X-Hub-Signature (sha1) header.
  --write-env FILE       Write GRAPH_URL, PAGE_ID, PAGE_TOKEN, APP_SECRET, VERIFY_TOKEN and
                         SIMULATOR_KEY of the first Page to FILE (for node --env-file=FILE your-bot.js).
  --json                 Print the URL, the connect address and credentials as one JSON line.
  --help                 Show this help.

Control endpoints: each request needs the header x-simulator-key: <the key printed at start>, and
each POST a JSON body (Content-Type: application/json); every request needs a loopback Host.
  GET /__simulator/state, GET /__simulator/requests,
GET /__simulator/calls (calls counted as Meta counts them, per token, business object and app),
POST /__simulator/reset, POST /__simulator/faults {"rules":[{"kind":"status","status":503,"match":"conversations","times":1}]},
POST /__simulator/token {"token":"…","expire":true}, {"token":"…","invalidSubcode":460}
  or {"token":"…","reissue":true} (answers {"token":"<a new token for the same subject>"}),
POST /__simulator/settings {"instagramMessageLimit":20,"latencyMs":50,"itemCostMs":2,"cors":false}.

The Messenger platform (see README "Send API", "Webhooks", "A person writes", "Change stream"):
  POST /v26.0/{page-id}/messages, POST /v26.0/me/messages   the Send API, with a Page token
  POST|GET|DELETE /v26.0/{app-id}/subscriptions               webhooks of an app (app token)
  POST|GET|DELETE /v26.0/{page-id}/subscribed_apps            a Page installs your app (Page token)
  POST /v26.0/{page-id}/message_attachments                   a reusable attachment
POST /__simulator/inbound {"page":"<page id>","from":"<PSID or IGSID>","text":"Hi"}
  also "attachment":{"type":"image","payload":{"url":"https://…"}}, "postback":{"title":"…","payload":"…"},
  "quick_reply":{"payload":"…"} (with "text"), or "read":true. "page" and "from" default to the first
  Page and its first person.
GET /__simulator/deliveries, GET /__simulator/deliveries/{id} (payload, headers, response),
POST /__simulator/deliveries/{id}/redeliver, GET /__simulator/subscriptions,
POST /__simulator/webhook {"url":"…","verifyToken":"…"} (what --webhook does),
POST /__simulator/clock {"advanceHours":25} (step past the 24-hour messaging window),
GET /__simulator/events: server-sent events (thread.created, message.added, thread.updated,
  delivery.created, delivery.updated, subscription.changed); the key may be given as ?key=… here only.
Graph endpoints answer cross-origin requests like graph.facebook.com (unless --no-cors); control
endpoints only for the origins given with --allow-origin.
`;

function parseArgs(
  argv: string[],
): SimulatorOptions & { json?: boolean; help?: boolean; webhookUrl?: string; verifyToken?: string; writeEnv?: string } {
  const opts: Record<string, unknown> = {};
  const settings: Record<string, unknown> = {};
  const num = (i: number, name: string): number => {
    const v = Number(argv[i + 1]);
    if (argv[i + 1] === undefined || !Number.isFinite(v)) {
      throw new Error(`${name} needs a number`);
    }
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--port':
        opts.port = num(i++, a);
        break;
      case '--host':
        opts.host = argv[++i];
        break;
      case '--seed':
        opts.seed = num(i++, a);
        break;
      case '--latency':
        opts.latencyMs = num(i++, a);
        break;
      case '--item-cost-ms':
        opts.itemCostMs = num(i++, a);
        break;
      case '--businesses':
        opts.businesses = num(i++, a);
        break;
      case '--pages':
        opts.pagesPerBusiness = num(i++, a);
        break;
      case '--apps':
        opts.appsPerBusiness = num(i++, a);
        break;
      case '--people':
        opts.people = num(i++, a);
        break;
      case '--conversations':
        opts.conversationsPerPage = num(i++, a);
        break;
      case '--messages':
        opts.messagesPerConversation = num(i++, a);
        break;
      case '--hostile':
        opts.hostile = true;
        break;
      case '--fault-rate':
        opts.faultRate = num(i++, a);
        break;
      case '--ig-message-limit':
        settings.instagramMessageLimit = num(i++, a);
        break;
      case '--messenger-message-limit':
        settings.messengerMessageLimit = num(i++, a);
        break;
      case '--no-proof':
        opts.requireProof = false;
        break;
      case '--limit': {
        const n = num(i++, a);
        opts.limits = { app: n, user: n, page: n };
        break;
      }
      case '--legacy-page-usage':
        opts.legacyPageUsage = true;
        break;
      case '--no-cors':
        opts.cors = false;
        break;
      case '--control-key':
        opts.controlKey = argv[++i];
        break;
      case '--allow-origin':
        opts.controlOrigins = [...((opts.controlOrigins as string[] | undefined) ?? []), String(argv[++i])];
        break;
      case '--webhook':
        opts.webhookUrl = argv[++i];
        break;
      case '--verify-token':
        opts.verifyToken = argv[++i];
        break;
      case '--webhook-timeout-ms':
        settings.webhookTimeoutMs = num(i++, a);
        break;
      case '--webhook-retries':
        settings.webhookRetryDelaysMs = String(argv[++i] ?? '')
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
          .map(Number)
          .filter((n) => Number.isFinite(n) && n >= 0);
        break;
      case '--no-sha1':
        settings.webhookLegacySignature = false;
        break;
      case '--write-env':
        opts.writeEnv = argv[++i];
        break;
      case '--json':
        opts.json = true;
        break;
      case '--help':
      case '-h':
        opts.help = true;
        break;
      default:
        throw new Error(`Unknown option ${String(a)} (see --help)`);
    }
  }
  if (opts.verifyToken !== undefined && opts.webhookUrl === undefined) {
    throw new Error('--verify-token goes with --webhook URL');
  }
  if (opts.webhookUrl !== undefined) {
    opts.webhook = { url: opts.webhookUrl as string, verifyToken: (opts.verifyToken as string | undefined) ?? 'simulator-verify-token' };
  }
  return { port: 4580, ...opts, settings };
}

/** A request that works as printed: the demo apps require appsecret_proof, so it carries one. */
function tryCommand(url: string, userToken: string, appSecret: string | undefined): string {
  const proof = appSecret ? `?appsecret_proof=${createHmac('sha256', appSecret).update(userToken).digest('hex')}` : '';
  return `curl -H "Authorization: Bearer ${userToken}" "${url}/v26.0/me/accounts${proof}"`;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(HELP);
    return;
  }
  const host = options.host ?? '127.0.0.1';
  if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(host)) {
    throw new Error('The simulator only binds to loopback addresses.');
  }
  const sim = await startSimulator(options);
  const creds = sim.credentials();
  if (options.writeEnv) {
    const page = sim.world.pages[0];
    const app = page ? sim.world.app(page.appId) : undefined;
    writeFileSync(
      options.writeEnv,
      [
        `GRAPH_URL=${sim.url}/v26.0`,
        `PAGE_ID=${page?.id ?? ''}`,
        `PAGE_TOKEN=${page?.accessToken ?? ''}`,
        `APP_SECRET=${app?.secret ?? ''}`,
        `VERIFY_TOKEN=${options.webhook?.verifyToken ?? 'simulator-verify-token'}`,
        `SIMULATOR_KEY=${sim.controlKey}`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
  }
  if (options.json) {
    console.log(JSON.stringify({ url: sim.url, connectUrl: sim.connectUrl, controlKey: sim.controlKey, ...creds }));
  } else {
    console.log(`Graph API simulator listening on ${sim.url} (API v26.0, seed ${options.seed ?? 1})`);
    console.log('');
    console.log('In VS Code, run "Messenger Explorer: Connect to Local Simulator…" and paste this address:');
    console.log(`  ${sim.connectUrl}`);
    console.log(`(control key for scripts: header x-simulator-key: ${sim.controlKey})`);
    console.log('');
    console.log(`User access token:  ${creds.userToken}`);
    for (const app of creds.apps) {
      console.log(`App ${app.name}: id ${app.id}  secret ${app.secret}  client token ${app.clientToken}`);
    }
    for (const page of creds.pages) {
      console.log(`Page ${page.name}: id ${page.id}${page.instagram ? `  Instagram ${page.instagram}` : ''}`);
    }
    console.log('');
    console.log(
      `Try: ${tryCommand(sim.url, creds.userToken, creds.apps.find((a) => a.id === sim.world.tokens.get(creds.userToken)?.appId)?.secret)}`,
    );
    console.log('These are simulator credentials only; they are refused by Meta. Press Ctrl-C to stop.');
    if (options.writeEnv) {
      console.log(`Bot settings of the first Page written to ${options.writeEnv}.`);
    }
    // The loop, as it happens: messages added to threads and webhook deliveries.
    sim.events.on((event) => {
      const d = event.data as {
        thread?: string;
        from?: string;
        message_id?: string;
        id?: string;
        events?: { field: string }[];
        status?: string;
        http_status?: number;
        latency_ms?: number;
        attempts?: number;
        error?: string;
      };
      if (event.type === 'message.added') {
        console.log(`[thread ${d.thread ?? ''}] ${d.from === 'page' ? 'Page (Send API)' : 'person'} added ${d.message_id ?? ''}`);
      } else if (event.type === 'delivery.updated') {
        console.log(
          `[webhook ${d.id ?? ''}] ${(d.events ?? []).map((e) => e.field).join(', ')} → ${d.status ?? ''} (HTTP ${d.http_status ?? '-'}, ${d.latency_ms ?? '-'} ms, attempt ${d.attempts ?? 0})${d.error ? ` ${d.error}` : ''}`,
        );
      }
    });
  }
  if (options.webhook && sim.webhookReady) {
    const { url } = options.webhook;
    if (!options.json) {
      console.log(`Subscribing every app and Page to ${url} (handshake retried until the bot answers, for 2 minutes)…`);
    }
    void sim.webhookReady.then((result) => {
      if (result.ok) {
        console.error(`Webhook verified: ${url} receives page and instagram events.`);
      } else {
        console.error(`Webhook not subscribed: ${result.message ?? 'unknown error'}`);
      }
    });
  }
  const stop = (): void => void sim.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
