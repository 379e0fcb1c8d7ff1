import * as assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '..', '..', '..');
const run = promisify(execFile);

/** curl on this machine, if any: the printed command is then run exactly as printed, by a shell. */
function curlOnPath(): string | undefined {
  return (process.env.PATH ?? '').split(delimiter).find((dir) => existsSync(join(dir, 'curl'))) ? 'curl' : undefined;
}

/** Starts a shell command, detached in its own process group, and waits for a line of its output. */
function start(command: string, until: RegExp): Promise<{ output: () => string; stop: () => void }> {
  const child = spawn('/bin/sh', ['-c', command], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const stop = () => {
    try {
      process.kill(-(child.pid ?? 0), 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  return new Promise((resolveStarted, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (until.test(out)) {
        resolveStarted({ output: () => out, stop });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${command} exited with ${String(code)}:\n${out}`)));
  });
}

/** The URL and headers of a printed `curl -H "…" "URL"`, to reproduce it with fetch where curl is missing. */
function parseCurl(command: string): { url: string; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  for (const [, header] of command.matchAll(/-H "([^"]+)"/g)) {
    const [name, ...value] = (header ?? '').split(':');
    headers[(name ?? '').trim()] = value.join(':').trim();
  }
  const url = [...command.matchAll(/"(https?:\/\/[^"]+)"/g)].at(-1)?.[1];
  assert.ok(url, `a URL in ${command}`);
  return { url, headers };
}

describe('Every command the project prints or documents runs as shown', function () {
  this.timeout(120_000);

  it("the README's simulator command starts it, and the banner's Try: command answers 200 with the user's Pages", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const documented = /^(npm run simulator -- [^#\n]*?)\s+# prints its URL/m.exec(readme)?.[1];
    assert.ok(documented, 'the README documents how to start the simulator');
    const simulator = await start(documented, /^Try: .*$/m);
    try {
      const banner = simulator.output();
      const tryCommand = /^Try: (.*)$/m.exec(banner)?.[1]?.trim() ?? assert.fail(`no Try: line in\n${banner}`);
      assert.match(tryCommand, /^curl /);
      const curl = curlOnPath();
      if (curl) {
        // Exactly as printed, plus only curl's own report of the status on a line of its own.
        const { stdout } = await run('/bin/sh', ['-c', `${tryCommand} -s -w '\\n%{http_code}'`], { cwd: ROOT });
        const lines = stdout.trimEnd().split('\n');
        assert.equal(lines.at(-1), '200', stdout);
        const body = JSON.parse(lines.slice(0, -1).join('\n')) as { data?: { id: string }[] };
        assert.ok(body.data && body.data.length > 0, stdout);
      }
      const { url, headers } = parseCurl(tryCommand);
      const response = await fetch(url, { headers });
      const body = (await response.json()) as { data?: { id: string }[] };
      assert.equal(response.status, 200, JSON.stringify(body));
      assert.ok(body.data && body.data.length > 0);
    } finally {
      simulator.stop();
    }
  });

  it("the README's --help command prints every flag", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const documented = /^(npm run simulator -- --help)\s+# every flag/m.exec(readme)?.[1];
    assert.ok(documented);
    const { stdout } = await run('/bin/sh', ['-c', documented], { cwd: ROOT });
    assert.match(stdout, /--no-cors/);
  });
});
