import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { runAndReport } from '../../support/suiteSummary';

const FIRST = 'firstRun.test.js';

/** Runs the *.test.js files of one folder with programmatic mocha, and reports to the harness. */
export function runSuite(dir: string): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  const grep = process.env.MESSENGER_EXPLORER_TEST_GREP;
  if (grep) {
    mocha.grep(grep);
  }
  // The first activation in the session's fresh profile happens once: the suite that watches it runs first.
  const order = (f: string) => (f === FIRST ? '' : f);
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort((a, b) => order(a).localeCompare(order(b)))) {
    mocha.addFile(join(dir, file));
  }
  return runAndReport(mocha, 'integration');
}
