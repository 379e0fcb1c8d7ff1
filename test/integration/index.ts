import { runSuite } from './support/mochaSuite';

/**
 * Test entry in @vscode/test-electron's shape: VS Code loads this file in the extension host and
 * awaits run(). The same file serves code-server (npm test) and test-electron (npm run test:desktop).
 */
export function run(): Promise<void> {
  return runSuite(__dirname);
}
