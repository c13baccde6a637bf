/**
 * The raw facade's gaps found by issue 17's audit: timeouts below a millisecond (the facade is in µs), INFORM and
 * TRAP2 PDUs from snmpPduCreate, and the error classes importable from `@snmpkit/session/raw` itself.
 */
import { SnmpValue } from '@snmpkit/ber';
import { describe, expect, it } from 'vitest';
import * as index from '../src/index.js';
import { type Notification, NotificationReceiver, SNMP_TRAP_OID_0, SYS_UP_TIME_0 } from '../src/index.js';
import {
  GeneralError,
  RequestAbortedError,
  RequestTimeoutError,
  ResponseError,
  SessionClosedError,
  SnmpError,
  SnmpMsg,
  snmpAddVariable,
  snmpPduCreate,
  snmpSessClose,
  snmpSessOpen,
  snmpSessSynchResponse,
} from '../src/raw.js';
import { blackHole, cleanupAfterEach, rawSessionParams } from './helpers.js';

const cleanup = cleanupAfterEach();
const LINK_DOWN = '1.3.6.1.6.3.1.1.5.3';

function notification(type: typeof SnmpMsg.SNMP_MSG_INFORM | typeof SnmpMsg.SNMP_MSG_TRAP2) {
  const pdu = snmpPduCreate(type);
  snmpAddVariable(pdu, SYS_UP_TIME_0, SnmpValue.timeTicks(4242));
  snmpAddVariable(pdu, SNMP_TRAP_OID_0, SnmpValue.objectIdentifier(LINK_DOWN));
  snmpAddVariable(pdu, '1.3.6.1.2.1.2.2.1.1.3', SnmpValue.integer(3));
  return pdu;
}

async function receiver() {
  const got: Notification[] = [];
  const r = await NotificationReceiver.listen({
    listen: ['udp:127.0.0.1:0'],
    communities: ['public'],
    onNotification: (n) => {
      got.push(n);
    },
  });
  cleanup.push(() => r.close());
  return { port: r.endpoints[0]!.port, got };
}

describe('raw facade: what the audit found missing', () => {
  it('takes timeouts of 1-999 µs (waiting 1 ms, the least a Node timer waits)', async () => {
    const hole = await blackHole();
    cleanup.push(hole.close);
    for (const timeout of [1, 500, 999]) {
      const t = await snmpSessOpen(rawSessionParams({ peername: `udp:127.0.0.1:${hole.port}`, timeout, retries: 0 }));
      cleanup.push(() => snmpSessClose(t));
      const pdu = snmpPduCreate(SnmpMsg.SNMP_MSG_GET);
      snmpAddVariable(pdu, '1.3.6.1.2.1.1.1.0', SnmpValue.null());
      const error = await snmpSessSynchResponse(t, pdu).catch((e: unknown) => e);
      expect(error, `${timeout} µs`).toBeInstanceOf(RequestTimeoutError);
    }
  });

  it("sends an INFORM built with snmpPduCreate and resolves with the receiver's answer", async () => {
    const { port, got } = await receiver();
    const t = await snmpSessOpen(rawSessionParams({ peername: `udp:127.0.0.1:${port}`, timeout: 2_000_000 }));
    cleanup.push(() => snmpSessClose(t));
    const answer = await snmpSessSynchResponse(t, notification(SnmpMsg.SNMP_MSG_INFORM));
    expect(answer.map(([oid]) => oid)).toEqual([SYS_UP_TIME_0, SNMP_TRAP_OID_0, '1.3.6.1.2.1.2.2.1.1.3']);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ pdu: { type: 'InformRequest' }, trapOid: LINK_DOWN });
  });

  it('sends a TRAP2 and resolves with no varbinds (no response comes, as Net-SNMP returns none)', async () => {
    const { port, got } = await receiver();
    const t = await snmpSessOpen(rawSessionParams({ peername: `udp:127.0.0.1:${port}`, timeout: 2_000_000 }));
    cleanup.push(() => snmpSessClose(t));
    expect(await snmpSessSynchResponse(t, notification(SnmpMsg.SNMP_MSG_TRAP2))).toEqual([]);
    await expect.poll(() => got.length).toBe(1);
    expect(got[0]).toMatchObject({ pdu: { type: 'TrapV2' }, trapOid: LINK_DOWN });
  });

  it('refuses a notification PDU without sysUpTime.0 and snmpTrapOID.0 first', async () => {
    const t = await snmpSessOpen(rawSessionParams({ peername: 'udp:127.0.0.1:9', timeout: 1000 }));
    cleanup.push(() => snmpSessClose(t));
    const pdu = snmpPduCreate(SnmpMsg.SNMP_MSG_TRAP2);
    snmpAddVariable(pdu, '1.3.6.1.2.1.2.2.1.1.3', SnmpValue.integer(3));
    await expect(snmpSessSynchResponse(t, pdu)).rejects.toThrow(/starts with sysUpTime\.0/);
  });

  it('exports the error classes the calls reject with: the same classes as the package root', () => {
    expect(GeneralError).toBe(index.GeneralError);
    expect(RequestTimeoutError).toBe(index.RequestTimeoutError);
    expect(ResponseError).toBe(index.ResponseError);
    expect(SnmpError).toBe(index.SnmpError);
    expect(SessionClosedError).toBe(index.SessionClosedError);
    expect(RequestAbortedError).toBe(index.RequestAbortedError);
  });
});
