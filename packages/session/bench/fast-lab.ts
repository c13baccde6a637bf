/**
 * A device lab that is not the bottleneck of the poller benchmark: `count` devices, each a UDP socket of its own on
 * its own loopback address (127.2.0.1, 127.2.0.2 ...), all serving the same data (the CLI's sample switch) from
 * pre-encoded varbinds as bench/fast-responder.ts does (a GET is a lookup per OID, a GETBULK a slice of the sorted
 * list; only the request-id is copied in). What it shows: the clients' own cost, where the simulator's lab (a full
 * agent per device) makes every client wait for it.
 *
 * Run by bench/poller.bench.ts: tsx bench/fast-lab.ts COUNT TARGETS-FILE (prints `ready`, serves until stdin ends).
 */
import dgram from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { Device } from '@snmpkit/simulator';
import { encodeVarbind, oidKey, parseRequest, tlv } from './fast-responder.js';
import { TEMPLATE } from './poller-data.js';

const [count, targetsFile] = [Number(process.argv[2]), process.argv[3]];
if (!(count > 0) || !targetsFile) throw new Error('usage: fast-lab.ts COUNT TARGETS-FILE');

const community = Buffer.from('public');
const version = tlv(0x02, Buffer.from([1]));
const communityTlv = tlv(0x04, community);
const zero = tlv(0x02, Buffer.from([0]));
const sorted = Device.fromSnmprec(readFileSync(TEMPLATE, 'latin1')).varbinds().map(encodeVarbind);
const indexByKey = new Map(sorted.map((vb, i) => [oidKey(vb), i]));
/** GETNEXT/GETBULK from an OID the device has not (a walk's root): the first one after it. */
const WALK_ROOTS: Record<string, string> = { '1.3.6.1.2.1.2.2': '1.3.6.1.2.1.2.2.1.1.1' };
for (const [root, first] of Object.entries(WALK_ROOTS)) {
  const key = (oid: string) => oidKey(encodeVarbind({ oid, value: { type: 'Null' } }));
  indexByKey.set(key(root), indexByKey.get(key(first))! - 1);
}
const noSuchObject = (key: string) => tlv(0x30, Buffer.from(key, 'latin1'), Buffer.from([0x80, 0]));
const endOfMib = (key: string) => tlv(0x30, Buffer.from(key, 'latin1'), Buffer.from([0x82, 0]));

function answer(message: Buffer): Buffer | undefined {
  const req = parseRequest(message, community);
  if (!req) return undefined;
  let varbinds: Buffer[];
  if (req.pduTag === 0xa0) {
    varbinds = req.oidKeys.map((key) => {
      const at = indexByKey.get(key);
      return at === undefined ? noSuchObject(key) : sorted[at]!;
    });
  } else {
    const at = indexByKey.get(req.firstOidKey);
    const from = at === undefined ? sorted.length : at + 1;
    const wanted = req.pduTag === 0xa5 ? Math.max(1, req.maxRepetitions) : 1;
    varbinds = sorted.slice(from, from + wanted);
    if (varbinds.length < wanted) varbinds.push(endOfMib(req.firstOidKey));
  }
  return tlv(0x30, version, communityTlv, tlv(0xa2, req.requestIdTlv, zero, zero, tlv(0x30, ...varbinds)));
}

const sockets: dgram.Socket[] = [];
const endpoints: string[] = [];
for (let i = 0; i < count; i++) {
  const n = i + 1;
  const address = `127.2.${n >> 8}.${n & 0xff}`;
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, rinfo) => {
    const reply = answer(message);
    if (reply) socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, address, () => resolve());
  });
  sockets.push(socket);
  endpoints.push(`${address}:${socket.address().port}`);
}
writeFileSync(targetsFile, `${endpoints.join('\n')}\n`);
process.stdout.write('ready\n');
const stop = () => {
  for (const s of sockets) s.close();
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
