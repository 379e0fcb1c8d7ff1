/**
 * How a suite running inside VS Code (Node or web extension host) reports to the harness that
 * started it: one summary line, printed when mocha finishes. Pure, so the web bundle can use it.
 */
export interface LayerResult {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Node's Mocha and the browser build's global `mocha` both have this shape. */
interface Runnable {
  run(done: (failures: number) => void): { stats?: { passes: number; pending: number } };
}

/** Runs the suite, prints `<layer>: N passed, N failed, N skipped`, and rejects when a test failed. */
export function runAndReport(mocha: Runnable, layer: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      console.log(`${layer}: ${runner.stats?.passes ?? 0} passed, ${failures} failed, ${runner.stats?.pending ?? 0} skipped`);
      if (failures > 0) {
        reject(new Error(`${failures} ${layer} test(s) failed.`));
      } else {
        resolve();
      }
    });
  });
}

/** The summary line of `layer`, when this is it. */
export function parseSummary(layer: string, line: string): LayerResult | undefined {
  const match = new RegExp(`^${layer}: (\\d+) passed, (\\d+) failed, (\\d+) skipped`).exec(line.trim());
  return match ? { passed: Number(match[1]), failed: Number(match[2]), skipped: Number(match[3]) } : undefined;
}
