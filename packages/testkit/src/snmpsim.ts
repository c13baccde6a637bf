import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitUntilAnswering } from './snmpd.js';

/**
 * snmpsim (the Python SNMP simulator) on loopback, for side-by-side tests: its command responder is
 * `snmpsim-command-responder` from 1.x on and `snmpsimd` in 0.4 (Debian's `snmpsim` package).
 */
export interface StartSnmpsimOptions {
  /** The data directory it serves (read by another user when running as root: made world-readable). */
  dataDir: string;
  /** A community it serves, to probe until it answers. */
  probeCommunity: string;
  /** More UDP/IPv4 endpoints after the first: their transport IDs are 1.3.6.1.6.1.1.1, .2 ... */
  extraEndpoints?: number;
  /** More command-line arguments (`--v2c-arch`, ...). */
  args?: string[];
  /** How long to wait for its first answer (it indexes every data file first). Default 60 s. */
  timeoutMs?: number;
}

export interface SnmpsimInstance {
  /** `127.0.0.1:PORT` of each UDP endpoint, the first being transport ID 1.3.6.1.6.1.1.0. */
  readonly endpoints: string[];
  readonly pid: number;
  /** What it logged so far. */
  log(): string;
  /** Stops it (by its own PID) and removes its index cache. */
  stop(): Promise<void>;
}

/** The command responder installed, or an error saying what to install: a missing snmpsim must fail loudly. */
export function snmpsimCommand(): string {
  for (const command of ['snmpsim-command-responder', 'snmpsimd']) {
    const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
    if (found.status === 0 && found.stdout.trim() !== '') return command;
  }
  throw new Error('snmpsim is not installed (snmpsim-command-responder or snmpsimd): apt-get install snmpsim');
}

/** Lets another user (snmpsim drops root's privileges to nobody) read every file under `dir`. */
async function worldReadable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    const info = await stat(path);
    if (info.isDirectory()) await worldReadable(path);
    else await chmod(path, 0o644);
  }
}

export async function startSnmpsim(options: StartSnmpsimOptions): Promise<SnmpsimInstance> {
  const command = snmpsimCommand();
  const cache = await mkdtemp(join(tmpdir(), 'snmpkit-snmpsim-cache-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    await worldReadable(options.dataDir);
    await chmod(cache, 0o777);
  }
  const ports: number[] = [];
  for (let i = 0; i <= (options.extraEndpoints ?? 0); i++) ports.push(await freePort(['udp']));
  const endpoints = ports.map((port) => `127.0.0.1:${port}`);
  const args = [
    `--data-dir=${options.dataDir}`,
    `--cache-dir=${cache}`,
    ...endpoints.map((endpoint) => `--agent-udpv4-endpoint=${endpoint}`),
    // snmpsim refuses to run as root.
    ...(asRoot ? ['--process-user=nobody', '--process-group=nogroup'] : []),
    ...(options.args ?? []),
  ];
  let output = '';
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async () => {
    if (!exited && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
    await gone;
    await rm(cache, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(ports[0]!, options.probeCommunity, options.timeoutMs ?? 60_000, () => exited);
  } catch (error) {
    await stop();
    throw new Error(`${command} did not start: ${(error as Error).message}\n${output}`);
  }
  return { endpoints, pid: child.pid!, log: () => output, stop };
}
