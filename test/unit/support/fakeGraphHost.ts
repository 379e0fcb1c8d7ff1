import * as assert from 'node:assert/strict';
import { GraphError } from '../../../src/core/graph/errors';
import { FetchLike } from '../../../src/core/graph/transport';

/** A fake Graph host: records every request and answers with the next queued response (or `{}`). */
export class FakeGraph {
  readonly sent: { url: string; init: RequestInit }[] = [];
  readonly answers: (() => Response | Promise<Response>)[] = [];
  readonly fetch: FetchLike = async (url, init) => {
    this.sent.push({ url, init });
    const next = this.answers.shift();
    return next ? next() : json({});
  };
  headers(i = 0): Record<string, string> {
    return this.sent[i].init.headers as Record<string, string>;
  }
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** The GraphError a call fails with; fails the test if it succeeds or throws anything else. */
export async function failure(promise: Promise<unknown>): Promise<GraphError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GraphError, `not a GraphError: ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}
