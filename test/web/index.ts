import 'mocha/mocha.js';

/**
 * Test entry for the web extension host, in @vscode/test-web's shape: bundled by the harness for a
 * web worker (no Node), loaded by the workbench, which awaits run().
 */
export async function run(): Promise<void> {
  mocha.setup({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000 });
  // After setup, so that describe() and it() exist when the suites load.
  await import('./webExtension.test.js');
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stats = runner.stats;
      // The harness reads this line to count the layer's results.
      console.log(`web: ${stats?.passes ?? 0} passed, ${failures} failed, ${stats?.pending ?? 0} skipped`);
      if (failures > 0) {
        reject(new Error(`${failures} web test(s) failed.`));
      } else {
        resolve();
      }
    });
  });
}
