/**
 * --json output against its JSON Schema (schema/json-output.schema.json) for get, walk, table and trapd, with MIB
 * modules (names, display texts, decoded table indexes) and without. The validator below implements the keywords
 * the schema uses (type, enum, pattern, required, properties, additionalProperties, items, $ref, oneOf).
 */
import { readFileSync } from 'node:fs';
import { SnmpValue } from '@snmpkit/ber';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../src/io.js';
import { main } from '../src/main.js';
import { type FixtureAgent, startFixtureAgent } from './fixture-agent.js';
import { firstJsonNotification, startTrapd } from './notification-harness.js';
import { runSnmpkit } from './run-snmpkit.js';

process.env.MIBS = '';

type Schema = Record<string, unknown>;
const SCHEMA = JSON.parse(
  readFileSync(new URL('../schema/json-output.schema.json', import.meta.url), 'utf8'),
) as Schema;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The schema's problems with a value, as `path: reason` lines (none: valid). */
function validate(value: unknown, schema: Schema, path = '$'): string[] {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/$defs/', '');
    return validate(value, (SCHEMA.$defs as Record<string, Schema>)[name]!, path);
  }
  if (Array.isArray(schema.oneOf)) {
    const passing = (schema.oneOf as Schema[]).filter((s) => validate(value, s, path).length === 0).length;
    return passing === 1 ? [] : [`${path}: matches ${passing} of oneOf`];
  }
  const problems: string[] = [];
  if (schema.type !== undefined) {
    const types = ([] as string[]).concat(schema.type as string | string[]);
    if (!types.includes(typeOf(value))) return [`${path}: ${typeOf(value)} is not ${types.join('|')}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    problems.push(`${path}: ${String(value)} not in enum`);
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(String(value))) {
    problems.push(`${path}: ${String(value)} does not match ${schema.pattern}`);
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of (schema.required as string[] | undefined) ?? []) {
      if (!(key in object)) problems.push(`${path}: ${key} is missing`);
    }
    const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const [key, item] of Object.entries(object)) {
      if (properties[key]) problems.push(...validate(item, properties[key], `${path}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${path}: ${key} is not allowed`);
      else if (typeof schema.additionalProperties === 'object') {
        problems.push(...validate(item, schema.additionalProperties as Schema, `${path}.${key}`));
      }
    }
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => {
      problems.push(...validate(item, schema.items as Schema, `${path}[${i}]`));
    });
  }
  return problems;
}

async function run(args: string[]) {
  const io = bufferIo('');
  const exitCode = await main(args, io);
  return { exitCode, stdout: io.stdout(), stderr: io.stderr() };
}

function records(stdout: string): Record<string, unknown>[] {
  const lines = stdout.trimEnd().split('\n');
  const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  for (const record of parsed) expect(validate(record, SCHEMA), JSON.stringify(record)).toEqual([]);
  return parsed;
}

const IF_ENTRY = '1.3.6.1.2.1.2.2.1';
const IP_ADDRESS = '1.3.6.1.2.1.4.34.1';
const V6_LOOPBACK = '2.16.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1';

describe('--json against its schema', () => {
  let agent: FixtureAgent;
  beforeAll(async () => {
    agent = await startFixtureAgent([
      { oid: `${IF_ENTRY}.1.1`, value: SnmpValue.integer(1) },
      { oid: `${IF_ENTRY}.2.1`, value: SnmpValue.octetString('lo') },
      { oid: `${IF_ENTRY}.6.1`, value: SnmpValue.octetString(Uint8Array.from([0, 0x16, 0x3e, 0x0a, 1, 0xc2])) },
      { oid: `${IF_ENTRY}.8.1`, value: SnmpValue.integer(1) },
      { oid: `${IP_ADDRESS}.3.1.4.127.0.0.1`, value: SnmpValue.integer(1) },
      { oid: `${IP_ADDRESS}.3.${V6_LOOPBACK}`, value: SnmpValue.integer(1) },
      { oid: `${IP_ADDRESS}.4.1.4.127.0.0.1`, value: SnmpValue.integer(1) },
      { oid: `${IP_ADDRESS}.4.${V6_LOOPBACK}`, value: SnmpValue.integer(1) },
    ]);
  });
  afterAll(async () => {
    await agent?.stop();
  });

  it('the validator finds what is wrong (so that a pass means something)', () => {
    expect(validate({ oid: '1.3', type: 'Integer', value: 1, display: '1', text: 'INTEGER: 1' }, SCHEMA)).not.toEqual(
      [],
    );
    const good = { oid: '1.3', name: 'iso.3', type: 'Integer', value: 1, display: '1', text: 'INTEGER: 1' };
    expect(validate(good, SCHEMA)).toEqual([]);
    expect(validate({ ...good, type: 'Integer32' }, SCHEMA)).not.toEqual([]);
    expect(validate({ ...good, extra: 1 }, SCHEMA)).not.toEqual([]);
    expect(validate({ index: '1', indexes: [{ name: 'x' }], columns: {} }, SCHEMA)).not.toEqual([]);
  });

  it('get: names and display texts with MIB modules (built in), numeric names without', async () => {
    const args = ['get', '-v2c', '-c', 'public', '--json', '-m', 'IF-MIB', agent.peer];
    const got = records((await run([...args, 'IF-MIB::ifDescr.1', 'ifPhysAddress.1', 'ifOperStatus.1'])).stdout);
    expect(got.map((r) => [r.oid, r.name, r.display])).toEqual([
      [`${IF_ENTRY}.2.1`, 'IF-MIB::ifDescr.1', 'lo'],
      [`${IF_ENTRY}.6.1`, 'IF-MIB::ifPhysAddress.1', '0:16:3e:a:1:c2'],
      [`${IF_ENTRY}.8.1`, 'IF-MIB::ifOperStatus.1', 'up'],
    ]);
    expect(got[2]).toMatchObject({ type: 'Integer', value: 1, text: 'INTEGER: up(1)' });
    const numeric = records(
      (await run(['get', '-v2c', '-c', 'public', '--json', agent.peer, `${IF_ENTRY}.8.1`])).stdout,
    );
    expect(numeric[0]).toMatchObject({ name: 'iso.3.6.1.2.1.2.2.1.8.1', display: '1', text: 'INTEGER: 1' });
    const flagged = records((await run([...args, '-On', 'ifOperStatus.1'])).stdout);
    expect(flagged[0]).toMatchObject({ name: '.1.3.6.1.2.1.2.2.1.8.1', display: 'up' });
  });

  it('walk: InetAddress indexes named as Net-SNMP names them', async () => {
    const walked = records(
      (await run(['walk', '-v2c', '-c', 'public', '--json', '-m', 'IP-MIB', agent.peer, 'IP-MIB::ipAddressIfIndex']))
        .stdout,
    );
    expect(walked.map((r) => r.name)).toEqual([
      'IP-MIB::ipAddressIfIndex.ipv4."127.0.0.1"',
      'IP-MIB::ipAddressIfIndex.ipv6."00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:01"',
    ]);
  });

  it('table: rows with decoded index parts and named cells', async () => {
    const rows = records(
      (await run(['table', '-v2c', '-c', 'public', '--json', '-m', 'IP-MIB', agent.peer, 'IP-MIB::ipAddressTable']))
        .stdout,
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]!.indexes).toEqual([
      { name: 'ipAddressAddrType', text: 'ipv4', value: 1, label: 'ipv4' },
      { name: 'ipAddressAddr', text: '"127.0.0.1"', hex: '7f000001', address: '127.0.0.1' },
    ]);
    expect((rows[1]!.indexes as { address?: string }[])[1]!.address).toBe('::1');
    expect(rows[0]!.columns).toMatchObject({
      '3': { name: 'IP-MIB::ipAddressIfIndex.ipv4."127.0.0.1"', value: 1 },
      '4': { name: 'IP-MIB::ipAddressType.ipv4."127.0.0.1"', display: 'unicast' },
    });
    // Without MIB modules: no decoded parts, numeric names.
    const bare = records(
      (await run(['table', '-v2c', '-c', 'public', '--json', agent.peer, '1.3.6.1.2.1.4.34'])).stdout,
    );
    expect(bare[0]).toMatchObject({ index: '1.4.127.0.0.1', indexes: [] });
  });

  it('trapd: each notification, its trap OID named, its varbinds with names and display texts', async () => {
    const trapd = await startTrapd(['--json', '-m', 'IF-MIB']);
    try {
      const sent = await runSnmpkit([
        'trap',
        '-v2c',
        '-c',
        'kit',
        `127.0.0.1:${trapd.port}`,
        '321',
        '1.3.6.1.6.3.1.1.5.3',
        `${IF_ENTRY}.8.7`,
        'i',
        '2',
      ]);
      expect(sent.exitCode).toBe(0);
      const record = (await firstJsonNotification(trapd)) as Record<string, unknown>;
      expect(validate(record, SCHEMA)).toEqual([]);
      expect(record).toMatchObject({ trapOid: '1.3.6.1.6.3.1.1.5.3', trapName: 'IF-MIB::linkDown' });
      expect(record.varbinds).toContainEqual(
        expect.objectContaining({ name: 'IF-MIB::ifOperStatus.7', display: 'down', value: 2 }),
      );
    } finally {
      await trapd.stop();
    }
  });
});
