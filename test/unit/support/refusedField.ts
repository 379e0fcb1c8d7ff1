import * as assert from 'node:assert/strict';
import { GraphError } from '../../../src/core/graph/errors';

/** The field a Graph reader named when it refused a malformed answer, or 'ok' when it read it. */
export function refusedField(read: () => unknown): string {
  try {
    read();
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof GraphError && error.kind === 'malformed', String(error));
    return error.field ?? '';
  }
}
