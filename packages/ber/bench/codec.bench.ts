/**
 * Encode and decode throughput of @snmpkit/ber beside the `net-snmp` npm package's own codec, on the same messages,
 * in the same run. Run: npm run bench (in packages/ber) or npm run bench at the root.
 * SNMPKIT_BENCH_MS sets the time per measurement (default 2000 ms), split into alternating slices.
 */
import { decodeMessage, encodeMessage, type SnmpMessage, SnmpValue, type VarBind } from '@snmpkit/ber';
import { loadNetSnmpCodec } from './net-snmp-internals.js';

const ns = loadNetSnmpCodec();
const T = ns.ObjectType;
const MS = Number(process.env.SNMPKIT_BENCH_MS ?? 2000);

interface Case {
  name: string;
  varbinds: VarBind[];
  /** The same varbinds in net-snmp's shape. */
  netSnmp: { oid: string; type: number; value: unknown }[];
}

function toNetSnmp(vb: VarBind): { oid: string; type: number; value: unknown } {
  const v = vb.value;
  switch (v.type) {
    case 'Integer':
      return { oid: vb.oid, type: T.Integer!, value: v.value };
    case 'OctetString':
      return { oid: vb.oid, type: T.OctetString!, value: Buffer.from(v.value) };
    case 'ObjectIdentifier':
      return { oid: vb.oid, type: T.OID!, value: v.value };
    case 'IpAddress':
      return { oid: vb.oid, type: T.IpAddress!, value: v.value };
    case 'Counter32':
      return { oid: vb.oid, type: T.Counter!, value: v.value };
    case 'Gauge32':
      return { oid: vb.oid, type: T.Gauge!, value: v.value };
    case 'TimeTicks':
      return { oid: vb.oid, type: T.TimeTicks!, value: v.value };
    case 'Counter64': {
      // net-snmp takes a Counter64 as its BER content bytes.
      let hex = v.value.toString(16);
      if (hex.length % 2) hex = `0${hex}`;
      if (Number.parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
      return { oid: vb.oid, type: T.Counter64!, value: Buffer.from(hex, 'hex') };
    }
    default:
      throw new Error(`not used in the benchmark: ${v.type}`);
  }
}

function mixed(i: number, index: number): VarBind {
  const base = `1.3.6.1.2.1.2.2.1.${(i % 20) + 1}.${index}`;
  switch (i % 8) {
    case 0:
      return { oid: base, value: SnmpValue.integer(6) };
    case 1:
      return { oid: base, value: SnmpValue.octetString(`GigabitEthernet0/${index} uplink to core`) };
    case 2:
      return { oid: base, value: SnmpValue.counter32(3_000_000_000 + index) };
    case 3:
      return { oid: base, value: SnmpValue.gauge32(1_000_000_000) };
    case 4:
      return { oid: base, value: SnmpValue.timeTicks(123_456_789) };
    case 5:
      return { oid: `1.3.6.1.2.1.31.1.1.1.6.${index}`, value: SnmpValue.counter64(9_876_543_210_123n + BigInt(index)) };
    case 6:
      return { oid: `1.3.6.1.2.1.4.20.1.1.10.0.0.${index % 256}`, value: SnmpValue.ipAddress(`10.0.0.${index % 256}`) };
    default:
      return { oid: base, value: SnmpValue.objectIdentifier('1.3.6.1.4.1.9.1.1208') };
  }
}

function makeCase(name: string, n: number): Case {
  const varbinds = Array.from({ length: n }, (_, i) => mixed(i, Math.floor(i / 8) + 1));
  return { name, varbinds, netSnmp: varbinds.map(toNetSnmp) };
}

/**
 * Ops/s of two functions measured in alternating slices, so that both see the same machine load (other processes,
 * CPU frequency): the ratio stays meaningful on a busy machine even when the absolute numbers move.
 */
function measurePair(a: () => unknown, b: () => unknown): [number, number] {
  for (let i = 0; i < 3000; i++) {
    a();
    b();
  }
  const slice = MS / 10;
  const runs = [0, 0];
  const spent = [0, 0];
  for (let round = 0; round < 10; round++) {
    [a, b].forEach((fn, k) => {
      const start = performance.now();
      let now = start;
      let n = 0;
      while (now - start < slice) {
        for (let i = 0; i < 200; i++) fn();
        n += 200;
        now = performance.now();
      }
      runs[k]! += n;
      spent[k]! += now - start;
    });
  }
  return [(runs[0]! * 1000) / spent[0]!, (runs[1]! * 1000) / spent[1]!];
}

const cases = [makeCase('Response, 10 mixed varbinds', 10), makeCase('GetBulk Response, 50 varbinds', 50)];
const rows: string[][] = [];
for (const c of cases) {
  const message: SnmpMessage = {
    version: 1,
    community: 'public',
    pdu: { type: 'Response', requestId: 1234567, errorStatus: 0, errorIndex: 0, varbinds: c.varbinds },
  };
  const ours = encodeMessage(message);
  const theirs = ns.Message.createCommunity(
    1,
    'public',
    ns.GetResponsePdu.createFromVariables(1234567, c.netSnmp, {}),
  ).toBuffer();
  if (Buffer.compare(Buffer.from(ours), theirs) !== 0) {
    throw new Error(`the two encoders disagree on "${c.name}": the comparison would not be fair`);
  }
  const bytes = Uint8Array.from(ours);
  const buffer = Buffer.from(ours);
  const [encOurs, encTheirs] = measurePair(
    () => encodeMessage(message),
    () =>
      ns.Message.createCommunity(1, 'public', ns.GetResponsePdu.createFromVariables(1234567, c.netSnmp, {})).toBuffer(),
  );
  const [decOurs, decTheirs] = measurePair(
    () => decodeMessage(bytes),
    () => ns.Message.createFromBuffer(buffer),
  );
  rows.push([c.name, 'encode', fmt(encOurs), fmt(encTheirs), `${(encOurs / encTheirs).toFixed(1)}x`]);
  rows.push([c.name, 'decode', fmt(decOurs), fmt(decTheirs), `${(decOurs / decTheirs).toFixed(1)}x`]);
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

const header = ['message', 'op', '@snmpkit/ber msg/s', 'net-snmp msg/s', 'ratio'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(`node ${process.version}, ${MS} ms per measurement, in alternating slices of ${MS / 10} ms`);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
