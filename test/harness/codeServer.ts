import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { languagePackVsix, registerLanguagePacks } from './languagePack';
import { toolEnv } from './setup/toolEnv';
import { Toolchain } from './toolchain';

export interface CodeServerOptions {
  /** Settings written to the user's settings.json before start (merged over a clean default). */
  readonly userSettings?: Record<string, unknown>;
  /** Extra environment for the server and so for its extension host. */
  readonly env?: NodeJS.ProcessEnv;
  /** Extension .vsix files to install before start. */
  readonly installExtensions?: readonly string[];
  readonly port?: number;
  readonly keepProfile?: boolean;
  readonly log?: (line: string) => void;
  /** Display language, for example `ja`: installs the test language pack and passes --locale. */
  readonly locale?: string;
  /** VS Code as a person gets it (npm start): no test driver, so notifications pop up. */
  readonly forPeople?: boolean;
}

export interface RunningCodeServer {
  readonly url: string;
  readonly port: number;
  readonly profileDir: string;
  stop(): Promise<void>;
}

const CLEAN_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
};

/** Starts code-server on loopback with a throwaway profile; resolves once it is listening. */
export async function startCodeServer(toolchain: Toolchain, options: CodeServerOptions = {}): Promise<RunningCodeServer> {
  const profileDir = mkdtempSync(join(tmpdir(), 'mx-cs-'));
  const home = join(profileDir, 'home');
  const userDataDir = join(profileDir, 'data');
  const extensionsDir = join(profileDir, 'extensions');
  for (const dir of [home, join(userDataDir, 'User'), extensionsDir]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...CLEAN_SETTINGS, ...options.userSettings }, null, 2));

  const env = codeServerEnv(toolchain, home, options.env);
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  const locale = options.locale && options.locale !== 'en' ? options.locale : undefined;
  const extensions = [...(options.installExtensions ?? []), ...(locale ? [await languagePackVsix(locale)] : [])];
  for (const vsix of extensions) {
    await runToEnd(spawn(toolchain.node24, [toolchain.codeServerEntry, ...common, '--install-extension', vsix], { env }));
  }
  if (locale) {
    registerLanguagePacks(userDataDir, extensionsDir);
  }

  const port = options.port ?? 0;
  const child = spawn(
    toolchain.node24,
    [
      toolchain.codeServerEntry,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      ...common,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      // The smoke-test driver lets tests read the workbench, but VS Code then shows no notification toasts.
      ...(options.forPeople ? [] : ['--vscode-option', 'enable-smoke-test-driver']),
      ...(locale ? ['--locale', locale] : []),
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );

  const boundPort = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s. Output:\n${buffer}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      buffer += text;
      for (const line of text.split('\n')) {
        if (line.trim()) {
          options.log?.(line);
        }
      }
      const match = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(buffer);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited early with code ${String(code)}. Output:\n${buffer}`));
    });
  });

  return {
    url: `http://127.0.0.1:${boundPort}`,
    port: boundPort,
    profileDir,
    async stop() {
      await stopProcess(child);
      if (!options.keepProfile) {
        rmSync(profileDir, { recursive: true, force: true });
      }
    },
  };
}

/** The server's environment: cleaned of the outer npm's variables, with a home of its own. */
export function codeServerEnv(toolchain: Toolchain, home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return toolEnv(process.env, {
    ...extra,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    PATH: `${join(toolchain.node24, '..')}:${toolEnv().PATH ?? ''}`,
  });
}

function runToEnd(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit code ${String(code)}`))));
    child.once('error', reject);
  });
}

export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
