/**
 * Values that older agents and printers send (issue 17), answered by a loopback responder that writes the bytes,
 * printed by snmpget and by snmpkit with the same arguments (golden-compare.ts): a zero-length OID (`06 00`),
 * Net-SNMP's UInteger32 (tag 0x47), and a Response followed by padding bytes.
 */
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { decodeMessage, encodeMessage, type SnmpValue } from '@snmpkit/ber';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { compareWithNetSnmp } from './golden-compare.js';

const VALUES: Record<string, SnmpValue> = {
  '1.3.6.1.2.1.2.2.1.22.1': { type: 'ObjectIdentifier', value: '0' }, // ifSpecific as some printers send it: 06 00
  '1.3.6.1.4.1.2021.100.1.0': { type: 'UInteger32', value: 4294967295 },
  '1.3.6.1.4.1.2021.100.2.0': { type: 'UInteger32', value: 7 },
};
const PADDING = Uint8Array.from([0, 0, 0xff]);

let responder: Socket;
let peer: string;

beforeAll(async () => {
  responder = createSocket('udp4');
  responder.on('message', (bytes, from) => {
    const request = decodeMessage(bytes);
    if (request.version === 3 || request.pdu.type === 'TrapV1' || request.pdu.type === 'GetBulkRequest') return;
    const varbinds = request.pdu.varbinds.map((vb) => ({
      oid: vb.oid,
      value: VALUES[vb.oid] ?? ({ type: 'NoSuchObject' } as const),
    }));
    const reply = encodeMessage({
      version: request.version,
      community: request.community,
      pdu: { type: 'Response', requestId: request.pdu.requestId, errorStatus: 0, errorIndex: 0, varbinds },
    });
    responder.send(Buffer.concat([reply, PADDING]), from.port, from.address);
  });
  responder.bind(0, '127.0.0.1');
  await once(responder, 'listening');
  peer = `udp:127.0.0.1:${responder.address().port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => (responder ? responder.close(() => resolve()) : resolve()));
});

describe('values older agents send, printed as snmpget prints them (each Response padded with 3 bytes)', () => {
  const oids = Object.keys(VALUES);
  for (const flags of [[], ['-On'], ['-Oq'], ['-Ov'], ['-Of']]) {
    it(`get ${flags.join(' ') || '(default)'}`, async () => {
      await compareWithNetSnmp('snmpget', [...flags, '-v2c', '-c', 'public', '-t', '2', '-r', '1', peer, ...oids]);
    });
  }
});
