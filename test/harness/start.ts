import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startCodeServer } from './codeServer';
import { runStep, setRerunCommand } from './setup/step';
import { cacheRoot, ensureToolchain, setupLog } from './toolchain';
import { startSimulator } from '../../simulator/index';

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
const VSIX = join(PROJECT_ROOT, 'dist-vsix', 'messenger-explorer.vsix');

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/**
 * `npm start`: packages the extension while the toolchain installs (first run only), starts the
 * simulator and code-server with the extension installed, as a person gets it, and prints the URL.
 * `npm start -- --desktop` opens VS Code desktop (`code` on PATH) with the extension under development.
 * Ctrl-C stops everything it started.
 */
async function main(): Promise<void> {
  setRerunCommand('npm start');
  if (process.argv.includes('--desktop')) {
    const child = spawn('code', ['--new-window', `--extensionDevelopmentPath=${PROJECT_ROOT}`], { stdio: 'inherit' });
    child.once('error', () => {
      console.error('`code` (VS Code desktop) is not on PATH; run `npm start` without --desktop to use the browser.');
      process.exit(1);
    });
    child.on('exit', (c) => process.exit(c ?? 0));
    return;
  }

  const started = Date.now();
  const [toolchain] = await Promise.all([
    ensureToolchain(),
    runStep({
      label: 'the extension package (.vsix)',
      cmd: 'npm',
      args: ['run', 'package', '--silent'],
      cwd: PROJECT_ROOT,
      dir: PROJECT_ROOT,
      logFile: setupLog('package'),
    }),
  ]);
  const simulator = await startSimulator({ port: Number(argValue('--simulator-port') ?? 4580), seed: 1 });
  const workspace = join(PROJECT_ROOT, 'out', 'demo-workspace');
  mkdirSync(workspace, { recursive: true });
  const server = await startCodeServer(toolchain, {
    port: Number(argValue('--port') ?? process.env.PORT ?? 8080),
    installExtensions: [VSIX],
    keepProfile: false,
    forPeople: true,
    // "Connect to Local Simulator" suggests this address, key included: one Enter connects.
    env: { MESSENGER_EXPLORER_SIMULATOR_URL: simulator.connectUrl },
  });
  console.log('');
  console.log(`Messenger Explorer is running in VS Code (code-server) at:`);
  console.log(`  ${server.url}/?folder=${encodeURIComponent(workspace)}`);
  console.log('Open it in a browser: the Get Started walkthrough opens. Click "Connect to Local Simulator", press Enter,');
  console.log("and browse the demo Pages' threads in the Messenger Explorer sidebar. Press Ctrl-C to stop.");
  console.log('');
  console.log(`Local Graph API simulator: ${simulator.url} (connect address with its control key: ${simulator.connectUrl})`);
  console.log(`(ready in ${Math.round((Date.now() - started) / 1000)} s; toolchain cache: ${cacheRoot()})`);

  const stop = (): void => {
    void Promise.all([server.stop(), simulator.stop()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
