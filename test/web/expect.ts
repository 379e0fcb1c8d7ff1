/** node:assert is not there in a web worker: the few assertions the web suite needs. */
export function ok(value: unknown, message: string): asserts value {
  if (!value) {
    throw new Error(`Expected: ${message}`);
  }
}

export function equal<T>(actual: T, expected: T, message: string): void {
  if (actual !== expected) {
    throw new Error(`Expected ${message}: ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

export async function eventually(check: () => unknown, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      if (await check()) {
        return;
      }
    } catch {
      // Not yet.
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
