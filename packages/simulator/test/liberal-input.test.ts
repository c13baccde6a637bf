/**
 * What real managers send that a strict reading would drop (issue 17): bytes after the message, 5-byte request-ids.
 * snmpd answers both; so does the agent.
 */
import { bytesToHex, decodeMessage, encodeMessage, hexToBytes, MsgFlags, type V3Message } from '@snmpkit/ber';
import { snmpkitUser, testUser } from '@snmpkit/testkit';
import { decodeSecureMessage, encodeSecureMessage, UsmKeyStore, type UsmUser } from '@snmpkit/usm';
import { describe, expect, it } from 'vitest';
import { Agent, Device } from '../src/index.js';
import { getPdu, show } from './helpers.js';

const DATA = '1.3.6.1.2.1.1.1.0|4|padded device\n';

function withTrailing(bytes: Uint8Array, extra: number[]): Uint8Array {
  return Uint8Array.from([...bytes, ...extra]);
}

describe('the agent is liberal in what managers send', () => {
  it('answers a v2c GET followed by padding bytes, and counts it', async () => {
    const agent = new Agent({ device: Device.fromSnmprec(DATA) });
    const pdu = getPdu('GetRequest', '1.3.6.1.2.1.1.1.0');
    const reply = await agent.request(withTrailing(encodeMessage({ version: 1, community: 'public', pdu }), [0, 0]));
    const m = decodeMessage(reply!);
    expect(m.version === 1 && show(m.pdu.varbinds)).toEqual(['1.3.6.1.2.1.1.1.0 = OctetString:padded device']);
    expect(agent.stats.trailingBytes).toBe(1);
    expect(agent.stats.parseErrors).toBe(0);
  });

  it('answers an authPriv v3 GET followed by padding: the MAC covers the message, not the padding', async () => {
    const user: UsmUser = snmpkitUser(testUser('SHA', 'AES'));
    const engineId = hexToBytes('80001f8804706164');
    const agent = new Agent({ device: Device.fromSnmprec(DATA), users: [user], engineId, engineBoots: 1 });
    const keys = new UsmKeyStore([user]);
    const m: V3Message = {
      version: 3,
      msgId: 9,
      msgMaxSize: 65507,
      msgFlags: MsgFlags.reportable,
      securityModel: 3,
      securityParameters: {
        engineId,
        engineBoots: 1,
        engineTime: 0,
        userName: user.name,
        authParameters: new Uint8Array(0),
        privParameters: new Uint8Array(0),
      },
      scopedPdu: { contextEngineId: engineId, contextName: '', pdu: getPdu('GetRequest', '1.3.6.1.2.1.1.1.0') },
    };
    const bytes = encodeSecureMessage(m, keys.keysFor(user.name, engineId));
    const reply = await agent.request(withTrailing(bytes, [0xff, 0, 0, 0]));
    const decoded = decodeSecureMessage(reply!, keys.resolver());
    expect(decoded.message.scopedPdu!.pdu.type).toBe('Response');
    expect(show(decoded.message.scopedPdu!.pdu.varbinds)).toEqual(['1.3.6.1.2.1.1.1.0 = OctetString:padded device']);
    expect(agent.stats.trailingBytes).toBe(1);
    expect(agent.stats.usm.wrongDigests).toBe(0);
  });

  it('answers a request-id outside the Integer32 range, echoing the 5-byte INTEGER as received (as snmpd does)', async () => {
    const agent = new Agent({ device: Device.fromSnmprec(DATA) });
    // snmpd 5.9 answered this GET (request-id 0x0080000001) with `02 05 00 80 00 00 01` in its Response.
    const request = hexToBytes(
      '302a02010104067075626c6963a01d02050080000001020100020100300e300c06082b060102010101000500',
    );
    const reply = await agent.request(request);
    expect(reply).toBeDefined();
    const m = decodeMessage(reply!);
    expect(m.version === 1 && m.pdu.type !== 'TrapV1' && m.pdu.requestId).toBe(2 ** 31 + 1);
    expect(bytesToHex(reply!)).toContain('02050080000001');
  });
});
