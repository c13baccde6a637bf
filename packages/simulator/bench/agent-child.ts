/**
 * Runs one agent in its own process so that the load generator does not share its CPU, and reports how long the
 * table took to load and the process's memory: `tsx agent-child.ts simulator|net-snmp ROWS [file]`.
 * Prints one JSON line {port, loadMs, rssMB} once listening, then serves until killed.
 */
import dgram from 'node:dgram';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, Device } from '@snmpkit/simulator';
import { COLUMNS, cell, TABLE_ENTRY, tableSnmprec } from './table.js';

const [kind, rowsText, fileArg] = process.argv.slice(2);
const rows = Number(rowsText);

async function simulator(): Promise<number> {
  const file = fileArg ?? join(tmpdir(), `snmpkit-bench-${process.pid}.snmprec`);
  if (!fileArg) await writeFile(file, tableSnmprec(rows));
  const started = performance.now();
  const device = Device.fromSnmprec(await readFile(file, 'latin1'));
  const loadMs = performance.now() - started;
  const agent = new Agent({ device });
  const listener = await agent.listen('udp:127.0.0.1:0');
  report(listener.port, loadMs, { oids: device.size });
  return listener.port;
}

async function netSnmp(): Promise<void> {
  // @ts-expect-error: net-snmp ships no type declarations
  const snmp = (await import('net-snmp')).default;
  // net-snmp turns port 0 into 161: pick a free port first.
  const port = await freePort();
  const started = performance.now();
  const agent = snmp.createAgent({ port, address: '127.0.0.1', disableAuthorization: true }, () => {});
  const mib = agent.getMib();
  const typeOf = {
    integer: snmp.ObjectType.Integer,
    string: snmp.ObjectType.OctetString,
    counter: snmp.ObjectType.Counter,
  };
  const sample = (c: number) => cell(c, 1).type;
  mib.registerProvider({
    name: 'benchTable',
    type: snmp.MibProviderType.Table,
    oid: TABLE_ENTRY,
    maxAccess: snmp.MaxAccess['not-accessible'],
    tableColumns: Array.from({ length: COLUMNS }, (_, i) => ({
      number: i + 1,
      name: `col${i + 1}`,
      type: typeOf[sample(i + 1)],
      maxAccess: snmp.MaxAccess['read-only'],
    })),
    tableIndex: [{ columnName: 'col1' }],
  });
  for (let r = 1; r <= rows; r++) {
    mib.addTableRow(
      'benchTable',
      Array.from({ length: COLUMNS }, (_, i) => cell(i + 1, r).value),
    );
  }
  const loadMs = performance.now() - started;
  agent.getAuthorizer().addCommunity('public');
  await new Promise((resolve) => setTimeout(resolve, 100)); // it binds asynchronously
  report(port, loadMs, {});
}

async function freePort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

function report(port: number, loadMs: number, extra: Record<string, number>): void {
  globalThis.gc?.();
  console.log(JSON.stringify({ port, loadMs, rssMB: process.memoryUsage().rss / 1e6, ...extra }));
}

if (kind === 'simulator') await simulator();
else if (kind === 'net-snmp') await netSnmp();
else throw new Error(`unknown agent kind ${kind}`);
