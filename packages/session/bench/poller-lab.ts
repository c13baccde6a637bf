/**
 * The device lab of the poller benchmark, in its own process: `count` devices made from the CLI's sample switch
 * (system group, ifTable of 4 interfaces x 14 columns), each on its own loopback address (127.1.0.1, 127.1.0.2 ...),
 * all on one port free on every address, as a lab on port 161 would be: behind one socket where @snmpkit/udp-pktinfo
 * is built (the lab's default), else a socket each. Writes the devices' `address:port`, one per line, to `targetsFile`, then prints
 * `ready` and serves until stdin closes (its parent ended) or SIGTERM.
 *
 * Run by bench/poller.bench.ts: tsx bench/poller-lab.ts COUNT TARGETS-FILE
 */
import { writeFileSync } from 'node:fs';
import { startLab } from '@snmpkit/simulator';
import { freeUdpPort } from '@snmpkit/testkit';
import { TEMPLATE } from './poller-data.js';

const [count, targetsFile] = [Number(process.argv[2]), process.argv[3]];
if (!(count > 0) || !targetsFile) throw new Error('usage: poller-lab.ts COUNT TARGETS-FILE');
const lab = await startLab({ groups: [{ name: 'switches', template: TEMPLATE, count, port: await freeUdpPort() }] });
process.stderr.write(
  `  (the lab's UDP: ${lab.groups[0]!.sockets === 'shared' ? 'one socket' : 'a socket per device'})\n`,
);
writeFileSync(targetsFile, `${lab.devices.map((d) => d.endpoints[0]!.replace(/^udp:/, '')).join('\n')}\n`);
process.stdout.write('ready\n');
const stop = () => {
  void lab.close().then(() => process.exit(0));
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
