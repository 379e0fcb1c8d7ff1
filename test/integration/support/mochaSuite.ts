import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { runAndReport } from '../../support/suiteSummary';

/**
 * Suites that must see a fresh window, in this order: the first activation in the session's new
 * profile happens once, and VS Code counts a walkthrough step's completion event once per window, so
 * a tick can only be watched appear before another suite resolved an ID or opened Accounts.
 */
const FIRST = ['firstRun.test.js', 'walkthroughTicks.test.js'];

/** Runs the *.test.js files of one folder with programmatic mocha, and reports to the harness. */
export function runSuite(dir: string): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  const grep = process.env.MESSENGER_EXPLORER_TEST_GREP;
  if (grep) {
    mocha.grep(grep);
  }
  const rank = (f: string) => (FIRST.includes(f) ? FIRST.indexOf(f) : FIRST.length);
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    // Stable: the others keep their alphabetical order.
    .sort((a, b) => rank(a) - rank(b))) {
    mocha.addFile(join(dir, file));
  }
  return runAndReport(mocha, 'integration');
}
