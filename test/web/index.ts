import 'mocha/mocha.js';
import { runAndReport } from '../support/suiteSummary';

/**
 * Test entry for the web extension host, in @vscode/test-web's shape: bundled by the harness for a
 * web worker (no Node), loaded by the workbench, which awaits run().
 */
export async function run(): Promise<void> {
  mocha.setup({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000 });
  // After setup, so that describe() and it() exist when the suites load.
  // The harness reloads the workbench after the first run, with this set to 'afterReload'.
  if (process.env.MX_WEB_PHASE === 'afterReload') {
    await import('./afterReload.test.js');
  } else {
    // First: VS Code counts each walkthrough completion event once per window.
    await import('./walkthroughTicks.test.js');
    await import('./webExtension.test.js');
    await import('./webUi.test.js');
  }
  return runAndReport(mocha, 'web');
}
