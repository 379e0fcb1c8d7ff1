import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { runAndReport } from '../../support/suiteSummary';

/**
 * Runs before every other suite of the window: VS Code counts a walkthrough step's completion event
 * once per window, so a tick can only be watched appear before another suite resolved an ID or
 * opened the Accounts view from the walkthrough.
 */
const FRESH_WINDOW = 'walkthroughTicks.test.js';

/** Runs the *.test.js files of one folder with programmatic mocha, and reports to the harness. */
export function runSuite(dir: string): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  const grep = process.env.MESSENGER_EXPLORER_TEST_GREP;
  if (grep) {
    mocha.grep(grep);
  }
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    // Stable: the others keep their order.
    .sort((a, b) => Number(b === FRESH_WINDOW) - Number(a === FRESH_WINDOW))) {
    mocha.addFile(join(dir, file));
  }
  return runAndReport(mocha, 'integration');
}
