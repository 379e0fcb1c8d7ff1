import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startCodeServer } from './codeServer';
import { ensureToolchain } from './toolchain';
import { UiDriver } from './uiDriver';
import { openWorkbench } from './workbench';
import { UI_DRIVER_ENV } from '../integration/support/uiProtocol';
import { LayerResult, parseSummary } from '../support/suiteSummary';
import { isWorkbenchNoise } from './workbenchNoise';
import { LEAK_SCAN_ENV, LeakScanRequest, profileScanProblems, scanProfile } from './profileLeakScan';

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
const SUITE_TIMEOUT_MS = 15 * 60_000;
const SILENCE_TIMEOUT_MS = 3 * 60_000;

export interface IntegrationRun {
  /** Display language of the VS Code session; its suite is test/integration/<locale>. */
  readonly locale?: 'ja' | 'vi';
  /** Only the tests whose full title matches (default: MESSENGER_EXPLORER_TEST_GREP). */
  readonly grep?: string;
  /** Every line the suite prints (the bench reads its measurements from them). */
  readonly onLine?: (line: string) => void;
  /** The extension under test (default: this project); the leak drills pass a patched copy. */
  readonly extensionDevelopmentPath?: string;
  /** Print nothing of the suite's output (the drills print a table). */
  readonly quiet?: boolean;
}

/** Runs test/integration (or its display-language suite) inside a real VS Code (code-server), driven by Playwright. */
export async function runIntegrationTests(run: IntegrationRun = {}): Promise<LayerResult> {
  const toolchain = await ensureToolchain();
  const screenshots = join(PROJECT_ROOT, 'screenshots', 'tests');
  mkdirSync(screenshots, { recursive: true });
  const driver = new UiDriver(screenshots);
  const driverUrl = await driver.start();
  const workspace = mkdtempSync(join(tmpdir(), 'mx-ws-'));
  // Outside the profile: the secrets to look for must not be found where they are listed.
  const leakScanFile = join(mkdtempSync(join(tmpdir(), 'mx-leak-')), 'scan.json');

  const server = await startCodeServer(toolchain, {
    env: {
      [UI_DRIVER_ENV]: driverUrl,
      [LEAK_SCAN_ENV]: leakScanFile,
      MESSENGER_EXPLORER_TEST_GREP: run.grep ?? process.env.MESSENGER_EXPLORER_TEST_GREP ?? '',
    },
    keepProfile: true,
    log: process.env.MESSENGER_EXPLORER_HARNESS_VERBOSE ? (l) => console.log(`[code-server] ${l}`) : undefined,
    locale: run.locale,
  });
  let summary: LayerResult | undefined;
  let lastOutput = Date.now();
  let exitCode: number | undefined;

  const workbench = await openWorkbench({
    serverUrl: server.url,
    folder: workspace,
    extensionDevelopmentPath: run.extensionDevelopmentPath ?? PROJECT_ROOT,
    // Four views share the sidebar: a tall window keeps every Accounts row of the test world on screen (rows are virtualized).
    viewport: { width: 1280, height: 1100 },
    extensionTestsPath: join(PROJECT_ROOT, 'out', 'test', 'integration', ...(run.locale ? [run.locale] : []), 'index.js'),
    onTestLog: (line) => {
      lastOutput = Date.now();
      run.onLine?.(line);
      if (!run.quiet && !isWorkbenchNoise(line)) {
        console.log(line);
      }
      summary = parseSummary('integration', line) ?? summary;
    },
    onTestExit: (code) => {
      exitCode = code;
    },
  });
  driver.attach(workbench.page);

  try {
    const started = Date.now();
    while (exitCode === undefined) {
      if (Date.now() - started > SUITE_TIMEOUT_MS) {
        throw new Error(`The integration suite did not finish within ${SUITE_TIMEOUT_MS / 60_000} minutes.`);
      }
      if (Date.now() - lastOutput > SILENCE_TIMEOUT_MS) {
        throw new Error(
          summary
            ? 'The integration suite printed its summary but VS Code never reported its exit.'
            : `The integration suite printed nothing for ${SILENCE_TIMEOUT_MS / 1000} s: the extension host may not have started the tests (is code-server's smoke-test driver enabled?).`,
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await workbench.close();
    await server.stop();
    await driver.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
  try {
    if (!summary) {
      throw new Error(`VS Code reported exit code ${exitCode} but the suite printed no summary: the test entry may have failed to load.`);
    }
    return withProfileScan(summary, server.profileDir, leakScanFile, (line) => {
      run.onLine?.(line);
      if (!run.quiet) {
        console.log(line);
      }
    });
  } finally {
    rmSync(server.profileDir, { recursive: true, force: true });
    rmSync(join(leakScanFile, '..'), { recursive: true, force: true });
  }
}

/** When the leak test ran, its scan of the stopped server's profile counts as one more test. */
function withProfileScan(summary: LayerResult, profileDir: string, leakScanFile: string, print: (line: string) => void): LayerResult {
  if (!existsSync(leakScanFile)) {
    return summary;
  }
  const scan = scanProfile(profileDir, JSON.parse(readFileSync(leakScanFile, 'utf8')) as LeakScanRequest);
  const problems = profileScanProblems(scan);
  const title = `the profile on disk after shutdown (${scan.files} files, ${(scan.bytes / 1e6).toFixed(1)} MB) holds no planted secret`;
  if (problems.length > 0) {
    print(`  ✗ ${title}\n${problems.join('\n')}`);
    return { ...summary, failed: summary.failed + 1 };
  }
  print(`  ✔ ${title}; markers found in ${scan.markerPlaces.join('; ')}`);
  return { ...summary, passed: summary.passed + 1 };
}

if (require.main === module) {
  const locale = (['ja', 'vi'] as const).find((l) => process.argv.includes(`--locale=${l}`));
  runIntegrationTests({ locale }).then(
    (r) => {
      console.log(`\n${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
      process.exit(r.failed > 0 ? 1 : 0);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
