#!/usr/bin/env node
'use strict';
/**
 * An echo bot for Messenger and Instagram, in plain Node (no framework, no dependencies).
 *
 * - answers Meta's verification handshake (GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…);
 * - checks X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the app secret, constant-time compare)
 *   and refuses a bad or missing signature with 403;
 * - answers every webhook POST with 200 at once, then replies to each text message through the
 *   Send API with the Page token (and appsecret_proof, which apps with "Require App Secret" need).
 *
 * The same code talks to Meta (GRAPH_URL=https://graph.facebook.com/v26.0, the default) or to the
 * local simulator (GRAPH_URL=http://127.0.0.1:4580/v26.0).
 */
const http = require('node:http');
const https = require('node:https');
const { createHmac, timingSafeEqual } = require('node:crypto');
const { Buffer } = require('node:buffer');
const { URL } = require('node:url');

const MAX_BODY = 1024 * 1024;
const MAX_TEXT = 2000;

function configFromEnv(env) {
  return {
    graphUrl: (env.GRAPH_URL || 'https://graph.facebook.com/v26.0').replace(/\/+$/, ''),
    pageToken: env.PAGE_TOKEN || '',
    appSecret: env.APP_SECRET || '',
    verifyToken: env.VERIFY_TOKEN || '',
    port: Number(env.PORT || 3000),
    host: env.HOST || '127.0.0.1',
    path: env.WEBHOOK_PATH || '/webhook',
  };
}

/** True when `header` is `sha256=<hex>` of the raw body with the app secret; compared in constant time. */
function validSignature(rawBody, header, appSecret) {
  if (typeof header !== 'string' || !header.startsWith('sha256=') || !appSecret) {
    return false;
  }
  const expected = Buffer.from(createHmac('sha256', appSecret).update(rawBody).digest('hex'), 'utf8');
  const received = Buffer.from(header.slice('sha256='.length).toLowerCase(), 'utf8');
  return expected.length === received.length && timingSafeEqual(expected, received);
}

function sameText(a, b) {
  const x = Buffer.from(String(a), 'utf8');
  const y = Buffer.from(String(b), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** POSTs JSON to the Graph API; resolves with { status, body } and never rejects. */
function graphPost(config, path, payload) {
  const url = new URL(`${config.graphUrl}/${path}`);
  if (config.appSecret) {
    url.searchParams.set('appsecret_proof', createHmac('sha256', config.appSecret).update(config.pageToken).digest('hex'));
  }
  const body = JSON.stringify(payload);
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve) => {
    const req = send(
      url,
      {
        method: 'POST',
        timeout: 10000,
        headers: {
          authorization: `Bearer ${config.pageToken}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // keep the text
          }
          resolve({ status: res.statusCode || 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ status: 0, body: { error: { message: error.message } } }));
    req.end(body);
  });
}

/** What the bot answers to one `entry[].messaging[]` event, or undefined for events it ignores. */
function replyTo(event) {
  const message = event.message;
  if (message && !message.is_echo) {
    if (message.quick_reply) {
      return `You picked ${message.quick_reply.payload}`;
    }
    if (typeof message.text === 'string' && message.text !== '') {
      return `Echo: ${message.text}`.slice(0, MAX_TEXT);
    }
    if (Array.isArray(message.attachments)) {
      return `Thanks for the ${message.attachments.map((a) => a.type).join(', ')}!`;
    }
  }
  if (event.postback) {
    return `You tapped "${event.postback.title}"`;
  }
  return undefined;
}

function createBot(config, log = console.log) {
  const seen = new Set();

  async function handle(payload) {
    for (const entry of payload.entry || []) {
      for (const event of entry.messaging || []) {
        const mid = (event.message && event.message.mid) || (event.postback && event.postback.mid);
        // Meta may deliver an event more than once (retries): answer each message once.
        if (mid) {
          if (seen.has(mid)) {
            continue;
          }
          seen.add(mid);
          if (seen.size > 1000) {
            seen.delete(seen.values().next().value);
          }
        }
        const text = replyTo(event);
        if (text === undefined || !event.sender) {
          continue;
        }
        const answer = await graphPost(config, 'me/messages', {
          recipient: { id: event.sender.id },
          messaging_type: 'RESPONSE',
          message: { text },
        });
        log(`reply to ${event.sender.id}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
      }
    }
  }

  return http.createServer((req, res) => {
    const url = new URL(req.url || '/', 'http://bot.local');
    if (url.pathname !== config.path) {
      res.writeHead(404).end('Not Found');
      return;
    }
    if (req.method === 'GET') {
      const mode = url.searchParams.get('hub.mode');
      const token = url.searchParams.get('hub.verify_token');
      const challenge = url.searchParams.get('hub.challenge');
      if (mode === 'subscribe' && token !== null && config.verifyToken && sameText(token, config.verifyToken) && challenge !== null) {
        log('webhook verified');
        res.writeHead(200, { 'content-type': 'text/plain' }).end(challenge);
      } else {
        log('webhook verification refused (wrong verify token)');
        res.writeHead(403).end('Forbidden');
      }
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405).end('Method Not Allowed');
      return;
    }
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        res.writeHead(413).end('Payload Too Large');
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      // The signature covers the bytes as received: check it before parsing (re-serialised JSON would not match).
      if (!validSignature(raw, req.headers['x-hub-signature-256'], config.appSecret)) {
        log('webhook refused: X-Hub-Signature-256 does not match the app secret');
        res.writeHead(403, { 'content-type': 'text/plain' }).end('invalid X-Hub-Signature-256');
        return;
      }
      let payload;
      try {
        payload = JSON.parse(raw.toString('utf8'));
      } catch {
        res.writeHead(400).end('Bad Request');
        return;
      }
      if (payload.object !== 'page' && payload.object !== 'instagram') {
        res.writeHead(404).end('Not Found');
        return;
      }
      // Answer within Meta's 5 seconds; do the work afterwards.
      res.writeHead(200, { 'content-type': 'text/plain' }).end('EVENT_RECEIVED');
      handle(payload).catch((error) => log(`error: ${error && error.message}`));
    });
  });
}

if (require.main === module) {
  const config = configFromEnv(process.env);
  const missing = ['PAGE_TOKEN', 'APP_SECRET', 'VERIFY_TOKEN'].filter((name) => !process.env[name]);
  if (missing.length > 0) {
    console.error(`Set ${missing.join(', ')} (see README.md).`);
    process.exit(1);
  }
  const server = createBot(config);
  server.listen(config.port, config.host, () => {
    console.log(`Echo bot listening on http://${config.host}:${server.address().port}${config.path} (Graph API: ${config.graphUrl})`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

module.exports = { createBot, configFromEnv, validSignature, replyTo };
