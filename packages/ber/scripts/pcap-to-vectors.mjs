#!/usr/bin/env node
// Turns a tcpdump capture of SNMP traffic on loopback into test vectors: one line per UDP payload,
// "<src-port>><dst-port> <hex>". Used to (re)build test/fixtures/net-snmp-vectors.txt from real Net-SNMP traffic.
// Usage: node scripts/pcap-to-vectors.mjs capture.pcap [label]
import { readFileSync } from 'node:fs';

const buf = readFileSync(process.argv[2]);
const label = process.argv[3] ?? '';
const little = buf.readUInt32LE(0) === 0xa1b2c3d4;
const u32 = (o) => (little ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
const linkType = u32(20);
let off = 24;
while (off + 16 <= buf.length) {
  const caplen = u32(off + 8);
  const pkt = buf.subarray(off + 16, off + 16 + caplen);
  off += 16 + caplen;
  let ip = 0;
  if (linkType === 1)
    ip = 14; // Ethernet (Linux loopback)
  else if (linkType === 113)
    ip = 16; // Linux cooked
  else if (linkType === 276) ip = 20; // Linux cooked v2
  const ver = pkt[ip] >> 4;
  let l4;
  let proto;
  if (ver === 4) {
    proto = pkt[ip + 9];
    l4 = ip + (pkt[ip] & 0x0f) * 4;
  } else if (ver === 6) {
    proto = pkt[ip + 6];
    l4 = ip + 40;
  } else continue;
  if (proto !== 17) continue;
  const sport = pkt.readUInt16BE(l4);
  const dport = pkt.readUInt16BE(l4 + 2);
  const payload = pkt.subarray(l4 + 8, l4 + pkt.readUInt16BE(l4 + 4));
  console.log(`${label}${label ? ' ' : ''}${sport}>${dport} ${payload.toString('hex')}`);
}
