/**
 * Names in the library: @snmpkit/session's NamedSession over @snmpkit/mib's Mib (joined structurally: neither
 * package imports the other), against a real snmpd and Net-SNMP's tools reading the same module files.
 */
import { fileURLToPath } from 'node:url';
import { Mib } from '@snmpkit/mib';
import { NamedSession, type OidNames, Session, UnknownNameError } from '@snmpkit/session';
import { runNetSnmp, type SnmpdInstance, startSnmpd } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const NPM_MIBS = fileURLToPath(new URL('../../../node_modules/net-snmp/lib/mibs', import.meta.url));
const MODULES = ['-M', NPM_MIBS, '-m', 'SNMPv2-MIB:IF-MIB'];

describe('NamedSession over a Mib, against snmpd and snmpget/snmpwalk', () => {
  let agent: SnmpdInstance;
  let named: NamedSession;
  // The same module files Net-SNMP reads; the built-in modules fill in what is not there (IP-MIB's tables).
  const mib = new Mib({ dirs: [NPM_MIBS], modules: ['SNMPv2-MIB', 'IF-MIB'], env: {} });
  beforeAll(async () => {
    agent = await startSnmpd({ transports: ['udp'] });
    const session = await Session.open({ peer: agent.endpoints.udp!, community: 'public', timeout: 2000, retries: 2 });
    // Compile-time check that a Mib is an OidNames, with no import between the two packages.
    const names: OidNames = mib;
    named = new NamedSession(session, names);
  });
  afterAll(async () => {
    await named?.close();
    await agent?.stop();
  });

  it('GET by name in every form; names and display texts equal snmpget and snmpget -Oqv', async () => {
    const inputs = ['SNMPv2-MIB::sysDescr.0', 'sysObjectID.0', '.1.3.6.1.2.1.1.5.0', 'IF-MIB::ifDescr.1', 'ifType.1'];
    const varbinds = await named.get(inputs);
    expect(varbinds.map((vb) => vb.oid)).toEqual([
      '1.3.6.1.2.1.1.1.0',
      '1.3.6.1.2.1.1.2.0',
      '1.3.6.1.2.1.1.5.0',
      '1.3.6.1.2.1.2.2.1.2.1',
      '1.3.6.1.2.1.2.2.1.3.1',
    ]);
    const oids = varbinds.map((vb) => vb.oid);
    const [full, quick] = await Promise.all([
      runNetSnmp('snmpget', ['-v2c', '-c', 'public', ...MODULES, agent.endpoints.udp!, ...oids]),
      runNetSnmp('snmpget', ['-v2c', '-c', 'public', ...MODULES, '-Oqv', agent.endpoints.udp!, ...oids]),
    ]);
    expect(varbinds.map((vb) => vb.name)).toEqual(
      full.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split(' = ')[0]),
    );
    expect(varbinds.map((vb) => vb.display)).toEqual(quick.stdout.trimEnd().split('\n'));
    // The typed value is untouched: ifType is a number, its display the enumeration's label.
    expect(varbinds[4]!.value.type).toBe('Integer');
    expect(typeof (varbinds[4]!.value as { value: unknown }).value).toBe('number');
    expect(varbinds[4]!.display).toMatch(/^[a-zA-Z]/);
  });

  it('an unknown name fails before sending, with Net-SNMP wording', async () => {
    const sent = named.session.stats.requests;
    const error = await named.get(['sysDescr.0', 'nosuchThing.0']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownNameError);
    expect((error as UnknownNameError).code).toBe('ERR_SNMP_UNKNOWN_NAME');
    expect((error as UnknownNameError).snmpError.name).toBe('SNMPERR_UNKNOWN_OBJID');
    const theirs = await runNetSnmp('snmpget', [
      '-v2c',
      '-c',
      'public',
      ...MODULES,
      agent.endpoints.udp!,
      'nosuchThing.0',
    ]);
    expect(`${(error as Error).message}\n`).toBe(theirs.stderr);
    expect(named.session.stats.requests).toBe(sent);
  });

  it('walks by name; every name equals snmpwalk', async () => {
    const ours: string[] = [];
    for await (const vb of named.walk('system')) ours.push(vb.name);
    const theirs = await runNetSnmp('snmpwalk', ['-v2c', '-c', 'public', ...MODULES, agent.endpoints.udp!, 'system']);
    const names = theirs.stdout
      .trimEnd()
      .split('\n')
      .filter((l) => l.includes(' = '))
      .map((l) => l.split(' = ')[0]);
    expect(ours.length).toBeGreaterThan(5);
    expect(ours.filter((n) => !n.startsWith('SNMPv2-MIB::sysORUpTime'))).toEqual(
      names.filter((n) => !n!.startsWith('SNMPv2-MIB::sysORUpTime')),
    );
  });

  it('table(): rows with column names and decoded index parts (ifTable, IP-MIB::ipAddressTable)', async () => {
    const ifRows = await named.table('IF-MIB::ifTable');
    expect(ifRows.length).toBeGreaterThan(0);
    const first = ifRows[0]!;
    expect(first.indexes).toEqual([{ name: 'ifIndex', value: Number(first.index), implied: false, text: first.index }]);
    expect(first.columns.ifDescr?.name).toBe(`IF-MIB::ifDescr.${first.index}`);
    expect(Object.keys(first.columns)).toContain('ifOperStatus');

    const rows = await named.table('IP-MIB::ipAddressTable');
    const addresses = rows.map((row) => row.indexes[1]?.address);
    expect(addresses).toContain('127.0.0.1');
    expect(addresses).toContain('::1');
    const loopback = rows.find((row) => row.indexes[1]?.address === '127.0.0.1')!;
    expect(loopback.index).toBe('1.4.127.0.0.1');
    expect(loopback.indexes.map((p) => p.text)).toEqual(['ipv4', '"127.0.0.1"']);
    expect(loopback.columns.ipAddressIfIndex?.name).toBe('IP-MIB::ipAddressIfIndex.ipv4."127.0.0.1"');
    // The index value of the loopback interface agrees with the row of ifTable named by it.
    const ifIndex = (loopback.columns.ipAddressIfIndex!.value as { value: number }).value;
    expect(ifRows.some((row) => row.index === String(ifIndex))).toBe(true);
  });

  it('requests by an InetAddress index name, in Net-SNMP form and the usual one', async () => {
    const [a, b] = await named.get(['IP-MIB::ipAddressIfIndex.ipv4."127.0.0.1"', 'ipAddressIfIndex.ipv6."::1"']);
    expect(a!.oid).toBe('1.3.6.1.2.1.4.34.1.3.1.4.127.0.0.1');
    expect(a!.value.type).toBe('Integer');
    expect(b!.oid).toBe('1.3.6.1.2.1.4.34.1.3.2.16.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1');
    expect(b!.name).toBe('IP-MIB::ipAddressIfIndex.ipv6."00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:01"');
  });
});
