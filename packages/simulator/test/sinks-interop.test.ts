import { bytesToHex } from '@snmpkit/ber';
import { type NotificationPrinter, nextNotification, runNetSnmp, startSnmptrapd } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, Device, NotificationOriginator, type NotificationSink, TRAP_OIDS } from '../src/index.js';

const STANDARD_TRAPS = '1.3.6.1.6.3.1.1.5';

// A simulated device's notifications received by Net-SNMP's snmptrapd: what it prints for ours must be what it prints
// for the same notification sent by Net-SNMP's snmptrap/snmpinform. CI installs Net-SNMP (.ci/run): never skipped.

const USER = {
  name: 'trapper',
  auth: 'SHA-256',
  authPassword: 'trap-auth-pass',
  priv: 'AES',
  privPassword: 'trap-priv-pass',
};
const ENGINE = Uint8Array.from([0x80, 0, 0x1f, 0x88, 4, 0x73, 0x69, 0x6d, 0x31]);
const V3_ARGS = [
  '-u',
  USER.name,
  '-l',
  'authPriv',
  '-a',
  USER.auth,
  '-A',
  USER.authPassword,
  '-x',
  USER.priv,
  '-X',
  USER.privPassword,
];

let snmptrapd: NotificationPrinter & { dir: string };
let agent: Agent;

beforeAll(async () => {
  snmptrapd = await startSnmptrapd([
    'disableAuthorization yes',
    // v3 traps come from the device's engine, informs go to snmptrapd's own.
    `createUser -e 0x${bytesToHex(ENGINE)} ${USER.name} ${USER.auth} ${USER.authPassword} ${USER.priv} ${USER.privPassword}`,
    `createUser ${USER.name} ${USER.auth} ${USER.authPassword} ${USER.priv} ${USER.privPassword}`,
  ]);
  agent = new Agent({ device: Device.fromSnmprec('1.3.6.1.2.1.1.1.0|4|dev\n'), engineId: ENGINE });
}, 30_000);

afterAll(async () => {
  await agent?.close();
  await snmptrapd?.stop();
});

const received = (send: () => Promise<unknown>) => nextNotification(snmptrapd, send);

const IF_INDEX = { oid: '1.3.6.1.2.1.2.2.1.1.2', value: { type: 'Integer' as const, value: 2 } };

async function ours(sink: Omit<NotificationSink, 'target'>, trapOid: string) {
  const originator = NotificationOriginator.forAgent(agent, [{ ...sink, target: `udp:127.0.0.1:${snmptrapd.port}` }], {
    agentAddress: '127.0.0.1',
  });
  try {
    const [delivery] = await originator.notify({ trapOid, varbinds: [IF_INDEX], uptime: 4242 });
    expect(delivery!.error).toBeUndefined();
    if (sink.inform) expect(delivery!.acknowledged).toBe(true);
  } finally {
    await originator.close();
  }
}

const theirs = (tool: 'snmptrap' | 'snmpinform', args: string[]) => async () => {
  const r = await runNetSnmp(tool, args);
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
};

const user = {
  name: USER.name,
  level: 'authPriv' as const,
  authProtocol: 'sha256' as const,
  authPassword: USER.authPassword,
  privProtocol: 'aes' as const,
  privPassword: USER.privPassword,
};
const VARBIND_ARGS = ['.1.3.6.1.2.1.2.2.1.1.2', 'i', '2'];

/**
 * Each sink kind: what Net-SNMP's tool sends for the reference (AT stands for the receiver), and what it contains.
 * snmptrapd prints a v3 trap as a v2c one (the security name is not in its default output); snmptrap's own v3 trap is
 * left out as it claims an engine ID, whose boots and time snmptrapd then tracks as it would a device's.
 */
const CASES: {
  name: string;
  sink: Omit<NotificationSink, 'target'>;
  trapOid: string;
  tool: 'snmptrap' | 'snmpinform';
  args: string[];
  shows: string;
}[] = [
  {
    name: 'v1 trap (trapsink), as snmptrap -v1 sends it',
    sink: { version: '1', community: 'public' },
    trapOid: TRAP_OIDS.linkDown,
    tool: 'snmptrap',
    args: ['-v1', '-c', 'public', 'AT', STANDARD_TRAPS, '127.0.0.1', '2', '0', '4242', ...VARBIND_ARGS],
    shows: 'Link Down Trap',
  },
  {
    name: 'v2c trap (trap2sink), as snmptrap -v2c sends it',
    sink: { version: '2c', community: 'public' },
    trapOid: TRAP_OIDS.linkDown,
    tool: 'snmptrap',
    args: ['-v2c', '-c', 'public', 'AT', '4242', TRAP_OIDS.linkDown, ...VARBIND_ARGS],
    shows: 'OID: iso.3.6.1.6.3.1.1.5.3',
  },
  {
    name: 'v2c inform (informsink), acknowledged, as snmpinform -v2c sends it',
    sink: { version: '2c', community: 'public', inform: true },
    trapOid: TRAP_OIDS.linkUp,
    tool: 'snmpinform',
    args: ['-v2c', '-c', 'public', 'AT', '4242', TRAP_OIDS.linkUp, ...VARBIND_ARGS],
    shows: 'OID: iso.3.6.1.6.3.1.1.5.4',
  },
  {
    name: "v3 trap (authPriv, the device's engine authoritative), printed as the same trap in v2c",
    sink: { version: '3', user },
    trapOid: TRAP_OIDS.linkDown,
    tool: 'snmptrap',
    args: ['-v2c', '-c', 'public', 'AT', '4242', TRAP_OIDS.linkDown, ...VARBIND_ARGS],
    shows: 'OID: iso.3.6.1.6.3.1.1.5.3',
  },
  {
    name: "v3 inform (authPriv, discovering snmptrapd's engine), acknowledged, as snmpinform -v3 sends it",
    sink: { version: '3', user, inform: true },
    trapOid: TRAP_OIDS.linkUp,
    tool: 'snmpinform',
    args: ['-v3', ...V3_ARGS, 'AT', '4242', TRAP_OIDS.linkUp, ...VARBIND_ARGS],
    shows: 'OID: iso.3.6.1.6.3.1.1.5.4',
  },
];

describe('snmptrapd receives the simulated device', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const real = await received(
        theirs(
          c.tool,
          c.args.map((a) => (a === 'AT' ? `127.0.0.1:${snmptrapd.port}` : a)),
        ),
      );
      expect(real).toContain(c.shows);
      expect(await received(() => ours(c.sink, c.trapOid))).toBe(real);
    });
  }
});
