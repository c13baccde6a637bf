/**
 * A minimal SNMPv3 agent for the client benchmark: an authoritative USM engine on @snmpkit/usm that answers the
 * discovery probe (unknownEngineID Report), refuses what USM refuses with its Report, and answers every GET with
 * one pre-built varbind, at the request's level. Per request it does what any v3 agent must — verify, decrypt,
 * encrypt, sign — and nothing else (no MIB, no access control), in its own process.
 *
 * Usage (spawned by session.bench.ts): node --import tsx fast-v3-responder.ts
 * Prints "port N" once listening. User BENCH_V3_USER (SHA + AES-128, authPriv).
 */
import dgram from 'node:dgram';
import { hexToBytes, SnmpValue, type V3Message, type VarBind } from '@snmpkit/ber';
import {
  AuthoritativeClock,
  decodeSecureMessage,
  encodeSecureMessage,
  UsmError,
  UsmKeyStore,
  UsmStats,
  type UsmUser,
  usmReportMessage,
} from '@snmpkit/usm';
import { listenOnLoopback } from './fast-responder.js';

export const BENCH_V3_USER: UsmUser = {
  name: 'bench',
  level: 'authPriv',
  authProtocol: 'sha',
  authPassword: 'bench-auth-pass',
  privProtocol: 'aes',
  privPassword: 'bench-priv-pass',
};

function main(): void {
  const getOid = process.argv[2] ?? '1.3.6.1.2.1.1.1.0';
  const answer: VarBind = {
    oid: getOid,
    value: SnmpValue.octetString('Linux bench 6.1.0 #1 SMP PREEMPT_DYNAMIC x86_64'),
  };
  const engineId = hexToBytes('80001f8804736e6d706b69742d62656e6368');
  const clock = new AuthoritativeClock({ engineId, boots: 1 });
  const store = new UsmKeyStore([BENCH_V3_USER]);
  const resolver = store.resolver();
  const stats = new UsmStats();
  const socket = dgram.createSocket('udp4');

  socket.on('message', (bytes, rinfo) => {
    let out: Uint8Array;
    try {
      const { message, keys } = decodeSecureMessage(bytes, resolver, {
        authoritativeEngineId: engineId,
        timeliness: clock.timeliness,
      });
      const pdu = message.scopedPdu!.pdu;
      if (pdu.type !== 'GetRequest') return;
      const now = clock.read();
      const reply: V3Message = {
        ...message,
        msgFlags: message.msgFlags & 0x03,
        securityParameters: { ...message.securityParameters, engineBoots: now.boots, engineTime: now.time },
        scopedPdu: {
          ...message.scopedPdu!,
          pdu: { type: 'Response', requestId: pdu.requestId, errorStatus: 0, errorIndex: 0, varbinds: [answer] },
        },
      };
      out = encodeSecureMessage(reply, keys);
    } catch (error) {
      if (!(error instanceof UsmError) || !error.received || error.reason === 'invalidMsgFlags') return;
      const now = clock.read();
      const report = usmReportMessage({
        received: error.received,
        counter: stats.count(error.reason),
        engineId,
        engineBoots: now.boots,
        engineTime: now.time,
      });
      // RFC 3414 §3.2 step 7a: the notInTimeWindow Report goes authenticated; the others unauthenticated.
      const keys =
        error.reason === 'notInTimeWindow'
          ? store.keysFor(error.received.securityParameters.userName, engineId, 'authNoPriv')
          : undefined;
      out = encodeSecureMessage(report, keys);
    }
    socket.send(out, rinfo.port, rinfo.address);
  });
  listenOnLoopback(socket);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) main();
