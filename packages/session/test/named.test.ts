import type { SnmpValue, VarBind } from '@snmpkit/ber';
import { describe, expect, it } from 'vitest';
import { type NamedIndex, NamedSession, type OidNames, Session, UnknownNameError } from '../src/index.js';
import { FakeTransport, responseTo } from './helpers.js';

/** A name source of three names, written here: the session takes any object of the OidNames shape. */
const NAMES: Record<string, string> = {
  sysDescr: '1.3.6.1.2.1.1.1',
  ifDescr: '1.3.6.1.2.1.2.2.1.2',
  ifTable: '1.3.6.1.2.1.2.2',
};
const fakeNames: OidNames = {
  oidOf(text) {
    const [label, ...index] = text.split('.');
    const base = NAMES[label!];
    if (!base) throw new Error(`${text}: Unknown Object Identifier (Sub-id not found: (top) -> ${label})`);
    return [...base.split('.'), ...index].map(Number);
  },
  nameOf(oid) {
    for (const [label, base] of Object.entries(NAMES))
      if (oid.startsWith(`${base}.`)) return `${label}${oid.slice(base.length)}`;
    return oid;
  },
  displayOf(_oid, value: SnmpValue) {
    return value.type === 'OctetString'
      ? Buffer.from(value.value).toString('latin1')
      : String('value' in value ? value.value : '');
  },
  indexOf(oid): NamedIndex | undefined {
    const base = NAMES.ifDescr!;
    if (!oid.startsWith(`${base}.`)) return undefined;
    const index = Number(oid.slice(base.length + 1));
    return {
      node: { label: 'ifDescr', module: 'IF-MIB' },
      indexes: [{ name: 'ifIndex', value: index, implied: false, text: String(index) }],
      rest: [],
    };
  },
};

async function scripted(answer: (request: Uint8Array) => Uint8Array) {
  const transport = new FakeTransport();
  transport.onSend = (message) => {
    const reply = answer(message);
    queueMicrotask(() => transport.deliver(reply));
  };
  const session = await Session.open({ transport, timeout: 200, retries: 0 });
  return { transport, named: new NamedSession(session, fakeNames) };
}

const text = (s: string): SnmpValue => ({ type: 'OctetString', value: new TextEncoder().encode(s) });

describe('NamedSession over any OidNames', () => {
  it('resolves names before sending, passes numbers through, and names what comes back', async () => {
    const { transport, named } = await scripted((request) =>
      responseTo(request, [
        { oid: '1.3.6.1.2.1.1.1.0', value: text('box') },
        { oid: '1.3.6.1.2.1.2.2.1.2.3', value: text('eth0') },
      ]),
    );
    const varbinds = await named.get(['sysDescr.0', '.1.3.6.1.2.1.2.2.1.2.3']);
    expect(transport.request().pdu.varbinds.map((vb: VarBind) => vb.oid)).toEqual([
      '1.3.6.1.2.1.1.1.0',
      '1.3.6.1.2.1.2.2.1.2.3',
    ]);
    expect(varbinds.map((vb) => [vb.name, vb.display, vb.value.type])).toEqual([
      ['sysDescr.0', 'box', 'OctetString'],
      ['ifDescr.3', 'eth0', 'OctetString'],
    ]);
    await named.close();
  });

  it("an unknown name rejects with UnknownNameError carrying the source's words; nothing is sent", async () => {
    const { transport, named } = await scripted((request) => responseTo(request));
    const error = await named.get(['sysDescr.0', 'bogus.0']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownNameError);
    expect((error as Error).message).toBe('bogus.0: Unknown Object Identifier (Sub-id not found: (top) -> bogus)');
    expect((error as UnknownNameError).input).toBe('bogus.0');
    expect(transport.sent).toHaveLength(0);
    await expect(named.set([{ oid: 'nope.0', value: { type: 'Null' } }])).rejects.toBeInstanceOf(UnknownNameError);
    expect(transport.sent).toHaveLength(0);
    await named.close();
  });

  it('table(): rows keyed by column name with decoded indexes; unknown columns by number', async () => {
    const rows = [
      { oid: '1.3.6.1.2.1.2.2.1.2.1', value: text('lo') },
      { oid: '1.3.6.1.2.1.2.2.1.2.2', value: text('eth0') },
      { oid: '1.3.6.1.2.1.2.2.1.9.1', value: { type: 'TimeTicks', value: 5 } as SnmpValue },
      { oid: '1.3.6.1.2.2', value: { type: 'Integer', value: 0 } as SnmpValue },
    ];
    const { named } = await scripted((request) => responseTo(request, rows));
    const table = await named.table('ifTable');
    expect(table.map((row) => row.index)).toEqual(['1', '2']);
    expect(table[0]!.indexes).toEqual([{ name: 'ifIndex', value: 1, implied: false, text: '1' }]);
    expect(Object.keys(table[0]!.columns).sort()).toEqual(['9', 'ifDescr']);
    expect(table[1]!.columns.ifDescr).toMatchObject({ name: 'ifDescr.2', display: 'eth0' });
    await named.close();
  });
});
