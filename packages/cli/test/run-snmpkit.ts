/** Runs the built snmpkit binary as a user would: a process, its output and exit code. */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What `npm install` links as `snmpkit`: it runs the bundled build (dist/bundle) when there is one. */
export const BIN = join(dirname(fileURLToPath(import.meta.url)), '../bin/snmpkit.js');

export interface ProcessResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  durationMs: number;
}

/** The environment both Net-SNMP's tools and snmpkit get in the golden tests: no MIB modules at all. */
export const NO_MIBS = { MIBS: '', MIBDIRS: '/nonexistent' };

export function runSnmpkit(
  args: readonly string[],
  options: { env?: Record<string, string>; stdin?: string; timeoutMs?: number } = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...NO_MIBS, ...options.env },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, options.timeoutMs ?? 30_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode: code,
        durationMs: performance.now() - started,
      });
    });
    child.stdin.end(options.stdin ?? '');
  });
}
