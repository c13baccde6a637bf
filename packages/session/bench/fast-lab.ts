/**
 * A device lab that is not the bottleneck of the poller benchmark: `count` devices, each on its own loopback address
 * (127.2.0.1, 127.2.0.2 ...) behind one shared UDP socket (@snmpkit/transport's listenUdpShared; a socket each where
 * the addon is not built), all serving the same data (the CLI's sample switch) from
 * pre-encoded varbinds as bench/fast-responder.ts does (a GET is a lookup per OID, a GETBULK a slice of the sorted
 * list; only the request-id is copied in). What it shows: the clients' own cost, where the simulator's lab (a full
 * agent per device) makes every client wait for it.
 *
 * Run by bench/poller.bench.ts: tsx bench/fast-lab.ts COUNT TARGETS-FILE (prints `ready`, serves until stdin ends).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Device } from '@snmpkit/simulator';
import { freeUdpPort } from '@snmpkit/testkit';
import { listen, listenUdpShared, type Remote, sharedUdpUnavailable } from '@snmpkit/transport';
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

const endpoints: string[] = [];
const stops: (() => Promise<void>)[] = [];
const address = (n: number) => `127.2.${n >> 8}.${n & 0xff}`;
const handler = (message: Uint8Array, remote: Remote) => {
  const reply = answer(Buffer.from(message.buffer, message.byteOffset, message.byteLength));
  if (reply) remote.send(reply);
};
if (sharedUdpUnavailable() === undefined) {
  // One socket for every device (the device lab's design): the clients, not the lab's sockets, are the limit.
  const shared = listenUdpShared({ port: await freeUdpPort() });
  for (let n = 1; n <= count; n++) {
    shared.serve(address(n), handler);
    endpoints.push(`${address(n)}:${shared.port}`);
  }
  stops.push(() => shared.close());
} else {
  for (let n = 1; n <= count; n++) {
    const listener = await listen(`udp:${address(n)}:0`, { onMessage: handler });
    endpoints.push(`${address(n)}:${listener.port}`);
    stops.push(() => listener.close());
  }
}
writeFileSync(targetsFile, `${endpoints.join('\n')}\n`);
process.stdout.write('ready\n');
const stop = () => {
  void Promise.all(stops.map((s) => s())).then(() => process.exit(0));
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
