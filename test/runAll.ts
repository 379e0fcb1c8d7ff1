import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { runIntegrationTests } from './harness/runIntegration';
import { runScenarios } from './harness/runScenarios';
import { runWebTests } from './harness/runWeb';
import { runDrills } from './drills/run';
import { SetupError } from './harness/setup/step';
import { ensureToolchain } from './harness/toolchain';
import { ensureWebToolchain } from './harness/webToolchain';
import { LayerResult } from './support/suiteSummary';

/**
 * `npm test`: unit tests (plain mocha), contract tests (the client against the simulator over
 * HTTP), the package check, the web extension in a browser extension host, the integration
 * suite inside a real VS Code, then the leak drills. Ends with one summary line over all layers.
 */
function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      out.push(...findTests(path));
    } else if (name.endsWith('.test.js')) {
      out.push(path);
    }
  }
  return out.sort();
}

function runMochaLayer(dir: string, timeout: number): Promise<LayerResult> {
  const mocha = new Mocha({ ui: 'bdd', timeout, reporter: 'spec' });
  for (const file of findTests(join(__dirname, dir))) {
    mocha.addFile(file);
  }
  return new Promise((resolve) => {
    const runner = mocha.run((failures) => {
      resolve({ passed: runner.stats?.passes ?? 0, failed: failures, skipped: runner.stats?.pending ?? 0 });
    });
  });
}

/** Installs (first run only) what the web and integration layers need, all at once; they await it. */
async function setUp(): Promise<void> {
  console.log('\n=== setup ===');
  const started = Date.now();
  const results = await Promise.allSettled([ensureToolchain(), ensureWebToolchain()]);
  for (const result of results) {
    if (result.status === 'rejected') {
      console.error(result.reason instanceof Error ? result.reason.message : String(result.reason));
    }
  }
  console.log(
    `--- setup: ${results.every((r) => r.status === 'fulfilled') ? 'ready' : 'failed'} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
}

function whyNotRun(error: unknown): string {
  if (error instanceof SetupError) {
    return 'setup failed (explained above)';
  }
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<number> {
  await setUp();
  const layers: [string, () => Promise<LayerResult>][] = [
    ['unit', () => runMochaLayer('unit', 10_000)],
    ['contract', () => runMochaLayer('contract', 20_000)],
    ['package', () => runMochaLayer('package', 10_000)],
    ['web', () => runWebTests()],
    ['scenarios', () => runScenarios()],
    ['integration', () => runIntegrationTests()],
    ['integration ja', () => runIntegrationTests({ locale: 'ja' })],
    ['integration vi', () => runIntegrationTests({ locale: 'vi' })],
    // Deliberate leaks in copies of the extension: the leak scan must catch each (one VS Code session per drill).
    ['leak drills', () => runDrills()],
  ];
  const results: [string, LayerResult][] = [];
  for (const [name, run] of layers) {
    console.log(`\n=== ${name} tests ===`);
    const started = Date.now();
    try {
      const result = await run();
      results.push([name, result]);
      console.log(
        `--- ${name}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
    } catch (error) {
      console.error(`--- ${name}: could not run: ${whyNotRun(error)}`);
      results.push([name, { passed: 0, failed: 1, skipped: 0 }]);
    }
  }
  const total = results.reduce(
    (t, [, r]) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  console.log('\nlayer           passed  failed  skipped');
  for (const [name, r] of results) {
    console.log(`${name.padEnd(15)} ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.skipped).padStart(7)}`);
  }
  console.log(`\nTests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return total.failed > 0 || total.passed === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
