import { spawn } from 'node:child_process';

export interface RunProcessOptions {
  /** Variables added to (or replacing those of) this process's environment for the child. */
  env?: Record<string, string>;
  /** Written to the child's stdin, which is then closed. Default: none (end of input at once). */
  stdin?: string;
  /** Kill the child (SIGKILL, by PID) after this many ms. Default 30 000. */
  timeoutMs?: number;
}

export interface ProcessResult {
  stdout: string;
  stderr: string;
  /** The exit code; null when the process was killed by a signal (for example on `timeoutMs`). */
  exitCode: number | null;
  /** Wall-clock time from spawn to exit, ms: includes process start, as a user of the command would see it. */
  durationMs: number;
}

/**
 * Runs `command` with `args` (no shell: arguments are passed as they are) and captures what it prints. Never rejects
 * because of the exit code, so that callers can assert on it; rejects only when the command cannot be started.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunProcessOptions = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, [...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
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
    // A child that exits without reading its input closes the pipe: EPIPE then says nothing about the run.
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin ?? '');
  });
}
