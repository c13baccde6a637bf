import { type ChildProcess, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetSnmpAuthProtocol, NetSnmpPrivProtocol, SecurityLevel, SnmpkitProtocolName } from './v3-users.js';

export type SnmpdTransport = 'udp' | 'udp6' | 'tcp';

/** A v3 user, written as Net-SNMP `createUser` and `rouser`/`rwuser` lines (v3-users.ts has the tests' matrix). */
export interface SnmpdUser {
  name: string;
  /**
   * Net-SNMP's names (MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512) or @snmpkit/usm's (md5 ... sha512): snmpd takes
   * both, as it compares names without case and knows them without the dash, so a user written for the session
   * works here too. Omitted: noAuthNoPriv.
   */
  authProtocol?: NetSnmpAuthProtocol | SnmpkitProtocolName<NetSnmpAuthProtocol>;
  authPassword?: string;
  /**
   * Net-SNMP's names (DES, AES, AES-192, AES-256, AES-192-C, AES-256-C) or usm's (des ... aes256c). Omitted: no
   * privacy.
   */
  privProtocol?: NetSnmpPrivProtocol | SnmpkitProtocolName<NetSnmpPrivProtocol>;
  privPassword?: string;
  /** Read-only or read-write access to the whole tree. Default 'rw'. */
  access?: 'ro' | 'rw';
  /**
   * The least security level the access line accepts. Default: the user's own level, so that snmpd answers a lower
   * one with authorizationError; 'authNoPriv' lets a privacy user also be used without privacy.
   */
  minimumLevel?: SecurityLevel;
}

export interface StartSnmpdOptions {
  /**
   * 'process' runs /usr/sbin/snmpd on loopback. 'container' runs the same configuration in a Docker container with
   * host networking, through testcontainers (see container.ts: the image, and what Docker needs). Default: the
   * SNMPKIT_SNMPD_MODE environment variable, else 'process'.
   */
  mode?: 'process' | 'container';
  /** Container mode: the image to run. Default `SNMPKIT_SNMPD_IMAGE` or 'snmpkit/snmpd:latest' (docker/snmpd). */
  image?: string;
  /** Path of the snmpd binary. Default /usr/sbin/snmpd. */
  snmpdPath?: string;
  /** Endpoints to open, all on the same port. Default all three. */
  transports?: readonly SnmpdTransport[];
  /** Read-only community. Default 'public'. */
  readOnlyCommunity?: string;
  /** Read-write community. Default 'private'. */
  readWriteCommunity?: string;
  /** v3 users (createUser lines). */
  users?: readonly SnmpdUser[];
  /** Extra snmpd.conf lines, appended after the generated ones. */
  extraConfig?: readonly string[];
  /** Extra snmpd command-line arguments (for example ['-I', '-smux']). */
  extraArgs?: readonly string[];
  /** How long to wait for the agent to answer, ms. Default 15 000. */
  startTimeoutMs?: number;
}

/** Peer strings in Net-SNMP's grammar, ready for snmpget or Session.open. */
export interface SnmpdEndpoints {
  udp?: string;
  udp6?: string;
  tcp?: string;
}

export interface SnmpdInstance {
  /** IPv4 loopback: the UDP and TCP endpoints listen there. */
  host: string;
  /** The one port every endpoint listens on. */
  port: number;
  endpoints: SnmpdEndpoints;
  communities: { readOnly: string; readWrite: string };
  /** An object the read-write community may set (an OCTET STRING). */
  writableOid: string;
  /** How it runs: a local process or a container. */
  mode: 'process' | 'container';
  /** The agent's process id (process mode); undefined for a container. */
  pid: number | undefined;
  /** The container's id (container mode). */
  containerId?: string;
  /**
   * The generated configuration file and the persistent directory (removed by stop()). In container mode the
   * configuration is copied into the container and the persistent directory is the container's /var/lib/snmp.
   */
  configPath: string;
  persistentDir: string;
  /** snmpd's log so far (it logs to a file in the temporary directory). */
  log(): Promise<string>;
  /** Stops the agent by PID (SIGTERM, then SIGKILL after 3 s) and removes the temporary directory. */
  stop(): Promise<void>;
}

/**
 * sysLocation.0: writable by the read-write community as long as the configuration does not set `syslocation`
 * (Net-SNMP makes configured system objects read-only), and an OCTET STRING of 0..255 bytes.
 */
export const WRITABLE_OBJECT = '1.3.6.1.2.1.1.6.0';

/** How rouser/rwuser lines name the security levels. */
const NET_SNMP_LEVEL: Record<SecurityLevel, string> = { noAuthNoPriv: 'noauth', authNoPriv: 'auth', authPriv: 'priv' };

const LOOPBACK4 = '127.0.0.1';
const LOOPBACK6 = '::1';

/**
 * Starts Net-SNMP's snmpd on loopback with a generated configuration and waits until it answers a GET.
 * Ports are picked at run time (a port free on UDP/IPv4, UDP/IPv6 and TCP at once); if snmpd still loses the race
 * for it, another port is tried.
 */
export async function startSnmpd(options: StartSnmpdOptions = {}): Promise<SnmpdInstance> {
  // SNMPKIT_SNMPD_MODE=container runs a whole suite's agents in containers (CI's second pass over the interop tests).
  const mode = options.mode ?? (process.env.SNMPKIT_SNMPD_MODE as StartSnmpdOptions['mode']) ?? 'process';
  if (mode !== 'process' && mode !== 'container') throw new Error(`startSnmpd: unknown mode "${String(mode)}"`);
  checkSnmpdUsers(options.users ?? []);
  // The container module (and testcontainers, an optional peer dependency) loads only when asked for.
  const start = mode === 'container' ? (await import('./container.js')).startContainerOnce : startOnce;
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await start(options);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortLostError)) throw error;
    }
  }
  throw lastError;
}

/** Net-SNMP's USM_LENGTH_P_MIN: snmpd skips a user with a shorter passphrase, only logging an error. */
export const MIN_PASSPHRASE_LENGTH = 8;

/**
 * Refuses users snmpd would not create, before anything starts: snmpd itself only logs the problem and runs on
 * without the user, and the test then fails much later with an unknown user. Messages name the user and the field,
 * never the password.
 */
export function checkSnmpdUsers(users: readonly SnmpdUser[]): void {
  for (const user of users) {
    if (typeof user.name !== 'string' || !/^[^\s"]+$/.test(user.name)) {
      throw new Error(`startSnmpd: user name ${JSON.stringify(user.name)} must be non-empty, without spaces or quotes`);
    }
    const problem = (field: string, why: string) => new Error(`startSnmpd: user '${user.name}': ${field} ${why}`);
    if (user.privProtocol && !user.authProtocol) throw problem('privProtocol', 'needs an authProtocol too');
    const passwords: [string, string][] = [];
    if (user.authProtocol) {
      if (user.authPassword === undefined) throw problem('authPassword', 'is required with an authProtocol');
      passwords.push(['authPassword', user.authPassword]);
    }
    // An omitted privacy passphrase is the authentication one (checked above).
    if (user.privProtocol && user.privPassword !== undefined) passwords.push(['privPassword', user.privPassword]);
    for (const [field, password] of passwords) {
      // Counted in bytes, as Net-SNMP does (strlen).
      if (Buffer.byteLength(password, 'utf8') < MIN_PASSPHRASE_LENGTH) {
        throw problem(field, `must be at least ${MIN_PASSPHRASE_LENGTH} characters long (Net-SNMP's minimum)`);
      }
      // The createUser line quotes it: a quote or a line break would end it early.
      if (/["\r\n]/.test(password)) throw problem(field, 'cannot contain a double quote or a line break');
    }
  }
}

/**
 * The configuration errors in snmpd's log: lines with `Error:` as snmpd writes them (`FILE: line N: Error: ...`, or
 * `Error: ...` alone, as the passphrase check does). Warnings (`Warning: Unknown token`) and what a healthy start
 * logs (`Created directory`, `NET-SNMP version`, `Connection from`, `[init_smux] bind failed` when another agent
 * holds SMUX's port 199) do not count.
 */
export function configErrors(log: string): string[] {
  return log.split('\n').filter((line) => /(?:^|: )Error: /.test(line));
}

/** The error startSnmpd fails with when snmpd answers but logged configuration errors (it is stopped first). */
export function configErrorsError(errors: readonly string[], log: string): Error {
  return new Error(`startSnmpd: snmpd reported configuration errors:\n${errors.join('\n')}\nits log:\n${log}`);
}

/** snmpd could not open its endpoint: another process took the port after it was picked. */
export class PortLostError extends Error {}

/** The snmpd.conf lines for these options, listening on `port` on each transport (loopback only). */
export function configLines(options: StartSnmpdOptions, port: number, transports: readonly SnmpdTransport[]): string[] {
  const ro = options.readOnlyCommunity ?? 'public';
  const rw = options.readWriteCommunity ?? 'private';
  const addresses = transports.map((t) => (t === 'udp6' ? `udp6:[${LOOPBACK6}]:${port}` : `${t}:${LOOPBACK4}:${port}`));
  const lines = [
    `agentaddress ${addresses.join(',')}`,
    `rocommunity ${ro} ${LOOPBACK4}`,
    `rwcommunity ${rw} ${LOOPBACK4}`,
    `rocommunity6 ${ro} ${LOOPBACK6}`,
    `rwcommunity6 ${rw} ${LOOPBACK6}`,
    // sysLocation, sysContact and sysName stay unset so that they remain writable.
    'sysservices 72',
  ];
  for (const user of options.users ?? []) {
    let line = `createUser ${user.name}`;
    if (user.authProtocol) {
      line += ` ${user.authProtocol} "${user.authPassword ?? ''}"`;
      // Without a privacy passphrase Net-SNMP uses the authentication one (snmpd.conf(5), createUser).
      if (user.privProtocol)
        line += ` ${user.privProtocol}${user.privPassword === undefined ? '' : ` "${user.privPassword}"`}`;
    }
    lines.push(line);
    const level =
      user.minimumLevel ?? (user.privProtocol ? 'authPriv' : user.authProtocol ? 'authNoPriv' : 'noAuthNoPriv');
    lines.push(`${user.access === 'ro' ? 'rouser' : 'rwuser'} ${user.name} ${NET_SNMP_LEVEL[level]}`);
  }
  lines.push(...(options.extraConfig ?? []));
  return lines;
}

async function startOnce(options: StartSnmpdOptions): Promise<SnmpdInstance> {
  const transports = options.transports ?? ['udp', 'udp6', 'tcp'];
  const probeOn = probeTransport(transports);
  const port = await freePort(transports);
  const dir = await mkdtemp(join(tmpdir(), 'snmpkit-snmpd-'));
  const persistentDir = join(dir, 'persist');
  const configPath = join(dir, 'snmpd.conf');
  const logPath = join(dir, 'snmpd.log');
  await writeFile(configPath, `${configLines(options, port, transports).join('\n')}\n`);
  const args = ['-f', '-C', '-c', configPath, '-Lf', logPath, ...(options.extraArgs ?? [])];
  const child = spawn(options.snmpdPath ?? '/usr/sbin/snmpd', args, {
    stdio: 'ignore',
    // No MIB files: snmpd does not need them and would log a page of warnings about missing modules.
    env: { ...process.env, SNMP_PERSISTENT_DIR: persistentDir, MIBS: '', MIBDIRS: '/nonexistent' },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const readLog = () => readFile(logPath, 'utf8').catch(() => '');
  const communities = {
    readOnly: options.readOnlyCommunity ?? 'public',
    readWrite: options.readWriteCommunity ?? 'private',
  };

  const stop = async () => {
    await stopProcess(child, exited);
    await rm(dir, { recursive: true, force: true });
  };

  // A probe that times out resolves to its error, so that the agent is stopped below rather than left running.
  const outcome = await Promise.race([
    waitUntilAnswering(
      port,
      communities.readOnly,
      options.startTimeoutMs ?? 60_000,
      () => child.exitCode !== null || child.signalCode !== null,
      probeOn,
    ).then(
      () => 'up' as const,
      (error: Error) => error,
    ),
    exited.then(() => 'exited' as const),
    spawnError,
  ]);
  if (outcome !== 'up') {
    const log = await readLog();
    await stop();
    if (outcome instanceof Error) throw new Error(`${outcome.message}; snmpd's log:\n${log}`, { cause: outcome });
    if (/Error opening specified endpoint/.test(log)) throw new PortLostError(`port ${port} was taken`);
    throw new Error(`snmpd exited before answering; its log:\n${log}`);
  }
  // snmpd has read its configuration by the time it answers: what it could not apply is in the log now.
  const log = await readLog();
  const errors = configErrors(log);
  if (errors.length > 0) {
    await stop();
    throw configErrorsError(errors, log);
  }
  const endpoints = endpointsFor(port, transports);
  return {
    host: LOOPBACK4,
    port,
    endpoints,
    communities,
    writableOid: WRITABLE_OBJECT,
    mode: 'process',
    pid: child.pid!,
    configPath,
    persistentDir,
    log: readLog,
    stop,
  };
}

/** Peer names for each transport the agent listens on. */
export function endpointsFor(port: number, transports: readonly SnmpdTransport[]): SnmpdEndpoints {
  const endpoints: SnmpdEndpoints = {};
  if (transports.includes('udp')) endpoints.udp = `udp:${LOOPBACK4}:${port}`;
  if (transports.includes('udp6')) endpoints.udp6 = `udp6:[${LOOPBACK6}]:${port}`;
  if (transports.includes('tcp')) endpoints.tcp = `tcp:${LOOPBACK4}:${port}`;
  return endpoints;
}

async function stopProcess(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
      resolve();
    }, 3000);
  });
  await Promise.race([exited, killed]);
  clearTimeout(timer);
  await exited;
}

/** A port that is free on every requested transport at the moment of asking. */
export async function freePort(transports: readonly SnmpdTransport[]): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const first = dgram.createSocket('udp4');
    const port = await new Promise<number>((resolve, reject) => {
      first.once('error', reject);
      first.bind(0, LOOPBACK4, () => resolve(first.address().port));
    });
    const others = await Promise.all(
      transports.filter((t) => t !== 'udp').map((t) => (t === 'tcp' ? tryTcp(port) : tryUdp6(port))),
    );
    await new Promise<void>((resolve) => first.close(() => resolve()));
    await Promise.all(others.map((close) => close?.()));
    if (others.every((close) => close !== null)) return port;
  }
  throw new Error('startSnmpd: found no port free on UDP, UDP6 and TCP at once');
}

type Closer = () => Promise<void>;

function tryUdp6(port: number): Promise<Closer | null> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket({ type: 'udp6', ipv6Only: true });
    s.once('error', (error: NodeJS.ErrnoException) => {
      s.close();
      // Taken: try another port. Anything else (no IPv6 loopback here) will not get better with another port.
      if (error.code === 'EADDRINUSE') resolve(null);
      else reject(new Error(`startSnmpd: cannot bind [::1] (${error.code}); leave 'udp6' out of transports`));
    });
    s.bind(port, LOOPBACK6, () => resolve(() => new Promise<void>((done) => s.close(() => done()))));
  });
}

function tryTcp(port: number): Promise<Closer | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(null));
    server.listen(port, LOOPBACK4, () => resolve(() => new Promise<void>((done) => server.close(() => done()))));
  });
}

/** A v2c GET of sysUpTime.0 (request-id 1), BER-encoded by hand: the testkit depends on no codec. */
function probeRequest(community: string): Buffer {
  const name = Buffer.from(community, 'latin1');
  if (name.length > 90) throw new Error('community too long for the start probe');
  const oid = [0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x03, 0x00];
  const varbind = [0x30, oid.length + 2, ...oid, 0x05, 0x00];
  const list = [0x30, varbind.length, ...varbind];
  const pdu = [0xa0, 9 + list.length, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, ...list];
  const body = [0x02, 0x01, 0x01, 0x04, name.length, ...name, ...pdu];
  return Buffer.from([0x30, body.length, ...body]);
}

/**
 * The endpoint the readiness probe uses: one the agent actually opened. UDP over IPv4 first (the cheapest), then UDP
 * over [::1], then TCP — probing a transport that was not asked for would never be answered.
 */
export function probeTransport(transports: readonly SnmpdTransport[]): SnmpdTransport {
  if (transports.includes('udp')) return 'udp';
  if (transports.includes('udp6')) return 'udp6';
  if (transports.includes('tcp')) return 'tcp';
  throw new Error('startSnmpd: transports is empty; give at least one of udp, udp6, tcp');
}

/** One way of sending the probe: `send` is called every 100 ms until `onAnswer` fires; `close` releases it. */
interface Prober {
  send(): void;
  close(): void;
}

function udpProber(transport: 'udp' | 'udp6', port: number, request: Buffer, events: ProbeEvents): Prober {
  const host = transport === 'udp6' ? LOOPBACK6 : LOOPBACK4;
  const socket = dgram.createSocket({ type: transport === 'udp6' ? 'udp6' : 'udp4', ipv6Only: transport === 'udp6' });
  let bound = false;
  socket.on('message', (_msg, rinfo) => {
    if (rinfo.port === port) events.onAnswer();
  });
  socket.on('error', (error) => events.onError(error));
  socket.bind(0, host, () => {
    bound = true;
  });
  return {
    send: () => {
      if (bound) socket.send(request, port, host);
    },
    close: () => socket.close(),
  };
}

/**
 * Over TCP snmpd reads BER messages from the stream (no extra framing): the probe connects, writes the request and
 * waits for any bytes back. A refused connection (snmpd not listening yet) or a silent one is retried on a later tick.
 */
function tcpProber(port: number, request: Buffer, events: ProbeEvents): Prober {
  let socket: net.Socket | undefined;
  let openedAt = 0;
  const drop = () => {
    socket?.destroy();
    socket = undefined;
  };
  return {
    send: () => {
      // A connection that took the request but has not answered in a second is dropped and made again.
      if (socket && Date.now() - openedAt < 1000) return;
      drop();
      openedAt = Date.now();
      const s = net.connect({ host: LOOPBACK4, port }, () => s.write(request));
      s.on('data', () => events.onAnswer());
      // ECONNREFUSED and the like only mean "not yet": the next tick connects again.
      s.on('error', () => {
        if (socket === s) socket = undefined;
        s.destroy();
      });
      socket = s;
    },
    close: drop,
  };
}

interface ProbeEvents {
  onAnswer(): void;
  onError(error: Error): void;
}

/**
 * Probes every 100 ms, on `transport` (which the agent must have opened), until a reply comes, `gaveUp()` turns true
 * (the process died) or the time is up.
 */
export function waitUntilAnswering(
  port: number,
  community: string,
  timeoutMs: number,
  gaveUp: () => boolean,
  transport: SnmpdTransport = 'udp',
): Promise<void> {
  const request = probeRequest(community);
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      prober.close();
      if (error) reject(error);
      else resolve();
    };
    const events: ProbeEvents = { onAnswer: () => finish(), onError: (error) => finish(error) };
    const prober = transport === 'tcp' ? tcpProber(port, request, events) : udpProber(transport, port, request, events);
    const probe = () => {
      if (done) return;
      if (gaveUp()) return finish(new Error('snmpd exited'));
      if (Date.now() > deadline) {
        return finish(new Error(`snmpd did not answer on ${transport} port ${port} in ${timeoutMs} ms`));
      }
      prober.send();
      timer = setTimeout(probe, 100);
    };
    probe();
  });
}
