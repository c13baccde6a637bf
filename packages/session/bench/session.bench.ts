/**
 * Client throughput of @snmpkit/session beside the `net-snmp` npm client and Net-SNMP's C snmpbulkwalk, on the same
 * agents, in the same run:
 *  - GET requests/s with 1 and with 64 requests in flight;
 *  - a 10,000-varbind GETBULK walk, varbinds/s, with max-repetitions 10 for every client (snmpbulkwalk's default),
 *    then 50 for every client (fewer, larger round trips).
 * Two agents: a fast responder in its own process (pre-encoded replies: the client is the bottleneck) and Net-SNMP's
 * snmpd (10,000 nsExtendConfigTable cells from 1,250 `extend` lines).
 *
 * And SNMPv3 authPriv (SHA + AES-128) GETs, 1 and 64 in flight, beside net-snmp's createV3Session, against snmpd and
 * against a fast v3 responder (bench/fast-v3-responder.ts, @snmpkit/usm in its own process); with our v3 / our v2c.
 *
 * Run: npm run bench (in packages/session). SNMPKIT_BENCH_ONLY=v3 (or v2c) runs one half. SNMPKIT_BENCH_MS sets the time per GET measurement (default 1000 ms),
 * SNMPKIT_BENCH_WALKS the walks per client (median; default 5). The machine is shared: numbers are noisy, ratios
 * less so. snmpbulkwalk's time is its wall-clock time as a process (start-up and printing included), as a user
 * sees it.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { encodeMessage } from '@snmpkit/ber';
// The built package, as users get it (not the sources through tsx's transform, which adds per-closure overhead).
import { Session, type V3User } from '@snmpkit/session';
import { runNetSnmp, startSnmpd } from '@snmpkit/testkit';
import { BENCH_TABLE, GET_OID } from './fast-responder.js';
import { BENCH_V3_USER } from './fast-v3-responder.js';

const MS = Number(process.env.SNMPKIT_BENCH_MS ?? 1000);
const WALKS = Number(process.env.SNMPKIT_BENCH_WALKS ?? 5);
const ROWS = 10_000;
const EXTEND_TABLE = '1.3.6.1.4.1.8072.1.3.2.2'; // nsExtendConfigTable: 8 columns x 1,250 rows

interface NetSnmpSession {
  get(oids: string[], cb: (error: Error | null, varbinds: unknown[]) => void): void;
  subtree(
    oid: string,
    maxRepetitions: number,
    feed: (varbinds: unknown[]) => void,
    done: (error?: Error) => void,
  ): void;
  close(): void;
}
interface NetSnmpModule {
  createSession(target: string, community: string, options: object): NetSnmpSession;
  createV3Session(target: string, user: object, options: object): NetSnmpSession;
  Version2c: number;
  Version3: number;
  SecurityLevel: Record<string, number>;
  AuthProtocols: Record<string, string>;
  PrivProtocols: Record<string, string>;
}
const netSnmp = createRequire(import.meta.url)('net-snmp') as NetSnmpModule;

/** What the benchmark needs from a client. */
interface Client {
  get(oid: string): Promise<void>;
  /** Walks the subtree with GETBULKs of this max-repetitions; resolves with the number of varbinds. */
  walk(root: string, maxRepetitions: number): Promise<number>;
  close(): Promise<void>;
}

async function snmpkitClient(host: string, port: number, user?: V3User): Promise<Client> {
  const session = await Session.open({
    peer: `udp:${host}:${port}`,
    ...(user ? { version: 3, user } : { community: 'public' }),
    timeout: 2000,
    retries: 2,
  });
  return {
    get: async (oid) => {
      await session.get([oid]);
    },
    walk: async (root, maxRepetitions) => {
      let n = 0;
      for await (const _ of session.walk(root, { maxRepetitions })) n++;
      return n;
    },
    close: () => session.close(),
  };
}

function netSnmpClient(host: string, port: number, user?: V3User): Client {
  const options = { port, version: user ? netSnmp.Version3 : netSnmp.Version2c, timeout: 2000, retries: 2 };
  const session = user
    ? netSnmp.createV3Session(
        host,
        {
          name: user.name,
          level: netSnmp.SecurityLevel.authPriv,
          authProtocol: netSnmp.AuthProtocols[user.authProtocol!],
          authKey: user.authPassword,
          privProtocol: netSnmp.PrivProtocols[user.privProtocol!],
          privKey: user.privPassword,
        },
        options,
      )
    : netSnmp.createSession(host, 'public', options);
  return {
    get: (oid) => new Promise((resolve, reject) => session.get([oid], (error) => (error ? reject(error) : resolve()))),
    walk: (root, maxRepetitions) =>
      new Promise((resolve, reject) => {
        let n = 0;
        session.subtree(
          root,
          maxRepetitions,
          (varbinds) => {
            n += varbinds.length;
          },
          (error) => (error ? reject(error) : resolve(n)),
        );
      }),
    close: async () => session.close(),
  };
}

interface GetRate {
  perSecond: number;
  /** CPU time of this process (user + system) per request, µs: less sensitive than requests/s to other load. */
  cpuMicros: number;
}

async function getRate(
  client: Client,
  inFlight: number,
  ms: number,
): Promise<{ done: number; ms: number; cpu: number }> {
  let done = 0;
  const end = performance.now() + ms;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        await client.get(GET_OID);
        done++;
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return { done, ms: performance.now() - started, cpu: cpu.user + cpu.system };
}

/** Both clients in alternating slices, so that load from elsewhere on the machine falls on both alike. */
async function compareGets(a: Client, b: Client, inFlight: number): Promise<[GetRate, GetRate]> {
  const totals = [
    { done: 0, ms: 0, cpu: 0 },
    { done: 0, ms: 0, cpu: 0 },
  ];
  const slices = 4;
  for (let i = 0; i < slices; i++) {
    for (const [k, client] of [a, b].entries()) {
      const r = await getRate(client, inFlight, MS / slices);
      totals[k]!.done += r.done;
      totals[k]!.ms += r.ms;
      totals[k]!.cpu += r.cpu;
    }
  }
  const rate = (t: { done: number; ms: number; cpu: number }): GetRate => ({
    perSecond: t.done / (t.ms / 1000),
    cpuMicros: t.cpu / t.done,
  });
  return [rate(totals[0]!), rate(totals[1]!)];
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median varbinds/s of each walker, the walkers taking turns so that outside load falls on all alike. */
async function walkRates(
  walkers: (() => Promise<{ count: number; ms: number }>)[],
  expected: number,
): Promise<number[]> {
  const rates: number[][] = walkers.map(() => []);
  for (let i = 0; i < WALKS; i++) {
    for (const [k, walk] of walkers.entries()) {
      const { count, ms } = await walk();
      if (count !== expected) throw new Error(`walk returned ${count} varbinds, expected ${expected}`);
      rates[k]!.push(count / (ms / 1000));
    }
  }
  return rates.map(median);
}

async function timed(run: () => Promise<number>): Promise<{ count: number; ms: number }> {
  const t0 = performance.now();
  const count = await run();
  return { count, ms: performance.now() - t0 };
}

async function cWalk(peer: string, root: string, maxRepetitions: number): Promise<{ count: number; ms: number }> {
  const r = await runNetSnmp('snmpbulkwalk', ['-v2c', '-c', 'public', `-Cr${maxRepetitions}`, '-On', peer, root]);
  if (r.exitCode !== 0) throw new Error(`snmpbulkwalk failed: ${r.stderr}`);
  // Net-SNMP prints the endOfMibView that ends a walk of the MIB's last subtree; it is not a value.
  const count = r.stdout.split('\n').filter((l) => l.startsWith('.') && !l.includes('No more variables left')).length;
  return { count, ms: r.durationMs };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
function report(agent: string, what: string, ours: number, peers: [string, number][]): void {
  const row = [agent, what, `${fmt(ours)}/s`];
  for (const [name, value] of peers) row.push(`${name} ${fmt(value)}/s`, `x${(ours / value).toFixed(2)}`);
  console.log(row.join('  |  '));
}

/**
 * The floor under any client on Node's dgram: 64 pre-encoded GETs kept in flight, each reply answered by resending
 * the same bytes, nothing encoded, decoded or timed. CPU per request of this process.
 */
async function rawDgramFloor(port: number, ms: number): Promise<GetRate> {
  const request = encodeMessage({
    version: 1,
    community: 'public',
    pdu: {
      type: 'GetRequest',
      requestId: 1,
      errorStatus: 0,
      errorIndex: 0,
      varbinds: [{ oid: GET_OID, value: { type: 'Null' } }],
    },
  });
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  let replies = 0;
  socket.on('message', () => {
    replies++;
    socket.send(request, port, '127.0.0.1');
  });
  for (let i = 0; i < 64; i++) socket.send(request, port, '127.0.0.1');
  await new Promise((resolve) => setTimeout(resolve, 200));
  const start = replies;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const cpu = process.cpuUsage(cpu0);
  const done = replies - start;
  const elapsed = performance.now() - started;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return { perSecond: done / (elapsed / 1000), cpuMicros: (cpu.user + cpu.system) / done };
}

async function startFastResponder(script = 'fast-responder.ts'): Promise<{ port: number; stop(): void }> {
  const file = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', file, script === 'fast-responder.ts' ? String(ROWS) : GET_OID],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      const m = /port (\d+)/.exec(b.toString());
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`fast responder exited with ${code}`)));
  });
  return { port, stop: () => child.pid !== undefined && process.kill(child.pid, 'SIGTERM') };
}

async function benchAgent(label: string, host: string, port: number, walkRoot: string, expected: number) {
  const ours = await snmpkitClient(host, port);
  const theirs = netSnmpClient(host, port);
  try {
    // Warm-up: JIT both clients and the agent's caches.
    await getRate(ours, 8, 200);
    await getRate(theirs, 8, 200);
    await ours.walk(walkRoot, 10);
    await theirs.walk(walkRoot, 10);
    for (const inFlight of [1, 64]) {
      const [a, b] = await compareGets(ours, theirs, inFlight);
      report(label, `GET, ${inFlight} in flight`, a.perSecond, [['net-snmp', b.perSecond]]);
      console.log(
        `    CPU per GET: snmpkit ${a.cpuMicros.toFixed(1)} µs, net-snmp ${b.cpuMicros.toFixed(1)} µs (net-snmp/snmpkit x${(b.cpuMicros / a.cpuMicros).toFixed(2)})`,
      );
    }
    for (const r of [10, 50]) {
      const [a, b, c] = await walkRates(
        [
          () => timed(() => ours.walk(walkRoot, r)),
          () => timed(() => theirs.walk(walkRoot, r)),
          () => cWalk(`udp:${host}:${port}`, walkRoot, r),
        ],
        expected,
      );
      report(label, `walk of ${fmt(expected)} varbinds, max-repetitions ${r} (varbinds/s)`, a!, [
        ['net-snmp', b!],
        ['snmpbulkwalk (C)', c!],
      ]);
    }
  } finally {
    await ours.close();
    await theirs.close();
  }
}

/**
 * v3 authPriv GETs: ours beside net-snmp's on the same v3 agent, and ours beside our own v2c (`v2cPort`: the same
 * agent for snmpd; the v2c fast responder for the fast one, which does no crypto).
 */
async function benchV3(label: string, host: string, v3Port: number, v2cPort: number, user: V3User) {
  const ours = await snmpkitClient(host, v3Port, user);
  const theirs = netSnmpClient(host, v3Port, user);
  const ours2c = await snmpkitClient(host, v2cPort);
  try {
    await getRate(ours, 8, 200);
    await getRate(theirs, 8, 200);
    await getRate(ours2c, 8, 200);
    for (const inFlight of [1, 64]) {
      const [a, b] = await compareGets(ours, theirs, inFlight);
      report(label, `v3 authPriv SHA+AES GET, ${inFlight} in flight`, a.perSecond, [['net-snmp v3', b.perSecond]]);
      const [c, d] = await compareGets(ours2c, ours, inFlight);
      console.log(
        `    snmpkit v3 ${fmt(d.perSecond)}/s vs snmpkit v2c ${fmt(c.perSecond)}/s: v3 is x${(c.perSecond / d.perSecond).toFixed(2)} slower` +
          ` | CPU per GET: snmpkit v3 ${a.cpuMicros.toFixed(1)} µs (${d.cpuMicros.toFixed(1)} µs in the v2c pairing), net-snmp v3 ${b.cpuMicros.toFixed(1)} µs (x${(b.cpuMicros / a.cpuMicros).toFixed(2)}), snmpkit v2c ${c.cpuMicros.toFixed(1)} µs (v3/v2c x${(d.cpuMicros / c.cpuMicros).toFixed(2)})`,
      );
    }
  } finally {
    await ours.close();
    await theirs.close();
    await ours2c.close();
  }
}

async function mainV3(): Promise<void> {
  const fast2c = await startFastResponder();
  const fast3 = await startFastResponder('fast-v3-responder.ts');
  try {
    await benchV3('fast v3 responder', '127.0.0.1', fast3.port, fast2c.port, BENCH_V3_USER);
  } finally {
    fast2c.stop();
    fast3.stop();
  }
  const u = BENCH_V3_USER;
  const agent = await startSnmpd({
    transports: ['udp'],
    users: [
      {
        name: u.name,
        authProtocol: 'SHA',
        authPassword: u.authPassword,
        privProtocol: 'AES',
        privPassword: u.privPassword,
      },
    ],
  });
  try {
    await benchV3('snmpd', agent.host, agent.port, agent.port, u);
  } finally {
    await agent.stop();
  }
}

async function main(): Promise<void> {
  console.log(
    `@snmpkit/session benchmark: ${MS} ms per GET measurement, median of ${WALKS} walks; shared machine, noisy`,
  );
  console.log('agent  |  measurement  |  snmpkit  |  peer  |  snmpkit/peer');
  const only = process.env.SNMPKIT_BENCH_ONLY;
  if (only !== 'v2c') await mainV3();
  if (only === 'v3') return;
  const fast = await startFastResponder();
  try {
    const floor = await rawDgramFloor(fast.port, MS);
    console.log(
      `fast responder  |  raw dgram floor (pre-encoded, nothing decoded), 64 in flight  |  ${fmt(floor.perSecond)}/s, CPU ${floor.cpuMicros.toFixed(1)} µs per request`,
    );
    await benchAgent('fast responder', '127.0.0.1', fast.port, BENCH_TABLE, ROWS);
  } finally {
    fast.stop();
  }
  const extendLines = Array.from({ length: ROWS / 8 }, (_, i) => `extend bench${String(i).padStart(4, '0')} /bin/true`);
  const agent = await startSnmpd({ transports: ['udp'], extraConfig: extendLines });
  try {
    await benchAgent('snmpd', agent.host, agent.port, EXTEND_TABLE, ROWS);
  } finally {
    await agent.stop();
  }
}

await main();
