import { runSuite } from '../support/mochaSuite';

/** Test entry for the session that runs VS Code with the Vietnamese display language (--locale vi). */
export function run(): Promise<void> {
  return runSuite(__dirname);
}
