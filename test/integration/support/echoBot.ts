import * as assert from 'node:assert/strict';
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { eventually } from './ui';

const BOT = join(resolve(__dirname, '..', '..', '..', '..'), 'examples', 'echo-bot', 'index.js');

export interface Bot {
  child: ChildProcessWithoutNullStreams;
  url: string;
}

/** The example bot (examples/echo-bot), on a free loopback port, as a developer would run it. */
export async function startBot(env: Record<string, string>): Promise<Bot> {
  const child = spawn(process.execPath, [BOT], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const url = await eventually(
    () => /listening on (http:\/\/127\.0\.0\.1:\d+\/webhook)/.exec(out)?.[1] ?? assert.fail(out),
    10_000,
    'the bot',
  );
  return { child, url };
}
