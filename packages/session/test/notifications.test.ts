import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMessage, SnmpValue } from '@snmpkit/ber';
import { runNetSnmp } from '@snmpkit/testkit';
import { describe, expect, it, vi } from 'vitest';
import {
  GeneralError,
  type Notification,
  NotificationReceiver,
  Session,
  SNMP_TRAP_ADDRESS_0,
  SNMP_TRAP_COMMUNITY_0,
  SNMP_TRAP_ENTERPRISE_0,
  SNMP_TRAP_OID_0,
  SYS_UP_TIME_0,
  translateTrapV1,
} from '../src/index.js';
import { cleanupAfterEach } from './helpers.js';
import { collectingReceiver, NOTIFICATION, SYS_NAME, sendWithNetSnmp, sysNameTrapArgs } from './receiver-harness.js';

const cleanup = cleanupAfterEach();

/** The enterprise-specific v1 Trap the tests send with snmptrap and translate. */
const V1_TRAP = {
  type: 'TrapV1' as const,
  enterprise: '1.3.6.1.4.1.8072',
  agentAddress: '192.0.2.7',
  genericTrap: 6,
  specificTrap: 17,
  timestamp: 4242,
  varbinds: [{ oid: SYS_NAME, value: SnmpValue.octetString('v1') }],
};

/**
 * snmptrap -v1 with community public from enterprise net-snmp (1.3.6.1.4.1.8072); `trap` as snmptrap takes it after
 * the enterprise: agent address, generic trap, specific trap, uptime, then the varbinds.
 */
const sendV1Trap = (endpoint: string, ...trap: string[]) =>
  sendWithNetSnmp('snmptrap', ['-v1', '-c', 'public', endpoint, '1.3.6.1.4.1.8072', ...trap]);

/**
 * Net-SNMP's snmptrapd on a free loopback port with a `traphandle default` script that appends what snmptrapd hands
 * it (host, transport, then one ".OID VALUE" line per varbind in SNMPv2 form, -On) to a file. `handled(n)` resolves
 * with the varbind lines of the first n notifications once they are there.
 */
async function snmptrapdWithHandler() {
  const dir = await mkdtemp(join(tmpdir(), 'snmpkit-traphandle-'));
  const file = join(dir, 'handled.txt');
  const script = join(dir, 'handler.sh');
  await writeFile(script, `#!/bin/sh\ncat >> '${file}'\necho ---- >> '${file}'\n`, { mode: 0o755 });
  await writeFile(join(dir, 'snmptrapd.conf'), `authCommunity log,execute public\ntraphandle default ${script}\n`);
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  const args = ['-f', '-Lo', '-On', '-C', '-c', join(dir, 'snmptrapd.conf'), `udp:127.0.0.1:${port}`];
  const child = spawn('/usr/sbin/snmptrapd', args, {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, MIBS: '', MIBDIRS: '/nonexistent', SNMP_PERSISTENT_DIR: dir },
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
  });
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid!, 'SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  /** Polls every 25 ms until `test` holds; fails after 10 s (snmptrapd answers in milliseconds). */
  const poll = async (test: () => Promise<boolean>, what: string) => {
    for (const deadline = Date.now() + 10_000; !(await test()); ) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; snmptrapd printed:\n${out}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  try {
    await poll(async () => out.includes('NET-SNMP version'), 'snmptrapd to start');
  } catch (error) {
    await stop();
    throw error;
  }
  const read = () => readFile(file, 'utf8').catch(() => '');
  const handled = async (count: number) => {
    await poll(async () => (await read()).split('----\n').length > count, `${count} handled traps`);
    const blocks = (await read()).split('----\n').slice(0, count);
    // Each block: the host name, the transport, then the varbinds.
    return blocks.map((block) => block.trimEnd().split('\n').slice(2));
  };
  return { port, stop, handled };
}

function receiver(listen: string[], communities?: string[]) {
  return collectingReceiver(communities ? { listen, communities } : { listen }, cleanup);
}

describe('NotificationReceiver with Net-SNMP snmptrap and snmpinform', () => {
  it('receives v2c traps on udp, udp6 and tcp endpoints (port 0 picks one)', async () => {
    const { r, next } = await receiver(['udp:127.0.0.1:0', 'udp6:[::1]:0', 'tcp:127.0.0.1:0']);
    expect(r.endpoints.map((e) => e.transport)).toEqual(['udp', 'udp6', 'tcp']);
    for (const e of r.endpoints) expect(e.port).toBeGreaterThan(0);
    for (const [i, e] of r.endpoints.entries()) {
      await sendWithNetSnmp('snmptrap', [
        '-v2c',
        '-c',
        'public',
        e.endpoint,
        ...sysNameTrapArgs('12345', `via ${e.transport}`),
      ]);
      const got = (await next(i + 1))[i]!;
      expect(got).toMatchObject({ version: 1, community: 'public', trapOid: NOTIFICATION, endpoint: e.endpoint });
      expect(got.pdu.type).toBe('TrapV2');
      expect(got.pdu.varbinds).toEqual([
        { oid: SYS_UP_TIME_0, value: SnmpValue.timeTicks(12345) },
        { oid: SNMP_TRAP_OID_0, value: SnmpValue.objectIdentifier(NOTIFICATION) },
        { oid: SYS_NAME, value: SnmpValue.octetString(`via ${e.transport}`) },
      ]);
      expect(got.varbinds).toBe(got.pdu.varbinds);
    }
    expect(r.stats).toMatchObject({ received: 3, acknowledged: 0 });
  });

  it('acknowledges informs: snmpinform exits 0', async () => {
    const { r, next } = await receiver(['udp:127.0.0.1:0']);
    await sendWithNetSnmp('snmpinform', [
      '-v2c',
      '-c',
      'public',
      '-t',
      '2',
      '-r',
      '0',
      r.endpoints[0]!.endpoint,
      '',
      NOTIFICATION,
    ]);
    expect((await next(1))[0]!.pdu.type).toBe('InformRequest');
    expect(r.stats.acknowledged).toBe(1);
  });

  it('receives v1 traps with their enterprise, agent address and trap numbers', async () => {
    const { r, next } = await receiver(['udp:127.0.0.1:0']);
    await sendV1Trap(r.endpoints[0]!.endpoint, '192.0.2.7', '6', '17', '4242', SYS_NAME, 's', 'v1');
    const [got] = await next(1);
    expect(got!.version).toBe(0);
    // RFC 3584 §3.1: enterprise.0.specific-trap, as snmptrapd names it for its trap handlers.
    expect(got!.trapOid).toBe('1.3.6.1.4.1.8072.0.17');
    expect(got!.pdu).toMatchObject(V1_TRAP);
  });

  it('drops other communities, requests and garbage, and counts them', async () => {
    const { r } = await receiver(['udp:127.0.0.1:0'], ['secret']);
    await runNetSnmp('snmptrap', ['-v2c', '-c', 'public', r.endpoints[0]!.endpoint, '', NOTIFICATION]);
    const s = await Session.open({ peer: r.endpoints[0]!.endpoint, community: 'secret', timeout: 50, retries: 0 });
    cleanup.push(() => s.close());
    await expect(s.get(['1.3.6.1.2.1.1.1.0'])).rejects.toMatchObject({ code: 'ERR_SNMP_TIMEOUT' });
    const dgram = await import('node:dgram');
    const raw = dgram.createSocket('udp4');
    await new Promise<void>((resolve) =>
      raw.send(Uint8Array.of(1, 2, 3), r.endpoints[0]!.port, '127.0.0.1', () => resolve()),
    );
    raw.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(r.stats).toMatchObject({ received: 0, droppedCommunity: 1, droppedUnexpected: 1, droppedUndecodable: 1 });
  });
});

describe('Session notifications', () => {
  it('trap() sends sysUpTime.0, snmpTrapOID.0 and the varbinds; defaultPort 162 applies to port-less peers', async () => {
    const { r, next } = await receiver(['udp:127.0.0.1:0', 'tcp:127.0.0.1:0']);
    for (const [i, e] of r.endpoints.entries()) {
      const s = await Session.open({ peer: e.endpoint, defaultPort: 162 });
      cleanup.push(() => s.close());
      await s.trap(NOTIFICATION, [{ oid: SYS_NAME, value: SnmpValue.octetString('from snmpkit') }], { uptime: 77 });
      const got = (await next(i + 1))[i]!;
      expect(got.trapOid).toBe(NOTIFICATION);
      expect(got.pdu.varbinds[0]).toEqual({ oid: SYS_UP_TIME_0, value: SnmpValue.timeTicks(77) });
      expect(got.pdu.varbinds[2]).toEqual({ oid: SYS_NAME, value: SnmpValue.octetString('from snmpkit') });
      expect(s.stats).toMatchObject({ notifications: 1, requests: 0 });
    }
    const s = await Session.open({ peer: 'udp:127.0.0.1', defaultPort: 162 });
    cleanup.push(() => s.close());
    expect(s.resolvedPeer?.port).toBe(162);
    // Without it a port-less peer is 161, notifications included (unlike snmptrap's 162), as the README says.
    const plain = await Session.open({ peer: 'udp:127.0.0.1' });
    cleanup.push(() => plain.close());
    expect(plain.resolvedPeer?.port).toBe(161);
  });

  it('inform() waits for the acknowledgement; trapV1() sends a v1 Trap', async () => {
    const { r, next } = await receiver(['udp:127.0.0.1:0']);
    const v2 = await Session.open({ peer: r.endpoints[0]!.endpoint, timeout: 1000, retries: 1 });
    cleanup.push(() => v2.close());
    const ack = await v2.inform(NOTIFICATION, [{ oid: SYS_NAME, value: SnmpValue.octetString('i') }], { uptime: 5 });
    expect(ack.map((vb) => vb.oid)).toEqual([SYS_UP_TIME_0, SNMP_TRAP_OID_0, SYS_NAME]);
    const v1 = await Session.open({ peer: r.endpoints[0]!.endpoint, version: '1' });
    cleanup.push(() => v1.close());
    await v1.trapV1({ enterprise: '1.3.6.1.4.1.8072', agentAddress: '192.0.2.9', genericTrap: 0, timestamp: 9 });
    const got = await next(2);
    expect(got[0]!.pdu.type).toBe('InformRequest');
    expect(got[1]!.pdu).toMatchObject({
      type: 'TrapV1',
      agentAddress: '192.0.2.9',
      genericTrap: 0,
      specificTrap: 0,
      timestamp: 9,
    });
  });

  it('version mismatches and bad values fail before sending', async () => {
    const { r } = await receiver(['udp:127.0.0.1:0']);
    const v1 = await Session.open({ peer: r.endpoints[0]!.endpoint, version: '1' });
    const v2 = await Session.open({ peer: r.endpoints[0]!.endpoint });
    cleanup.push(
      () => v1.close(),
      () => v2.close(),
    );
    await expect(v1.trap(NOTIFICATION)).rejects.toMatchObject({ snmpError: { name: 'SNMPERR_V2_IN_V1' } });
    await expect(v1.inform(NOTIFICATION)).rejects.toMatchObject({ snmpError: { name: 'SNMPERR_V2_IN_V1' } });
    await expect(v2.trapV1({ enterprise: '1.3.6.1.4.1', genericTrap: 6 })).rejects.toMatchObject({
      snmpError: { name: 'SNMPERR_V1_IN_V2' },
    });
    await expect(v2.trap('not an oid')).rejects.toMatchObject({ snmpError: { name: 'SNMPERR_UNKNOWN_OBJID' } });
    await expect(v2.trap(NOTIFICATION, [], { uptime: -1 })).rejects.toMatchObject({
      snmpError: { name: 'SNMPERR_RANGE' },
    });
    await expect(
      v1.trapV1({ enterprise: '1.3.6.1.4.1', genericTrap: 6, agentAddress: '300.1.1.1' }),
    ).rejects.toMatchObject({
      snmpError: { name: 'SNMPERR_VALUE' },
    });
    // Each message names the field at fault, not the enterprise as if it were a varbind.
    await expect(v1.trapV1({ enterprise: '1.3.6.1.4.1.1', genericTrap: 6, timestamp: -1 })).rejects.toThrow(
      /^Value out of range: trapV1 timestamp -1 is not a TimeTicks \(0\.\.4294967295\)$/,
    );
    await expect(v1.trapV1({ enterprise: '1.3.6.1.4.1.1', genericTrap: 9 })).rejects.toThrow(
      /^Value out of range: trapV1 genericTrap 9 is not in 0\.\.6 /,
    );
    await expect(v1.trapV1({ enterprise: '1.3.6.1.4.1.1', genericTrap: 6, specificTrap: -2 })).rejects.toThrow(
      /trapV1 specificTrap -2 is not in 0\.\.2147483647/,
    );
    await expect(v1.trapV1({ enterprise: '1.3.6.1.4.1.1', genericTrap: 6, agentAddress: '300.1.1.1' })).rejects.toThrow(
      /trapV1 agentAddress string "300\.1\.1\.1" is not an IPv4 address/,
    );
    await expect(v2.trap(NOTIFICATION, [], { uptime: -1 })).rejects.toThrow(
      /notification uptime -1 is not a TimeTicks \(0\.\.4294967295\)/,
    );
    expect(v1.stats.notifications + v2.stats.notifications).toBe(0);
    expect(r.stats.received).toBe(0);
  });
});

describe("failures of the user's handler", () => {
  /** A receiver on loopback whose handler is `handler`; `calls(n)` resolves once it has been called n times. */
  async function failingReceiver(
    handler: (n: Notification) => void,
    onError?: (error: unknown, n: Notification) => void,
  ) {
    let count = 0;
    let wake: (() => void) | undefined;
    const r = await NotificationReceiver.listen({
      listen: 'udp:127.0.0.1:0',
      onNotification: (n) => {
        count++;
        wake?.();
        return handler(n);
      },
      ...(onError ? { onError } : {}),
    });
    cleanup.push(() => r.close());
    const s = await Session.open({ peer: r.endpoints[0]!.endpoint, timeout: 1000, retries: 0 });
    cleanup.push(() => s.close());
    const calls = async (n: number) => {
      while (count < n) await new Promise<void>((resolve) => (wake = resolve));
      await new Promise((resolve) => setTimeout(resolve, 10)); // let a rejection reach the receiver
    };
    return { r, s, calls };
  }

  it('a handler that throws goes to onError with the notification; informs are acknowledged before it runs', async () => {
    const errors: [unknown, Notification][] = [];
    const boom = new Error('handler bug');
    const { r, s, calls } = await failingReceiver(
      () => {
        throw boom;
      },
      (error, n) => errors.push([error, n]),
    );
    await s.trap(NOTIFICATION, [], { uptime: 1 });
    await calls(1);
    // The Response left before the handler ran (as snmptrapd acknowledges on receipt): the inform succeeds.
    await expect(s.inform(NOTIFICATION, [], { uptime: 2 })).resolves.toHaveLength(2);
    await calls(2);
    expect(errors.map(([e, n]) => [e, n.pdu.type])).toEqual([
      [boom, 'TrapV2'],
      [boom, 'InformRequest'],
    ]);
    expect(r.stats).toMatchObject({ received: 2, acknowledged: 1, handlerErrors: 2 });
  });

  it('an async handler that rejects, without onError: counted, one process warning, the receiver goes on', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    cleanup.push(async () => warn.mockRestore());
    const { r, s, calls } = await failingReceiver(async (n) => {
      if (
        n.pdu.type !== 'TrapV1' &&
        n.pdu.varbinds[0]?.value.type === 'TimeTicks' &&
        n.pdu.varbinds[0].value.value === 3
      )
        return;
      throw new Error('async handler bug');
    });
    for (const uptime of [1, 2, 3]) await s.trap(NOTIFICATION, [], { uptime });
    await calls(3);
    expect(r.stats).toMatchObject({ received: 3, handlerErrors: 2 });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain('async handler bug');
  });

  it('an onError that throws too is dropped: the receiver goes on', async () => {
    const { r, s, calls } = await failingReceiver(
      () => {
        throw new Error('handler bug');
      },
      () => {
        throw new Error('hook bug');
      },
    );
    await s.trap(NOTIFICATION, [], { uptime: 1 });
    await s.trap(NOTIFICATION, [], { uptime: 2 });
    await calls(2);
    expect(r.stats).toMatchObject({ received: 2, handlerErrors: 2 });
  });

  it('listen refuses no endpoints, a missing onNotification and unknown option names', async () => {
    const onNotification = () => {};
    // Option errors are GeneralError SNMPERR_GENERR with a stable code, as Session.open's.
    await expect(NotificationReceiver.listen({ listen: [], onNotification })).rejects.toMatchObject({
      code: 'ERR_SNMP_GENERAL',
      snmpError: { name: 'SNMPERR_GENERR', number: -1 },
      message: "Generic error: option listen is empty: give at least one endpoint (e.g. 'udp:0.0.0.0:162')",
    });
    const listen = 'udp:127.0.0.1:0';
    const missing = { listen } as unknown as Parameters<typeof NotificationReceiver.listen>[0];
    await expect(NotificationReceiver.listen(missing)).rejects.toThrow(
      'option onNotification must be a function, got undefined',
    );
    const notAList = { listen: 162, onNotification } as unknown as Parameters<typeof NotificationReceiver.listen>[0];
    await expect(NotificationReceiver.listen(notAList)).rejects.toBeInstanceOf(GeneralError);
    const badHook = { listen, onNotification, onError: 'log' } as unknown as Parameters<
      typeof NotificationReceiver.listen
    >[0];
    await expect(NotificationReceiver.listen(badHook)).rejects.toThrow(/onError must be a function, got string "log"/);
    // A misspelt option is refused, as Session.open refuses one, not ignored.
    const misspelt = { listen, onNotification, comunities: ['public'] } as unknown as Parameters<
      typeof NotificationReceiver.listen
    >[0];
    await expect(NotificationReceiver.listen(misspelt)).rejects.toThrow(
      "unknown option 'comunities' (did you mean 'communities'?)",
    );
  });
});

describe('informs sent again', () => {
  it('acknowledges a retransmitted inform again but hands it out once; a new request-id is a new inform', async () => {
    const { r, received } = await receiver(['udp:127.0.0.1:0']);
    const dgram = await import('node:dgram');
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    const responses: Buffer[] = [];
    socket.on('message', (m) => responses.push(m));
    cleanup.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    const inform = (requestId: number) =>
      encodeMessage({
        version: 1,
        community: 'public',
        pdu: {
          type: 'InformRequest',
          requestId,
          errorStatus: 0,
          errorIndex: 0,
          varbinds: [
            { oid: SYS_UP_TIME_0, value: SnmpValue.timeTicks(1) },
            { oid: SNMP_TRAP_OID_0, value: SnmpValue.objectIdentifier(NOTIFICATION) },
          ],
        },
      });
    const send = (bytes: Uint8Array) =>
      new Promise<void>((resolve) => socket.send(bytes, r.endpoints[0]!.port, '127.0.0.1', () => resolve()));
    // The same inform three times (a sender whose acknowledgements were lost), then another one.
    for (const id of [7001, 7001, 7001, 7002]) await send(inform(id));
    while (responses.length < 4) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(responses).toHaveLength(4);
    expect(received.map((n) => n.pdu.type === 'InformRequest' && n.pdu.requestId)).toEqual([7001, 7002]);
    expect(r.stats).toMatchObject({ acknowledged: 4, retransmittedInforms: 2 });
  });
});

describe('RFC 3584 §3.1: a v1 Trap as an SNMPv2 notification', () => {
  it('names an enterprise-specific trap enterprise.0.specific and appends address, community and enterprise', () => {
    const { trapOid, varbinds } = translateTrapV1(V1_TRAP, 'public');
    expect(trapOid).toBe('1.3.6.1.4.1.8072.0.17');
    expect(varbinds).toEqual([
      { oid: SYS_UP_TIME_0, value: SnmpValue.timeTicks(4242) },
      { oid: SNMP_TRAP_OID_0, value: SnmpValue.objectIdentifier('1.3.6.1.4.1.8072.0.17') },
      { oid: SYS_NAME, value: SnmpValue.octetString('v1') },
      { oid: SNMP_TRAP_ADDRESS_0, value: SnmpValue.ipAddress('192.0.2.7') },
      { oid: SNMP_TRAP_COMMUNITY_0, value: SnmpValue.octetString('public') },
      { oid: SNMP_TRAP_ENTERPRISE_0, value: SnmpValue.objectIdentifier('1.3.6.1.4.1.8072') },
    ]);
  });

  it('names the generic traps snmpTraps.(generic + 1) and keeps varbinds the trap carried already', () => {
    const names = [0, 1, 2, 3, 4, 5].map((g) => translateTrapV1({ ...V1_TRAP, genericTrap: g }, 'public').trapOid);
    expect(names).toEqual([1, 2, 3, 4, 5, 6].map((n) => `1.3.6.1.6.3.1.1.5.${n}`));
    const carried = { oid: SNMP_TRAP_ADDRESS_0, value: SnmpValue.ipAddress('198.51.100.1') };
    const { varbinds } = translateTrapV1({ ...V1_TRAP, genericTrap: 2, varbinds: [carried] }, 'c');
    expect(varbinds.filter((vb) => vb.oid === SNMP_TRAP_ADDRESS_0)).toEqual([carried]);
  });

  it('the receiver hands a v1 Trap over translated: trapOid and varbinds in SNMPv2 form, pdu as it came', async () => {
    const { r, next } = await receiver(['udp:127.0.0.1:0']);
    await sendV1Trap(r.endpoints[0]!.endpoint, '192.0.2.9', '2', '0', '77');
    const [got] = await next(1);
    if (got?.pdu.type !== 'TrapV1') throw new Error('expected a v1 Trap');
    expect(got.trapOid).toBe('1.3.6.1.6.3.1.1.5.3');
    expect(got.varbinds).toEqual(translateTrapV1(got.pdu, 'public').varbinds);
    expect(got.varbinds[0]).toEqual({ oid: SYS_UP_TIME_0, value: SnmpValue.timeTicks(77) });
    expect(got.varbinds.at(-3)).toEqual({ oid: SNMP_TRAP_ADDRESS_0, value: SnmpValue.ipAddress('192.0.2.9') });
    expect(got.pdu.varbinds).toEqual([]);
  });

  it('gives the same SNMPv2 form as snmptrapd gives its trap handlers (traphandle), for a generic and a specific trap', async () => {
    const trapd = await snmptrapdWithHandler();
    cleanup.push(trapd.stop);
    const { r, next } = await receiver(['udp:127.0.0.1:0']);
    const traps = [
      ['192.0.2.9', '2', '0', '77', SYS_NAME, 's', 'v1name'],
      ['192.0.2.7', '6', '17', '4242', SYS_NAME, 's', 'v1'],
    ];
    for (const trap of traps) {
      await sendV1Trap(`udp:127.0.0.1:${trapd.port}`, ...trap);
      await sendV1Trap(r.endpoints[0]!.endpoint, ...trap);
    }
    const handled = await trapd.handled(traps.length);
    const received = await next(traps.length);
    for (const [i, lines] of handled.entries()) {
      const ours = received[i]!;
      // snmptrapd -On: ".OID VALUE" per varbind; its values are printed without a type.
      expect(ours.varbinds.map((vb) => `.${vb.oid}`)).toEqual(lines.map((l) => l.slice(0, l.indexOf(' '))));
      const value = (oid: string) => lines.find((l) => l.startsWith(`.${oid} `))!.slice(oid.length + 2);
      expect(`.${ours.trapOid}`).toBe(value(SNMP_TRAP_OID_0));
      expect(value(SNMP_TRAP_ADDRESS_0)).toBe(traps[i]![0]);
      expect(value(SNMP_TRAP_COMMUNITY_0)).toBe('"public"');
      expect(value(SNMP_TRAP_ENTERPRISE_0)).toBe('.1.3.6.1.4.1.8072');
    }
    expect(received.map((n) => n.trapOid)).toEqual(['1.3.6.1.6.3.1.1.5.3', '1.3.6.1.4.1.8072.0.17']);
  });
});
