#!/usr/bin/env node
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
  --json                 Print the URL and credentials as one JSON line.
  --help                 Show this help.

Control endpoints (loopback only): GET /__simulator/state, GET /__simulator/requests,
GET /__simulator/calls (calls counted as Meta counts them, per token, business object and app),
POST /__simulator/reset, POST /__simulator/faults {"rules":[{"kind":"status","status":503,"match":"conversations","times":1}]},
POST /__simulator/token {"token":"…","expire":true}, {"token":"…","invalidSubcode":460}
  or {"token":"…","reissue":true} (answers {"token":"<a new token for the same subject>"}),
POST /__simulator/settings {"instagramMessageLimit":20,"latencyMs":50,"itemCostMs":2,"cors":false}.
Control endpoints answer cross-origin requests even with --no-cors.
`;

function parseArgs(argv: string[]): SimulatorOptions & { json?: boolean; help?: boolean } {
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
      case '--port': opts.port = num(i++, a); break;
      case '--host': opts.host = argv[++i]; break;
      case '--seed': opts.seed = num(i++, a); break;
      case '--latency': opts.latencyMs = num(i++, a); break;
      case '--item-cost-ms': opts.itemCostMs = num(i++, a); break;
      case '--businesses': opts.businesses = num(i++, a); break;
      case '--pages': opts.pagesPerBusiness = num(i++, a); break;
      case '--apps': opts.appsPerBusiness = num(i++, a); break;
      case '--people': opts.people = num(i++, a); break;
      case '--conversations': opts.conversationsPerPage = num(i++, a); break;
      case '--messages': opts.messagesPerConversation = num(i++, a); break;
      case '--hostile': opts.hostile = true; break;
      case '--fault-rate': opts.faultRate = num(i++, a); break;
      case '--ig-message-limit': settings.instagramMessageLimit = num(i++, a); break;
      case '--messenger-message-limit': settings.messengerMessageLimit = num(i++, a); break;
      case '--no-proof': opts.requireProof = false; break;
      case '--limit': { const n = num(i++, a); opts.limits = { app: n, user: n, page: n }; break; }
      case '--legacy-page-usage': opts.legacyPageUsage = true; break;
      case '--no-cors': opts.cors = false; break;
      case '--json': opts.json = true; break;
      case '--help': case '-h': opts.help = true; break;
      default: throw new Error(`Unknown option ${String(a)} (see --help)`);
    }
  }
  return { port: 4580, ...opts, settings };
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
  if (options.json) {
    console.log(JSON.stringify({ url: sim.url, ...creds }));
  } else {
    console.log(`Graph API simulator listening on ${sim.url} (API v26.0, seed ${options.seed ?? 1})`);
    console.log('');
    console.log(`User access token:  ${creds.userToken}`);
    for (const app of creds.apps) {
      console.log(`App ${app.name}: id ${app.id}  secret ${app.secret}`);
    }
    for (const page of creds.pages) {
      console.log(`Page ${page.name}: id ${page.id}${page.instagram ? `  Instagram ${page.instagram}` : ''}`);
    }
    console.log('');
    console.log(`Try: curl -H "Authorization: Bearer ${creds.userToken}" "${sim.url}/v26.0/me/accounts"`);
    console.log('These are simulator credentials only; they are refused by Meta. Press Ctrl-C to stop.');
  }
  const stop = (): void => void sim.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
