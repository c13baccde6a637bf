/**
 * Notifications received per second with nothing lost: @snmpkit/session's NotificationReceiver beside Net-SNMP's
 * snmptrapd, fed the same stream of v2c traps in the same run. A child process sends COUNT traps at each rate; a
 * receiver keeps up at a rate when it counts every one of them. Printed: per rate, what each received, and the
 * highest loss-free rate of each with their ratio. SNMPKIT_BENCH_TRAPS sets COUNT (default 10,000).
 */
import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotificationReceiver } from '@snmpkit/session';

const COUNT = Number(process.env.SNMPKIT_BENCH_TRAPS ?? 10_000);
const RATES = [5_000, 10_000, 20_000, 40_000, 80_000];
const here = new URL('.', import.meta.url).pathname;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function send(port: number, rate: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(here, 'trap-sender.ts'), String(port), String(rate), String(COUNT)],
      {
        stdio: 'inherit',
      },
    );
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sender exited with ${code}`))));
  });
}

/** Waits until `count()` stops growing (the receiver drained its queue), then returns it. */
async function settled(count: () => number): Promise<number> {
  let last = -1;
  while (count() !== last) {
    last = count();
    await sleep(300);
  }
  return last;
}

async function measureOurs(rate: number): Promise<number> {
  let received = 0;
  const receiver = await NotificationReceiver.listen({ listen: 'udp:127.0.0.1:0', onNotification: () => received++ });
  try {
    await send(receiver.endpoints[0]!.port, rate);
    return await settled(() => received);
  } finally {
    await receiver.close();
  }
}

async function measureSnmptrapd(rate: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'snmpkit-trapd-bench-'));
  const conf = join(dir, 'snmptrapd.conf');
  const log = join(dir, 'traps.log');
  writeFileSync(conf, 'disableAuthorization yes\n');
  const port = await freeUdpPort();
  // -F prints one short line per trap; -n: no name lookups; no MIBs to load.
  const child = spawn(
    '/usr/sbin/snmptrapd',
    ['-f', '-n', '-C', '-c', conf, '-Lf', log, '-F', 'trap\n', `udp:127.0.0.1:${port}`],
    { stdio: 'ignore', env: { ...process.env, MIBS: '', MIBDIRS: '/nonexistent', SNMP_PERSISTENT_DIR: dir } },
  );
  const count = () => {
    try {
      return readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l === 'trap').length;
    } catch {
      return 0;
    }
  };
  try {
    // Ready when the log shows its start-up line.
    for (let i = 0; i < 100 && !/NET-SNMP version/.test(safeRead(log)); i++) await sleep(50);
    await send(port, rate);
    return await settled(count);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

if (spawnSync('/usr/sbin/snmptrapd', ['-v']).error) throw new Error('snmptrapd is needed (Debian package snmptrapd)');
console.log(
  `notifications: ${COUNT} v2c traps per rate, sent by a separate process; a rate counts when nothing is lost`,
);
console.log('rate/s   | snmpkit received | snmptrapd received');
let bestOurs = 0;
let bestTheirs = 0;
for (const rate of RATES) {
  const ours = await measureOurs(rate);
  const theirs = await measureSnmptrapd(rate);
  if (ours === COUNT) bestOurs = Math.max(bestOurs, rate);
  if (theirs === COUNT) bestTheirs = Math.max(bestTheirs, rate);
  console.log(`${String(rate).padEnd(8)} | ${String(ours).padEnd(16)} | ${theirs}`);
}
const ratio = bestTheirs > 0 ? `${(bestOurs / bestTheirs).toFixed(1)}x` : 'n/a (snmptrapd lost traps at every rate)';
console.log(`highest loss-free rate: snmpkit ${bestOurs}/s, snmptrapd ${bestTheirs}/s, ratio ${ratio}`);
