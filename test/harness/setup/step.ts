import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { explainFailure } from './explainFailure';
import { toolEnv } from './toolEnv';

/** A setup failure whose message is meant for people: printed as is, never with a stack. */
export class SetupError extends Error {
  override readonly name = 'SetupError';
}

export interface Step {
  /** What it installs, e.g. "code-server 4.139.1". */
  readonly label: string;
  readonly cmd: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  /** Variables of our own, set over the cleaned environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where the tool's whole output goes; people see a summary. */
  readonly logFile: string;
  /** The cache folder the step writes to (for the disk-full advice). */
  readonly dir: string;
}

/** The command a person runs again after fixing a failed setup; set by the entry point. */
let rerunCommand = 'npm test';
export function setRerunCommand(command: string): void {
  rerunCommand = command;
}

export function log(message: string): void {
  console.log(`[setup] ${message}`);
}

/**
 * Runs one tool with the cleaned environment (see toolEnv), its output to a log file only.
 * Resolves on exit code 0; otherwise rejects with a SetupError that says what failed and why.
 */
export function runStep(step: Step): Promise<void> {
  mkdirSync(dirname(step.logFile), { recursive: true });
  const logStream = createWriteStream(step.logFile, { flags: 'a' });
  logStream.on('error', () => undefined); // A log that cannot be written must not hide the step's own result.
  logStream.write(`$ ${step.cmd} ${step.args.join(' ')}\n`);
  let output = '';
  return new Promise<void>((resolve, reject) => {
    const child = spawn(step.cmd, step.args, { cwd: step.cwd, env: toolEnv(process.env, step.env), stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer): void => {
      logStream.write(chunk);
      output = (output + chunk.toString()).slice(-64 * 1024);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let settled = false;
    const settle = (exitCode: number | null, extra = ''): void => {
      if (settled) {
        return;
      }
      settled = true;
      logStream.end(() => {
        if (exitCode === 0) {
          resolve();
        } else {
          reject(
            new SetupError(
              explainFailure({
                step: step.label,
                exitCode,
                output: output + extra,
                logFile: step.logFile,
                dir: step.dir,
                rerun: rerunCommand,
              }),
            ),
          );
        }
      });
    };
    // 'error' (the tool could not start) may or may not be followed by 'close'.
    child.once('error', (error) => settle(null, `\n${error.message}`));
    child.once('close', (code) => settle(code));
  });
}

/** Prints what is being installed and how long it usually takes, then a heartbeat until it ends. */
export async function withProgress<T>(label: string, usually: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  log(`installing ${label} (usually ${usually}, once)…`);
  const heartbeat = setInterval(() => log(`  still installing ${label}… ${seconds(started)}`), 20_000);
  try {
    const result = await work();
    log(`${label} ready in ${seconds(started)}`);
    return result;
  } finally {
    clearInterval(heartbeat);
  }
}

function seconds(since: number): string {
  return `${Math.round((Date.now() - since) / 1000)} s`;
}
