import { runSuite } from '../support/mochaSuite';

/** Test entry for the session that runs VS Code with the Japanese display language (--locale ja). */
export function run(): Promise<void> {
  return runSuite(__dirname);
}
