import * as assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { toolEnv } from '../harness/setup/toolEnv';

const ROOT = resolve(__dirname, '..', '..', '..');
const PACKAGE_DIR = join(ROOT, 'simulator');
const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface PackageJson {
  name: string;
  version: string;
  license: string;
  bin: Record<string, string>;
  exports: Record<string, { types?: string; default?: string } | string>;
  files: string[];
}

/** The bot developer's test, as they would write it against the installed package. */
const BOT_TEST = `
const assert = require('node:assert/strict');
const { startSimulator, World } = require('@messenger-explorer/simulator');

describe('my bot against the Graph API simulator', () => {
  let sim;
  before(async () => { sim = await startSimulator({ seed: 2, itemCostMs: 0, requireProof: false }); });
  after(() => sim.stop());

  it('lists a Page\\'s Messenger threads the way the docs write the request', async () => {
    const page = sim.credentials().pages[0];
    const token = sim.world.pages[0].accessToken;
    const res = await fetch(sim.url + '/v26.0/' + page.id + '/conversations?platform=messenger&access_token=' + encodeURIComponent(token));
    const body = await res.json();
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(body.data[0]), ['id', 'updated_time']);
  });

  it('counts calls the way Meta does, on the control endpoint', async () => {
    await fetch(sim.url + '/__simulator/reset', { method: 'POST', headers: sim.controlHeaders(), body: '{}' });
    const token = sim.world.pages[0].accessToken;
    const ids = sim.world.people.map((p) => p.psids.get(sim.world.pages[0].id)).filter(Boolean).slice(0, 5);
    await fetch(sim.url + '/v26.0/?ids=' + ids.join(',') + '&fields=name', { headers: { Authorization: 'Bearer ' + token } });
    const calls = await (await fetch(sim.url + '/__simulator/calls', { headers: { 'x-simulator-key': sim.controlKey } })).json();
    assert.equal(calls.total, 5);
    assert.ok(new World({ seed: 2 }).pages.length > 0);
  });
});
`;

/** What a TypeScript user compiles: the types come through the package's `exports`. */
const TYPED_USE = `
import { startSimulator, type CallAccounting, type SimulatorOptions } from '@messenger-explorer/simulator';
const options: SimulatorOptions = { seed: 1, itemCostMs: 0 };
export async function main(): Promise<number> {
  const sim = await startSimulator(options);
  const calls: CallAccounting = sim.calls();
  await sim.stop();
  return calls.total;
}
`;

describe('The simulator as a package of its own (npm pack, install, bin, programmatic API)', function () {
  this.timeout(180_000);
  let work: string;
  let tarball: string;
  let project: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'simulator-package-'));
    const { stdout } = await run(npm, ['pack', '--json', '--pack-destination', work], {
      cwd: PACKAGE_DIR,
      env: toolEnv(),
      maxBuffer: 16 * 1024 * 1024,
    });
    const packed = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    tarball = join(work, packed[0]?.filename ?? assert.fail('npm pack made no tarball'));
    project = join(work, 'bot');
    mkdirSync(join(project, 'test'), { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-bot', version: '1.0.0', private: true }));
    await run(npm, ['install', '--no-audit', '--no-fund', '--offline', '--ignore-scripts', tarball], {
      cwd: project,
      env: toolEnv(),
      maxBuffer: 16 * 1024 * 1024,
    });
  });
  after(() => {
    if (work) {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('is publishable: name, version, license, bin and exports with type declarations, and docs', () => {
    const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as PackageJson;
    assert.equal(manifest.name, '@messenger-explorer/simulator');
    assert.match(manifest.version, /^\d+\.\d+\.\d+$/);
    assert.equal(manifest.license, 'MIT');
    const installed = join(project, 'node_modules', '@messenger-explorer', 'simulator');
    for (const file of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts', 'dist/cli.js']) {
      assert.ok(existsSync(join(installed, file)), `${file} is in the tarball`);
    }
    assert.ok(
      !existsSync(join(installed, 'server.ts')) && !existsSync(join(installed, 'tsconfig.build.json')),
      'sources stay out of the tarball',
    );
    const root = manifest.exports['.'];
    assert.ok(typeof root === 'object' && root.types && root.default);
    assert.ok(existsSync(join(installed, root.types)) && existsSync(join(installed, root.default)));
    assert.match(readFileSync(join(installed, 'dist', 'cli.js'), 'utf8'), /^#!\/usr\/bin\/env node/);
    assert.ok(!existsSync(join(PACKAGE_DIR, 'dist')), 'packing leaves the working tree clean');
    const readme = readFileSync(join(installed, 'README.md'), 'utf8');
    for (const section of [
      '## Command line',
      '## Programmatic API',
      '## Control endpoints',
      '## The world',
      '## Fidelity',
      '/__simulator/calls',
      '--item-cost-ms',
    ]) {
      assert.ok(readme.includes(section), `README documents ${section}`);
    }
  });

  it('runs its bin: --help, and a server that answers the Graph API', async () => {
    const bin = join(
      project,
      'node_modules',
      '.bin',
      process.platform === 'win32' ? 'messenger-graph-simulator.cmd' : 'messenger-graph-simulator',
    );
    const help = await run(bin, ['--help'], { cwd: project });
    assert.match(help.stdout, /--item-cost-ms/);
    const child = spawn(bin, ['--port', '0', '--json', '--seed', '3'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolveLine, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) {
            resolveLine(out.split('\n')[0] ?? '');
          }
        });
        child.once('exit', (code) => reject(new Error(`the bin exited with ${String(code)}`)));
      });
      const started = JSON.parse(line) as { url: string; controlKey: string; userToken: string; apps: { secret: string }[] };
      const refused = await fetch(`${started.url}/v26.0/me/accounts?access_token=${encodeURIComponent(started.userToken)}`);
      assert.match(
        ((await refused.json()) as { error?: { message: string } }).error?.message ?? '',
        /appsecret_proof/,
        'the apps require appsecret_proof by default',
      );
      const proof = createHmac('sha256', started.apps[0]?.secret ?? '')
        .update(started.userToken)
        .digest('hex');
      const response = await fetch(`${started.url}/v26.0/me/accounts?appsecret_proof=${proof}`, {
        headers: { Authorization: `Bearer ${started.userToken}` },
      });
      const body = (await response.json()) as { data?: { id: string; access_token: string }[] };
      assert.equal(response.status, 200, JSON.stringify(body));
      assert.ok(body.data?.length && body.data.every((p) => p.id && p.access_token));
      const state = (await (
        await fetch(`${started.url}/__simulator/calls`, { headers: { 'x-simulator-key': started.controlKey } })
      ).json()) as { httpRequests: number };
      assert.equal(state.httpRequests, 2);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it("runs a bot developer's mocha suite against the installed package", async () => {
    writeFileSync(join(project, 'test', 'bot.test.js'), BOT_TEST);
    const mocha = join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
    const { stdout } = await run(process.execPath, [mocha, '--reporter', 'dot', 'test/bot.test.js'], { cwd: project }).catch(
      (error: Error & { stdout?: string; stderr?: string }) =>
        assert.fail(`the bot's suite failed:\n${error.stdout ?? ''}${error.stderr ?? error.message}`),
    );
    assert.match(stdout, /2 passing/);
  });

  it('gives TypeScript users its types through exports', async () => {
    writeFileSync(join(project, 'use.ts'), TYPED_USE);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules', '@types')],
          skipLibCheck: false,
        },
        files: ['use.ts'],
      }),
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project }).catch((error: Error & { stdout?: string }) =>
      assert.fail(`tsc: ${error.stdout ?? error.message}`),
    );
    writeFileSync(join(project, 'use.ts'), `${TYPED_USE}\nconst wrong: SimulatorOptions = { seed: 'not a number' };\nvoid wrong;\n`);
    await assert.rejects(run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project }), 'a wrong option type is a compile error');
  });
});
