import { describe, expect, it } from 'vitest';
import { runProcess } from '../src/index.js';

/** A child that echoes its input to stdout, names an environment variable on stderr and exits 3. */
const ECHO = [
  '-e',
  "process.stdin.pipe(process.stdout); process.stderr.write(process.env.KIT ?? '-'); process.exitCode = 3",
];

describe('runProcess', () => {
  it('feeds stdin, adds to the environment, captures both outputs and resolves whatever the exit code', async () => {
    const r = await runProcess(process.execPath, ECHO, { stdin: 'in\n', env: { KIT: 'set' } });
    expect(r).toMatchObject({ stdout: 'in\n', stderr: 'set', exitCode: 3 });
    expect(r.durationMs).toBeGreaterThan(0);
    expect((await runProcess(process.execPath, ECHO)).stdout).toBe('');
  });

  it('kills the child after timeoutMs (exit code null), and rejects a command that cannot start', async () => {
    const r = await runProcess(process.execPath, ['-e', 'setTimeout(() => {}, 10_000)'], { timeoutMs: 200 });
    expect(r.exitCode).toBeNull();
    expect(r.durationMs).toBeLessThan(5000);
    await expect(runProcess('/nonexistent/tool', [])).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
