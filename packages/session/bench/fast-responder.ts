/**
 * A minimal SNMPv2c agent that is not the bottleneck of a client benchmark: it runs in its own process, answers
 * GET with a pre-encoded reply (only the request-id is copied in) and GETBULK/GETNEXT from a table of pre-encoded
 * varbinds (a lookup by the request's OID bytes and a concatenation). No decoding, no allocation beyond the reply.
 *
 * Usage (spawned by session.bench.ts): node --import tsx fast-responder.ts ROWS
 * Prints "port N" once listening; the table is 1.3.6.1.4.1.99999.1.1.1 .. .ROWS (alternating text and Counter32).
 */
import dgram from 'node:dgram';
import { encodePdu, SnmpValue, type VarBind } from '@snmpkit/ber';

export const BENCH_TABLE = '1.3.6.1.4.1.99999.1.1';
export const GET_OID = '1.3.6.1.2.1.1.1.0';

export function berLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x100) return Buffer.from([0x81, n]);
  if (n < 0x10000) return Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
}

export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), berLength(body.length), body]);
}

/** Steps over BER headers and TLVs of a buffer. */
export class Cursor {
  p = 0;
  constructor(readonly b: Buffer) {}
  /** Steps into a constructed TLV: past its tag and length. */
  enter(): void {
    this.p++;
    const first = this.b[this.p++]!;
    if (first >= 0x80) this.p += first & 0x7f;
  }
  /** Steps over a whole TLV; returns where it started. */
  skip(): number {
    const start = this.p;
    this.p++;
    const first = this.b[this.p++]!;
    let len = first;
    if (first >= 0x80) {
      len = 0;
      for (let i = 0; i < (first & 0x7f); i++) len = len * 256 + this.b[this.p++]!;
    }
    this.p += len;
    return start;
  }
}

/** The encoded VarBind SEQUENCE of a varbind: the tail of a one-varbind PDU. */
export function encodeVarbind(vb: VarBind): Buffer {
  const pdu = Buffer.from(encodePdu({ type: 'Response', requestId: 0, errorStatus: 0, errorIndex: 0, varbinds: [vb] }));
  const c = new Cursor(pdu);
  c.enter(); // PDU
  c.skip(); // request-id
  c.skip(); // error-status
  c.skip(); // error-index
  c.enter(); // varbind list
  return pdu.subarray(c.p);
}

/** The OID TLV's bytes inside an encoded varbind (the lookup key of GETNEXT/GETBULK requests). */
export function oidKey(varbind: Buffer): string {
  const oidLen = varbind[3]!;
  return varbind.subarray(2, 4 + oidLen).toString('latin1');
}

export interface Parsed {
  requestIdTlv: Buffer;
  pduTag: number;
  maxRepetitions: number;
  firstOidKey: string;
  /** Every varbind's OID TLV, as a lookup key (the first is firstOidKey). */
  oidKeys: string[];
}

/** Reads just enough of a v2c request: the PDU tag, the request-id TLV, max-repetitions, the first OID TLV. */
export function parseRequest(b: Buffer, community: Buffer): Parsed | undefined {
  const c = new Cursor(b);
  c.enter(); // Message
  c.skip(); // version
  const communityStart = c.skip();
  if (!b.subarray(communityStart + 2, c.p).equals(community)) return undefined;
  const pduTag = b[c.p]!;
  c.enter();
  const idStart = c.skip();
  const requestIdTlv = b.subarray(idStart, c.p);
  c.skip(); // non-repeaters or error-status
  const maxRepetitions = b[c.p + 1] === 1 ? b[c.p + 2]! : 10;
  c.skip();
  c.enter(); // varbind list
  const oidKeys: string[] = [];
  while (c.p < b.length) {
    const varbindStart = c.p;
    c.enter(); // a varbind
    const oidStart = c.skip();
    oidKeys.push(b.subarray(oidStart, c.p).toString('latin1'));
    c.p = varbindStart;
    c.skip();
  }
  if (oidKeys.length === 0) return undefined;
  return { requestIdTlv, pduTag, maxRepetitions, firstOidKey: oidKeys[0]!, oidKeys };
}

function main(): void {
  const rows = Number(process.argv[2] ?? 10_000);
  const community = Buffer.from('public');
  const version = tlv(0x02, Buffer.from([1]));
  const communityTlv = tlv(0x04, community);
  const zero = tlv(0x02, Buffer.from([0]));
  const getVarbind = encodeVarbind({
    oid: GET_OID,
    value: SnmpValue.octetString('Linux bench 6.1.0 #1 SMP PREEMPT_DYNAMIC x86_64'),
  });
  const table: Buffer[] = [];
  const indexByKey = new Map<string, number>();
  for (let i = 1; i <= rows; i++) {
    const value = i % 2 ? SnmpValue.octetString(`interface ${i} uplink`) : SnmpValue.counter32(i * 7919);
    const vb = encodeVarbind({ oid: `${BENCH_TABLE}.${i}`, value });
    indexByKey.set(oidKey(vb), table.length);
    table.push(vb);
  }
  const endOfMib = (key: string) => tlv(0x30, Buffer.from(key, 'latin1'), Buffer.from([0x82, 0]));

  const reply = (requestIdTlv: Buffer, varbinds: Buffer[]): Buffer => {
    const list = tlv(0x30, ...varbinds);
    const pdu = tlv(0xa2, requestIdTlv, zero, zero, list);
    return tlv(0x30, version, communityTlv, pdu);
  };

  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    const req = parseRequest(msg, community);
    if (!req) return;
    let varbinds: Buffer[];
    if (req.pduTag === 0xa0) varbinds = [getVarbind];
    else {
      const at = indexByKey.get(req.firstOidKey);
      const from = at === undefined ? 0 : at + 1;
      const count = req.pduTag === 0xa5 ? Math.max(1, req.maxRepetitions) : 1;
      varbinds = table.slice(from, from + count);
      if (varbinds.length < count) varbinds.push(endOfMib(req.firstOidKey));
    }
    socket.send(reply(req.requestIdTlv, varbinds), rinfo.port, rinfo.address);
  });
  listenOnLoopback(socket);
}

/** Binds to a free loopback port, prints "port N" for the parent, and exits when the parent goes away. */
export function listenOnLoopback(socket: dgram.Socket): void {
  socket.bind(0, '127.0.0.1', () => {
    console.log(`port ${socket.address().port}`);
  });
  process.on('disconnect', () => process.exit(0));
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) main();
