/**
 * `npm start` at the root: the main job on the embedded default. The simulator serves the bundled sample device
 * (data/sample-device.snmprec: a switch with the system group, ifTable and ifXTable with 64-bit counters, an
 * ipAddrTable and a few enterprise values) on a free loopback port, and the snmpkit binary walks it, printing
 * exactly what snmpwalk would print.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '@snmpkit/simulator';

const here = dirname(fileURLToPath(import.meta.url));
const data = join(here, '../data/sample-device.snmprec');
const simulator = await startSimulator({ data, listen: ['udp:127.0.0.1:0'] });
try {
  const [endpoint] = simulator.endpoints;
  // The modules named (built into @snmpkit/mib where the files are missing) give names and enums, as snmpwalk prints
  // them on a machine with the standard MIB files; named, because snmp.conf may load none (Debian's says `mibs :`).
  const args = ['walk', '-v2c', '-c', 'public', '-m', 'SNMPv2-MIB:IF-MIB:IP-MIB', endpoint!, '.1.3.6.1'];
  console.log(`simulator: ${data} listening on ${endpoint}`);
  console.log(`$ snmpkit ${args.join(' ')}`);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, '../bin/snmpkit.js'), ...args], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', resolve);
  });
  process.exitCode = exitCode ?? 1;
} finally {
  await simulator.close();
}
