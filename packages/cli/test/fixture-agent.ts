/**
 * A small SNMP v1/v2c agent over UDP on loopback, for the golden tests: it serves a fixed list of varbinds (every
 * value type, including the ones snmpd cannot be made to return: Opaque float/double, the exceptions, Counter64
 * edge values) so that Net-SNMP's tools and snmpkit can be compared on them. Built on @snmpkit/ber alone.
 */
import dgram from 'node:dgram';
import {
  type CommunityMessage,
  compareOids,
  decodeMessage,
  ErrorStatus,
  encodeMessage,
  isException,
  oidStartsWith,
  type SnmpValue,
  type VarBind,
} from '@snmpkit/ber';

export interface FixtureAgent {
  /** `udp:127.0.0.1:PORT` */
  peer: string;
  port: number;
  stop(): Promise<void>;
}

/** Requests naming ERROR_SUBTREE.N.… are answered with error-status N (to test every error text). */
export const ERROR_SUBTREE = '1.3.6.1.4.1.99999.9';
const { noSuchName: NO_SUCH_NAME, notWritable: NOT_WRITABLE, wrongType: WRONG_TYPE, badValue: BAD_VALUE } = ErrorStatus;

export async function startFixtureAgent(objects: VarBind[], community = 'public'): Promise<FixtureAgent> {
  const store = [...objects].sort((a, b) => compareOids(a.oid, b.oid));
  const socket = dgram.createSocket('udp4');
  const exact = (oid: string) => store.find((vb) => vb.oid === oid);
  const next = (oid: string, v1: boolean) =>
    store.find(
      (vb) => compareOids(vb.oid, oid) > 0 && !(v1 && (vb.value.type === 'Counter64' || isException(vb.value))),
    );

  socket.on('message', (bytes, rinfo) => {
    let request: CommunityMessage;
    try {
      const decoded = decodeMessage(bytes);
      if (decoded.version === 3 || decoded.community !== community) return;
      request = decoded;
    } catch {
      return;
    }
    const pdu = request.pdu;
    if (pdu.type === 'TrapV1' || pdu.type === 'Response' || pdu.type === 'Report') return;
    const v1 = request.version === 0;
    // Any request naming an OID under ERROR_SUBTREE.N fails with error-status N at that varbind.
    const failing = pdu.varbinds.findIndex((vb) => oidStartsWith(vb.oid, ERROR_SUBTREE) && vb.oid !== ERROR_SUBTREE);
    if (failing >= 0) {
      const status = Number(pdu.varbinds[failing]!.oid.slice(ERROR_SUBTREE.length + 1).split('.')[0]);
      reply(request, pdu.requestId, status, failing + 1, pdu.varbinds, rinfo);
      return;
    }
    let errorStatus = 0;
    let errorIndex = 0;
    let varbinds: VarBind[] = [];
    const fail = (status: number, index: number) => {
      errorStatus = status;
      errorIndex = index;
    };
    if (pdu.type === 'GetRequest') {
      pdu.varbinds.forEach((vb, i) => {
        const found = exact(vb.oid);
        if (found && !(v1 && isException(found.value))) varbinds.push(found);
        else if (v1) fail(NO_SUCH_NAME, i + 1);
        else varbinds.push({ oid: vb.oid, value: found ? found.value : { type: 'NoSuchObject' } });
      });
    } else if (pdu.type === 'GetNextRequest') {
      pdu.varbinds.forEach((vb, i) => {
        const found = next(vb.oid, v1);
        if (found) varbinds.push(found);
        else if (v1) fail(NO_SUCH_NAME, i + 1);
        else varbinds.push({ oid: vb.oid, value: { type: 'EndOfMibView' } });
      });
    } else if (pdu.type === 'GetBulkRequest') {
      const nonRepeaters = Math.min(pdu.nonRepeaters, pdu.varbinds.length);
      for (const vb of pdu.varbinds.slice(0, nonRepeaters)) {
        varbinds.push(next(vb.oid, false) ?? { oid: vb.oid, value: { type: 'EndOfMibView' } });
      }
      let cursors = pdu.varbinds.slice(nonRepeaters).map((vb) => vb.oid);
      for (let r = 0; r < pdu.maxRepetitions && cursors.length > 0; r++) {
        const row = cursors.map((oid) => next(oid, false) ?? { oid, value: { type: 'EndOfMibView' } as SnmpValue });
        varbinds.push(...row);
        if (row.every((vb) => vb.value.type === 'EndOfMibView')) break;
        cursors = row.map((vb) => vb.oid);
      }
    } else if (pdu.type === 'SetRequest') {
      pdu.varbinds.forEach((vb, i) => {
        const found = exact(vb.oid);
        if (!found) fail(v1 ? NO_SUCH_NAME : NOT_WRITABLE, i + 1);
        else if (found.value.type !== vb.value.type) fail(v1 ? BAD_VALUE : WRONG_TYPE, i + 1);
      });
      if (errorStatus === 0) {
        for (const vb of pdu.varbinds) exact(vb.oid)!.value = vb.value;
      }
      varbinds = pdu.varbinds;
    } else {
      return;
    }
    if (errorStatus !== 0) varbinds = pdu.varbinds;
    reply(request, pdu.requestId, errorStatus, errorIndex, varbinds, rinfo);
  });
  const reply = (
    request: CommunityMessage,
    requestId: number,
    errorStatus: number,
    errorIndex: number,
    varbinds: VarBind[],
    to: { port: number; address: string },
  ) => {
    const response = encodeMessage({
      version: request.version,
      community: request.community,
      pdu: { type: 'Response', requestId, errorStatus, errorIndex, varbinds },
    });
    socket.send(response, to.port, to.address);
  };
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const port = socket.address().port;
  return {
    peer: `udp:127.0.0.1:${port}`,
    port,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
