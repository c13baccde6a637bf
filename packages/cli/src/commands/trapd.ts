/**
 * trapd: receives notifications (@snmpkit/session's NotificationReceiver) and prints each as snmptrapd prints it
 * by default, with the -O flags applied to the varbinds:
 *   2026-11-23 22:12:50 localhost [UDP: [127.0.0.1]:49206->[127.0.0.1]:162]:
 *   NAME = VALUE<TAB>NAME = VALUE...
 * and for v1 traps the agent address, community and enterprise line. Prints `listening on ENDPOINT` for each
 * endpoint first (port 0 picks a free one); serves until SIGINT/SIGTERM.
 * v3: `--user NAME[:AUTHPROTO:AUTHPASS[:PRIVPROTO:PRIVPASS]][@ENGINEID]` (repeatable) declares a user, for traps
 * from the sending engine ENGINEID (snmptrapd's `createUser -e`), or without @ENGINEID for informs to this
 * receiver's engine, `--engine-id HEX` (default random).
 */
import { lookupService } from 'node:dns/promises';
import { timeticksText } from '@snmpkit/mib/display';
import { type Notification, NotificationReceiver, type NotificationSecurityFailure } from '@snmpkit/session';
import { varbindJson } from '../agent.js';
import { parseArgs } from '../args.js';
import type { Io } from '../io.js';
import { MissingModules } from '../missing-modules.js';
import { createPresenter, type Presenter } from '../presenter.js';

const GENERIC_TRAPS = [
  'Cold Start',
  'Warm Start',
  'Link Down',
  'Link Up',
  'Authentication Failure',
  'EGP Neighbor Loss',
  'Enterprise Specific',
];

/** Local time as snmptrapd prints it: 2026-11-23 22:12:50. */
function timestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`
  );
}

const hostNames = new Map<string, Promise<string>>();

/** A source address as a socket reports it is IPv6 when it holds a colon (IPv4's dotted form has none). */
function isIPv6(address: string): boolean {
  return address.includes(':');
}

/**
 * The source's host name as snmptrapd prints it: looked up for an IPv4 source, `<UNKNOWN>` when that finds none,
 * and always for an IPv6 source (snmptrapd prints `<UNKNOWN> [UDP/IPv6: [::1]:35734]:`).
 */
function hostName(address: string): Promise<string> {
  if (isIPv6(address)) return Promise.resolve(UNKNOWN_HOST);
  let name = hostNames.get(address);
  if (!name) {
    name = lookupService(address, 0).then(
      (r) => r.hostname,
      () => UNKNOWN_HOST,
    );
    hostNames.set(address, name);
  }
  return name;
}

const UNKNOWN_HOST = '<UNKNOWN>';

/**
 * The transport as snmptrapd names it: `UDP: [127.0.0.1]:49206->[127.0.0.1]:162` over UDP on IPv4 (the receiving
 * address as bound), `TCP: [127.0.0.1]:42104->[0.0.0.0]:0` over TCP on IPv4 (snmptrapd does not name the local end
 * of an accepted connection), `UDP/IPv6: [::1]:35734` and `TCP/IPv6: [::1]:35734` (the source alone) on IPv6.
 */
function transportText(n: Notification): string {
  const [kind, ...rest] = n.endpoint.split(':');
  const protocol = kind!.startsWith('tcp') ? 'TCP' : 'UDP';
  const source = `[${n.source.address}]:${n.source.port}`;
  if (isIPv6(n.source.address)) return `${protocol}/IPv6: ${source}`;
  if (protocol === 'TCP') return `TCP: ${source}->[0.0.0.0]:0`;
  const local = rest.join(':');
  const port = local.slice(local.lastIndexOf(':') + 1);
  const address = local.slice(0, local.lastIndexOf(':')).replace(/^\[|\]$/g, '');
  return `UDP: ${source}->[${address}]:${port}`;
}

/** A v1 trap's time-stamp after `Uptime:`: the value of a TimeTicks without its type, as the -O flags print it. */
function uptimeText(ticks: number, presenter: Presenter): string {
  const { numericTimeticks, quick } = presenter.settings;
  return numericTimeticks ? String(ticks) : timeticksText(ticks, quick);
}

export async function format(n: Notification, presenter: Presenter, now = new Date()): Promise<string> {
  const pdu = n.pdu;
  if (pdu.type === 'TrapV1') {
    // v1 traps name their agent by the agent-addr field, without a lookup.
    const generic = GENERIC_TRAPS[pdu.genericTrap] ?? 'Unknown';
    const text =
      `${timestamp(now)} ${pdu.agentAddress} [${pdu.agentAddress}] (via ${transportText(n)}) TRAP, SNMP v1, community ${n.community}\n` +
      `\t${presenter.oid(pdu.enterprise)} ${generic} Trap (${pdu.specificTrap}) Uptime: ${uptimeText(pdu.timestamp, presenter)}\n`;
    // The varbinds share one line, each after a tab (an empty line when there are none).
    return `${text}${pdu.varbinds.map((vb) => `\t${presenter.varbind(vb)}`).join('')}\n`;
  }
  const name = await hostName(n.source.address);
  return `${timestamp(now)} ${name} [${transportText(n)}]:\n${pdu.varbinds.map((vb) => presenter.varbind(vb)).join('\t')}\n`;
}

/**
 * What snmptrapd 5.9 logs for a v3 message its USM refused, word for word: a wrong authentication password or
 * protocol, and a wrong privacy password or protocol. For an unknown user or engine and a message outside the time
 * window it logs nothing, and neither does trapd (receiver.stats counts them all). Names the user, never a secret.
 */
export function securityFailureLine(failure: NotificationSecurityFailure): string | undefined {
  if (failure.reason === 'wrongDigests') return `Authentication failed for ${failure.userName}\n`;
  if (failure.reason === 'decryptionErrors') return 'security service 3 error parsing ScopedPDU\n';
  return undefined;
}

/** --json: one object per notification, its varbinds as `get --json` prints them. */
function json(n: Notification, presenter: Presenter, now: Date): string {
  const pdu = n.pdu;
  const record: Record<string, unknown> = {
    time: now.toISOString(),
    version: n.version === 0 ? '1' : n.version === 1 ? '2c' : '3',
    ...(n.security
      ? {
          user: n.security.userName,
          level: n.security.level,
          engineId: n.security.engineId,
          contextName: n.security.contextName,
        }
      : { community: n.community }),
    type: pdu.type,
    source: `${n.source.address}:${n.source.port}`,
    endpoint: n.endpoint,
  };
  if (pdu.type === 'TrapV1') {
    Object.assign(record, {
      enterprise: pdu.enterprise,
      agentAddress: pdu.agentAddress,
      genericTrap: pdu.genericTrap,
      specificTrap: pdu.specificTrap,
      timestamp: pdu.timestamp,
    });
  }
  // A v1 Trap's is its RFC 3584 §3.1 name (the receiver translates it), as snmptrapd gives its trap handlers.
  if (n.trapOid !== undefined) {
    record.trapOid = n.trapOid;
    record.trapName = presenter.oid(n.trapOid);
  }
  const varbinds = pdu.varbinds.map((vb) => varbindJson(vb, presenter)).join(',');
  return `${JSON.stringify(record).slice(0, -1)},"varbinds":[${varbinds}]}\n`;
}

/** The long options trapd reads that take a value; its usage text describes every one. */
export const TRAPD_OPTIONS = ['listen', 'community', 'user', 'engine-id'];

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const { options, positionals } = parseArgs(argv, { longWithValue: TRAPD_OPTIONS });
  // snmptrapd takes its endpoints as arguments; --listen is the form simulate takes too.
  const listen = [...(options.long.listen ?? []), ...positionals];
  const presenter = await createPresenter(options);
  await MissingModules.atStart(presenter, options.mibs, io);
  let queue = Promise.resolve();
  let receiver: NotificationReceiver;
  try {
    const users = options.long.user ? options.long.user.map((await import('../v3-user.js')).parseUserSpec) : undefined;
    const engineId = options.long['engine-id']?.at(-1);
    receiver = await NotificationReceiver.listen({
      listen: listen.length > 0 ? listen : ['udp:0.0.0.0:162'],
      ...(options.long.community ? { communities: options.long.community } : {}),
      ...(users ? { users } : {}),
      ...(engineId !== undefined ? { engineId } : {}),
      // Printed in arrival order, whatever the host name lookups take.
      onNotification: (n) => {
        const at = new Date();
        queue = queue.then(async () => io.out(options.json ? json(n, presenter, at) : await format(n, presenter, at)));
      },
      // snmptrapd's log line for the failures it logs (on stderr with --json, which keeps stdout JSON).
      onSecurityFailure: (failure) => {
        const line = securityFailureLine(failure);
        if (line === undefined) return;
        queue = queue.then(() => (options.json ? io.err(line) : io.out(line)));
      },
    });
  } catch (error) {
    io.err(`snmpkit trapd: ${(error as Error).message}\n`);
    return 1;
  }
  for (const endpoint of receiver.endpoints) io.out(`listening on ${endpoint.endpoint}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await receiver.close();
  await queue;
  return 0;
}
