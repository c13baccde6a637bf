import { SnmpValue } from '@snmpkit/ber';
import { describe, expect, it } from 'vitest';
import { GeneralError, RequestTimeoutError } from '../src/index.js';
import {
  SnmpMsg,
  SnmpVersion,
  snmpAddNullVar,
  snmpAddVariable,
  snmpPduCreate,
  snmpSessClose,
  snmpSessInit,
  snmpSessOpen,
  snmpSessSynchResponse,
} from '../src/raw.js';
import { blackHole, cleanupAfterEach, rawSessionParams } from './helpers.js';

const cleanup = cleanupAfterEach();

describe('raw facade', () => {
  it('snmpSessInit gives Net-SNMP defaults', () => {
    expect(snmpSessInit()).toEqual({
      version: SnmpVersion.SNMP_VERSION_1,
      retries: -1,
      timeout: -1,
      peername: '',
      localname: '',
      localPort: 0,
      community: 'public',
    });
  });

  it('timeout is in µs: 40 000 µs and 2 retries wait 40 + 80 + 160 ms, then Request_timeout', async () => {
    const hole = await blackHole();
    cleanup.push(hole.close);
    const t = await snmpSessOpen(
      rawSessionParams({ peername: `udp:127.0.0.1:${hole.port}`, timeout: 40_000, retries: 2 }),
    );
    cleanup.push(() => snmpSessClose(t));
    const error = await snmpSessSynchResponse(
      t,
      snmpAddNullVar(snmpPduCreate(SnmpMsg.SNMP_MSG_GET), '1.3.6.1.2.1.1.1.0'),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ attempts: 3, waitedMs: 280 });
    expect(hole.arrivals).toHaveLength(3);
  });

  it('refuses a timeout longer than 2^31-1 ms, in the µs it was given', async () => {
    await expect(snmpSessOpen(rawSessionParams({ timeout: 2 ** 31 * 1000 }))).rejects.toThrow(
      /timeout must be at most 2147483647000 µs .*got 2147483648000$/,
    );
  });

  it('binds the local port it is given, and reports a taken one as SNMPERR_BAD_LOCPORT', async () => {
    const hole = await blackHole();
    cleanup.push(hole.close);
    const error = await snmpSessOpen(rawSessionParams({ localname: '127.0.0.1', localPort: hole.port })).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ snmpError: { name: 'SNMPERR_BAD_LOCPORT', number: -2 }, systemError: 'EADDRINUSE' });
  });

  it('fails like Net-SNMP on bad versions, PDU types, values and empty PDUs', async () => {
    await expect(snmpSessOpen(rawSessionParams({ version: 5 as never }))).rejects.toMatchObject({
      snmpError: { name: 'SNMPERR_BAD_VERSION', number: -14 },
    });
    // v3 without a securityName, or with a level its protocols cannot give.
    await expect(snmpSessOpen(rawSessionParams({ version: SnmpVersion.SNMP_VERSION_3 }))).rejects.toMatchObject({
      snmpError: { name: 'SNMPERR_BAD_SEC_NAME', number: -27 },
    });
    await expect(
      snmpSessOpen(rawSessionParams({ version: SnmpVersion.SNMP_VERSION_3, securityName: 'u', securityLevel: 3 })),
    ).rejects.toThrow(/authPriv needs securityAuthProto/);
    await expect(
      snmpSessOpen(
        rawSessionParams({ version: SnmpVersion.SNMP_VERSION_3, securityName: 'u', securityLevel: 7 as never }),
      ),
    ).rejects.toMatchObject({ snmpError: { name: 'SNMPERR_BAD_SEC_LEVEL' } });
    expect(() => snmpPduCreate(0xa2 as never)).toThrow(GeneralError);
    expect(() => snmpPduCreate(0xa2 as never)).toThrow(/Unknown PDU type/);
    const set = snmpPduCreate(SnmpMsg.SNMP_MSG_SET);
    expect(() => snmpAddVariable(set, '1.3.6.1.2.1.1.6.0', SnmpValue.integer(1e12))).toThrow(/Value out of range/);
    expect(() => snmpAddNullVar(set, 'not.an.oid')).toThrow(/Unknown Object Identifier/);
    const t = await snmpSessOpen(rawSessionParams({ version: SnmpVersion.SNMP_VERSION_1 }));
    cleanup.push(() => snmpSessClose(t));
    await expect(snmpSessSynchResponse(t, snmpPduCreate(SnmpMsg.SNMP_MSG_GET))).rejects.toMatchObject({
      snmpError: { name: 'SNMPERR_NO_VARS', number: -60 },
    });
    const bulk = snmpAddNullVar(snmpPduCreate(SnmpMsg.SNMP_MSG_GETBULK), '1.3.6.1');
    await expect(snmpSessSynchResponse(t, bulk)).rejects.toMatchObject({
      snmpError: { name: 'SNMPERR_V2_IN_V1', number: -7 },
    });
    expect(t.session.stats.requests).toBe(0);
  });

  it('an unknown host is General_error SNMPERR_BAD_ADDRESS', async () => {
    await expect(snmpSessOpen(rawSessionParams({ peername: 'udp:no-such-host.invalid' }))).rejects.toMatchObject({
      snmpError: { name: 'SNMPERR_BAD_ADDRESS', number: -3 },
    });
  });
});
