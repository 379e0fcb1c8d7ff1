import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ensureCacheEntry } from '../../harness/setup/cacheEntry';
import { explainFailure, failureCause } from '../../harness/setup/explainFailure';
import { runStep, SetupError } from '../../harness/setup/step';
import { toolEnv } from '../../harness/setup/toolEnv';
import { codeServerEnv } from '../../harness/codeServer';

/** What an outer `npm test` under Node 20 exports to its children (trimmed from a real run). */
const OUTER_NPM_ENV: NodeJS.ProcessEnv = {
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false ci/true',
  npm_config_nodedir: '/usr',
  npm_config_cache: '/root/.npm',
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  npm_node_execpath: '/usr/bin/node',
  npm_lifecycle_event: 'test',
  npm_lifecycle_script: 'node out/test/runAll.js',
  npm_package_name: 'messenger-explorer',
  npm_command: 'run-script',
  NODE: '/usr/bin/node',
  INIT_CWD: '/work/main',
  PATH: [
    '/work/main/node_modules/.bin',
    '/work/node_modules/.bin',
    '/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin',
    '/usr/local/bin',
    '/usr/bin',
  ].join(delimiter),
  HOME: '/root',
  NPM_CONFIG_REGISTRY: 'https://registry.example.test/',
};

function outerNpmLeftovers(env: NodeJS.ProcessEnv): string[] {
  const names = Object.keys(env).filter((name) => /^npm_/.test(name) || name === 'NODE' || name === 'INIT_CWD');
  const path = (env.PATH ?? '').split(delimiter).filter((dir) => dir.includes('node_modules/.bin') || dir.includes('node-gyp-bin'));
  return [...names, ...path];
}

describe('setup of the test toolchain', () => {
  describe('the environment handed to nested tools', () => {
    it("carries none of the outer npm's variables or PATH entries, and keeps the user's own", () => {
      const env = toolEnv(OUTER_NPM_ENV);
      assert.deepEqual(outerNpmLeftovers(env), []);
      assert.equal(env.PATH, ['/usr/local/bin', '/usr/bin'].join(delimiter));
      assert.equal(env.HOME, '/root');
      assert.equal(env.NPM_CONFIG_REGISTRY, 'https://registry.example.test/');
    });

    it('is what a child started by runStep actually sees', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mx-env-'));
      const saved = { ...process.env };
      Object.assign(process.env, OUTER_NPM_ENV, { PATH: `${join(dir, 'node_modules', '.bin')}${delimiter}${saved.PATH ?? ''}` });
      try {
        const dump = join(dir, 'env.json');
        await runStep({
          label: 'an env dump',
          cmd: process.execPath,
          args: ['-e', `require('fs').writeFileSync(${JSON.stringify(dump)}, JSON.stringify(process.env))`],
          logFile: join(dir, 'step.log'),
          dir,
          env: { npm_config_nodedir: '/opt/node24' },
        });
        const seen = JSON.parse(readFileSync(dump, 'utf8')) as NodeJS.ProcessEnv;
        assert.deepEqual(
          outerNpmLeftovers(seen).filter((n) => n !== 'npm_config_nodedir'),
          [],
        );
        assert.equal(seen.npm_config_nodedir, '/opt/node24', 'variables the harness sets itself still reach the tool');
        assert.equal(seen.npm_config_user_agent, undefined);
      } finally {
        for (const name of Object.keys(process.env)) {
          if (!(name in saved)) {
            delete process.env[name];
          }
        }
        Object.assign(process.env, saved);
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('is clean for code-server and its extension host too', () => {
      const saved = { ...process.env };
      Object.assign(process.env, OUTER_NPM_ENV);
      try {
        const env = codeServerEnv({ node24: '/cache/node/bin/node', codeServerEntry: '/cache/cs/entry.js' }, '/tmp/home', { MX_FLAG: '1' });
        assert.deepEqual(outerNpmLeftovers(env), []);
        assert.equal(env.PATH?.split(delimiter)[0], '/cache/node/bin');
        assert.equal(env.HOME, '/tmp/home');
        assert.equal(env.MX_FLAG, '1');
      } finally {
        for (const name of Object.keys(process.env)) {
          if (!(name in saved)) {
            delete process.env[name];
          }
        }
        Object.assign(process.env, saved);
      }
    });
  });

  describe('a failed step says which step, why and what to run', () => {
    const base = { step: 'code-server 4.139.1', exitCode: 1, logFile: '/cache/logs/code-server.log', dir: '/cache', rerun: 'npm test' };
    const cases: [string, string, RegExp][] = [
      ['a full disk', 'npm error code ENOSPC\nnpm error syscall write\nnpm error errno -28', /disk is full.*df -h \/cache.*npm test again/],
      [
        'no root for apt-get',
        'E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock, are you root?',
        /needs root/,
      ],
      [
        'a registry that does not answer',
        'npm error code ENOTFOUND\nnpm error network request to https://registry.npmjs.org/code-server failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org',
        /registry did not answer.*npm config get registry/,
      ],
      [
        'apt mirrors that do not answer',
        "Err:1 http://deb.debian.org/debian bookworm InRelease\n  Temporary failure resolving 'deb.debian.org'",
        /registry did not answer/,
      ],
      [
        'a postinstall that fails',
        'npm error command sh -c sh ./postinstall.sh\nnpm error ERROR: code-server currently requires node v24.\nnpm error We have detected that you are on node v20',
        /install script failed/,
      ],
      ['anything else', 'Segmentation fault', /exited with code 1.*\n {2}last lines: Segmentation fault/s],
    ];
    for (const [what, output, expected] of cases) {
      it(`explains ${what} in one short message`, () => {
        const message = explainFailure({ ...base, output });
        assert.match(message, /^Setup failed while installing code-server 4\.139\.1: /);
        assert.match(message, expected);
        assert.match(message, /full log: \/cache\/logs\/code-server\.log$/);
        assert.ok(message.split('\n').length <= 3, message);
        if (!what.startsWith('anything')) {
          assert.doesNotMatch(message, /npm error|E: |Err:/, 'a known cause is said plainly, not as the raw log');
        }
      });
    }

    it('classifies the disk before the install script that hit it', () => {
      assert.equal(failureCause('npm error command sh -c node install.js\nENOSPC: no space left on device'), 'disk-full');
    });

    it('rejects with a SetupError and keeps the raw output in the log file only', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mx-fail-'));
      try {
        const logFile = join(dir, 'logs', 'x.log');
        const failing = runStep({
          label: 'a failing tool',
          cmd: process.execPath,
          args: ['-e', 'console.error("npm error code ENOTFOUND registry.npmjs.org"); process.exit(7)'],
          logFile,
          dir,
        });
        await assert.rejects(failing, (error: unknown) => {
          assert.ok(error instanceof SetupError);
          assert.match(error.message, /a failing tool: the package registry did not answer/);
          return true;
        });
        assert.match(readFileSync(logFile, 'utf8'), /npm error code ENOTFOUND/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('says so when the tool cannot be started at all', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mx-fail-'));
      try {
        await assert.rejects(
          runStep({ label: 'a missing tool', cmd: join(dir, 'no-such-tool'), args: [], logFile: join(dir, 'x.log'), dir }),
          /Setup failed while installing a missing tool/,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('a cache entry', () => {
    let root: string;
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'mx-cache-'));
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    const entry = (dir: string, install: (staging: string) => Promise<void>) => ({
      dir,
      install,
      isWhole: (d: string) => existsSync(join(d, 'tool.js')),
    });

    it('appears only when the install finished and is whole', async () => {
      const dir = join(root, 'tool-1');
      await assert.rejects(ensureCacheEntry(entry(dir, () => Promise.reject(new Error('registry down')))), /registry down/);
      assert.equal(existsSync(dir), false, 'a failed install leaves no entry');
      await assert.rejects(ensureCacheEntry(entry(dir, () => Promise.resolve())), /incomplete/);
      assert.equal(existsSync(dir), false, 'an install without its files leaves no entry');
      let installs = 0;
      const good = entry(dir, (staging) => {
        installs += 1;
        writeFileSync(join(staging, 'tool.js'), '');
        return Promise.resolve();
      });
      assert.equal(await ensureCacheEntry(good), dir);
      assert.equal(await ensureCacheEntry(good), dir);
      assert.equal(installs, 1, 'a whole entry is reused');
      assert.deepEqual(readdirSync(root), ['tool-1'], 'no staging folder is left behind');
    });

    it('replaces a half-installed folder (no marker, or files missing) instead of trusting it', async () => {
      const dir = join(root, 'tool-1');
      mkdirSync(dir);
      writeFileSync(join(dir, 'half'), '');
      let installs = 0;
      const good = entry(dir, (staging) => {
        installs += 1;
        writeFileSync(join(staging, 'tool.js'), '');
        return Promise.resolve();
      });
      await ensureCacheEntry(good);
      assert.equal(installs, 1);
      assert.equal(existsSync(join(dir, 'half')), false);
      rmSync(join(dir, 'tool.js'));
      await ensureCacheEntry(good);
      assert.equal(installs, 2, 'a marker without the files is not whole');
    });

    it('clears the staging folder of a run that died', async () => {
      const dir = join(root, 'tool-1');
      const abandoned = `${dir}.partial-999999`;
      mkdirSync(abandoned);
      await ensureCacheEntry(entry(dir, (staging) => Promise.resolve(writeFileSync(join(staging, 'tool.js'), ''))));
      assert.equal(existsSync(abandoned), false);
    });
  });
});
