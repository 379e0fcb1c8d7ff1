// @ts-check
// Mutation testing of the platform-neutral core (`npm run test:mutation`, not part of `npm test`).
// The tests are TypeScript compiled by tsc into out/, so the sandbox builds them before the dry run.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  // All of the platform-neutral core (test/mutation/SURVIVORS.md reviews what survives). A part of it:
  // `npm run test:mutation -- --mutate 'src/core/explorer/**/*.ts'`.
  mutate: ['src/core/**/*.ts'],
  // Generated or unrelated to the unit and contract layers: no need to copy them into the sandbox.
  ignorePatterns: [
    '/out',
    '/dist',
    '/dist-simulator',
    '/dist-vsix',
    '/screenshots',
    '/bench-results',
    '/.vscode-test',
    '/.vscode-test-web',
    '/test/web-toolchain',
  ],
  buildCommand: 'npx tsc -p tsconfig.test.json',
  testRunner: 'mocha',
  // The unit and contract layers (see test/runAll.ts), without the two slowest contract files (load, resolveBudget:
  // 10 s of pacing each time a mutant they cover is tested) and the check that the leak drills' patches apply to the
  // source (it reads the instrumented files). Contract tests start the simulator on an ephemeral port.
  mochaOptions: { config: 'test/.mocharc.mutation.json' },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  coverageAnalysis: 'perTest',
  // The machine is shared: one test runner, one checker.
  concurrency: 1,
  // Static mutants (module-level constants) would each rerun all 850 tests: too slow for a shared machine.
  ignoreStatic: true,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  clearTextReporter: { reportTests: false, allowColor: false },
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // The whole core scored 93.82 % in the last full run (test/mutation/SURVIVORS.md); below 88 % the run fails.
  thresholds: { high: 90, low: 80, break: 88 },
  tempDirName: '.stryker-tmp',
};
