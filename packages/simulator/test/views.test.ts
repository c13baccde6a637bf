import { decodeSecureMessage, encodeSecureMessage, UsmKeyStore, usmMessage } from '@snmpkit/usm';
import { describe, expect, it } from 'vitest';
import { Agent, Device, ErrorStatus, MibView, parseViews, ViewConfigError } from '../src/index.js';
import { ask, bulkPdu, getPdu, setPdu, show } from './helpers.js';

const DATA = `1.3.6.1.2.1.1.1.0|4|Test device
1.3.6.1.2.1.1.5.0|4|name
1.3.6.1.2.1.1.6.0|4|location
1.3.6.1.2.1.2.1.0|2|2
1.3.6.1.2.1.2.2.1.1.1|2|1
1.3.6.1.2.1.2.2.1.1.2|2|2
1.3.6.1.2.1.2.2.1.2.1|4|eth0
1.3.6.1.2.1.2.2.1.2.2|4|eth1
1.3.6.1.2.1.2.2.1.10.1|65|100
1.3.6.1.2.1.2.2.1.10.2|65|200
1.3.6.1.2.1.4.1.0|2|1
1.3.6.1.2.1.25.1.1.0|67|100
`;

const VIEWS = `# views as snmpd.conf writes them
view systemonly included .1.3.6.1.2.1.1
view noifdescr  included .1
view noifdescr  excluded .1.3.6.1.2.1.2.2.1.2
view ifrow1     included .1.3.6.1.2.1.2.2.1.0.1 ff.c0   # a comment after a line
`;

function oids(pdu: { varbinds: { oid: string }[] }): string[] {
  return pdu.varbinds.map((vb) => vb.oid);
}

describe('MibView (RFC 3415 §5.2)', () => {
  const views = parseViews(VIEWS, 'snmpd.conf');

  it('includes what the longest matching family includes, and nothing no family matches', () => {
    const sys = views.get('systemonly')!;
    expect(sys.includes('1.3.6.1.2.1.1.5.0')).toBe(true);
    expect(sys.includes('1.3.6.1.2.1.1')).toBe(true);
    expect(sys.includes('1.3.6.1.2.1.2.1.0')).toBe(false);
    expect(sys.includes('1.3.6.1.2.1')).toBe(false); // shorter than the subtree
    const noDescr = views.get('noifdescr')!;
    expect(noDescr.includes('1.3.6.1.2.1.2.2.1.2.1')).toBe(false);
    expect(noDescr.includes('1.3.6.1.2.1.2.2.1.1.1')).toBe(true);
    expect(noDescr.includes('1.3.6.1.2.1.2.2.1.20.1')).toBe(true);
  });

  it('reads masks bit by bit: 0 bits are wildcards, bits past the mask are 1', () => {
    // ff.c0 = 11111111 11000000: the first ten sub-identifiers must match, the 11th (ifIndex) is a wildcard.
    const row = views.get('ifrow1')!;
    expect(row.includes('1.3.6.1.2.1.2.2.1.0.7')).toBe(true);
    expect(row.includes('1.3.6.1.2.1.2.2.1.1.1')).toBe(false);
    const wildColumn = new MibView([{ subtree: '1.3.6.1.2.1.2.2.1.0.1', mask: 'ff.a0', type: 'included' }]);
    // ff.a0 = 11111111 101: the 10th sub-identifier (the column) is a wildcard, the 11th (ifIndex 1) must match.
    expect(wildColumn.includes('1.3.6.1.2.1.2.2.1.2.1')).toBe(true);
    expect(wildColumn.includes('1.3.6.1.2.1.2.2.1.10.1')).toBe(true);
    expect(wildColumn.includes('1.3.6.1.2.1.2.2.1.10.2')).toBe(false);
  });

  it('breaks a tie between families of the same length by the greatest subtree', () => {
    const view = new MibView([
      { subtree: '1.3.6.1.2.1.2.2.1.1.1', mask: 'ff.e0', type: 'included' }, // exact: ifIndex.1
      { subtree: '1.3.6.1.2.1.2.2.1.1.2', mask: 'ff.c0', type: 'excluded' }, // ifIndex.* (wildcard last)
    ]);
    // Both match 1.3.6.1.2.1.2.2.1.1.1; the greater subtree (…1.1.2, excluded) decides.
    expect(view.includes('1.3.6.1.2.1.2.2.1.1.1')).toBe(false);
  });

  it('jumps past an excluded subtree, and knows where the view ends', () => {
    const noDescr = views.get('noifdescr')!;
    expect(noDescr.resumeAfter('1.3.6.1.2.1.2.2.1.2.1')).toEqual({ oid: '1.3.6.1.2.1.2.2.1.3', inclusive: true });
    const sys = views.get('systemonly')!;
    expect(sys.resumeAfter('1.3.6.1.2.1')).toEqual({ oid: '1.3.6.1.2.1.1', inclusive: true });
    expect(sys.resumeAfter('1.3.6.1.2.1.2.1.0')).toBeUndefined();
    expect(sys.resumeAfter('1.3.6.1.2.1.0.5')).toEqual({ oid: '1.3.6.1.2.1.1', inclusive: true });
  });

  it('names the file and line of a bad view line', () => {
    expect(() => parseViews('view a included .1\nview b maybe .1.3\n', 'lab.conf')).toThrow(
      /lab\.conf:2: .*"maybe" is neither included nor excluded/,
    );
    expect(() => parseViews('view a included system\n', 'lab.conf')).toThrow(ViewConfigError);
    expect(() => parseViews('view a included .1.3 zz\n', 'lab.conf')).toThrow(/lab\.conf:1: mask "zz"/);
  });
});

describe('views at the agent', () => {
  const views = parseViews(VIEWS);
  function agent() {
    return new Agent({
      device: Device.fromSnmprec(DATA),
      views,
      communities: [
        { name: 'public', access: 'ro', readView: 'systemonly' },
        { name: 'private', access: 'rw', readView: 'noifdescr' },
        { name: 'all', access: 'rw' },
      ],
    });
  }

  it('a read-only community that sees only the system group: GET outside is noSuchObject (v2c), noSuchName (v1)', async () => {
    const a = agent();
    const r = await ask(a, getPdu('GetRequest', '1.3.6.1.2.1.1.5.0', '1.3.6.1.2.1.2.1.0'), 'public');
    expect(show(r.varbinds)).toEqual(['1.3.6.1.2.1.1.5.0 = OctetString:name', '1.3.6.1.2.1.2.1.0 = NoSuchObject']);
    const v1 = await ask(a, getPdu('GetRequest', '1.3.6.1.2.1.1.5.0', '1.3.6.1.2.1.2.1.0'), 'public', 0);
    expect(v1.errorStatus).toBe(ErrorStatus.noSuchName);
    expect(v1.errorIndex).toBe(2);
  });

  it('GETNEXT and GETBULK stay inside the view and end where it ends', async () => {
    const a = agent();
    const next = await ask(a, getPdu('GetNextRequest', '1.3.6.1.2.1.1.6.0', '0.0'), 'public');
    expect(show(next.varbinds)).toEqual([
      '1.3.6.1.2.1.1.6.0 = EndOfMibView',
      '1.3.6.1.2.1.1.1.0 = OctetString:Test device',
    ]);
    const v1 = await ask(a, getPdu('GetNextRequest', '1.3.6.1.2.1.1.6.0'), 'public', 0);
    expect(v1.errorStatus).toBe(ErrorStatus.noSuchName);
    const bulk = await ask(a, bulkPdu(0, 10, '1.3.6.1.2.1'), 'private');
    expect(oids(bulk)).toEqual([
      '1.3.6.1.2.1.1.1.0',
      '1.3.6.1.2.1.1.5.0',
      '1.3.6.1.2.1.1.6.0',
      '1.3.6.1.2.1.2.1.0',
      '1.3.6.1.2.1.2.2.1.1.1',
      '1.3.6.1.2.1.2.2.1.1.2',
      // ifDescr (…2.2.1.2) is excluded: skipped
      '1.3.6.1.2.1.2.2.1.10.1',
      '1.3.6.1.2.1.2.2.1.10.2',
      '1.3.6.1.2.1.4.1.0',
      '1.3.6.1.2.1.25.1.1.0',
    ]);
  });

  it('jumps over an excluded subtree with one lookup, not one per OID', async () => {
    const lines: string[] = [];
    for (let i = 1; i <= 5000; i++) lines.push(`1.3.6.1.2.1.2.2.1.2.${i}|4|if${i}`);
    const device = Device.fromSnmprec(`${DATA}${lines.join('\n')}\n`);
    let lookups = 0;
    const readNext = device.readNext.bind(device);
    device.readNext = (...args: Parameters<Device['readNext']>) => {
      lookups++;
      return readNext(...args);
    };
    const a = new Agent({ device, views, communities: [{ name: 'private', readView: 'noifdescr' }] });
    const r = await ask(a, getPdu('GetNextRequest', '1.3.6.1.2.1.2.2.1.1.2'), 'private');
    expect(oids(r)).toEqual(['1.3.6.1.2.1.2.2.1.10.1']);
    expect(lookups).toBe(2);
  });

  it('a SET outside the write view is noAccess (noSuchName in v1); inside it is written', async () => {
    const device = Device.fromSnmprec(DATA);
    device.setWritable('1.3.6.1.2.1.1.6.0');
    device.setWritable('1.3.6.1.2.1.2.2.1.2.1');
    const a = new Agent({
      device,
      views,
      communities: [{ name: 'private', access: 'rw', readView: 'noifdescr' }],
    });
    const value = { type: 'OctetString' as const, value: new TextEncoder().encode('x') };
    const refused = await ask(a, setPdu(['1.3.6.1.2.1.2.2.1.2.1', value]), 'private');
    expect(refused.errorStatus).toBe(ErrorStatus.noAccess);
    const v1 = await ask(a, setPdu(['1.3.6.1.2.1.2.2.1.2.1', value]), 'private', 0);
    expect(v1.errorStatus).toBe(ErrorStatus.noSuchName);
    const ok = await ask(a, setPdu(['1.3.6.1.2.1.1.6.0', value]), 'private');
    expect(ok.errorStatus).toBe(0);
  });

  it('refuses a view name that is not defined, naming the community', () => {
    expect(
      () => new Agent({ device: Device.fromSnmprec(DATA), views, communities: [{ name: 'c', readView: 'nope' }] }),
    ).toThrow(/community "c": no view named "nope"/);
  });

  it('a v3 user that cannot see a subtree, and a context view on top of it', async () => {
    const user = { name: 'watcher', level: 'noAuthNoPriv' as const };
    const engineId = Uint8Array.from([0x80, 0, 0x1f, 0x88, 4, 1, 2, 3]);
    const a = new Agent({
      devices: { core: Device.fromSnmprec(DATA), edge: Device.fromSnmprec(DATA) },
      views: {
        ...Object.fromEntries(views),
        nohost: new MibView([
          { subtree: '.1.3.6.1.2.1.25', type: 'excluded' },
          { subtree: '.1', type: 'included' },
        ]),
      },
      users: [{ ...user, readView: 'nohost' }],
      contextViews: { edge: { readView: 'systemonly' } },
      engineId,
    });
    const keys = new UsmKeyStore([user]);
    const walk = async (context: string) => {
      const seen: string[] = [];
      let oid = '1.3.6.1.2.1';
      for (;;) {
        const pdu = getPdu('GetNextRequest', oid);
        const m = usmMessage({
          msgId: 1,
          reportable: true,
          engineId,
          engineBoots: 1,
          engineTime: 0,
          userName: user.name,
          contextName: context,
          pdu,
        });
        const reply = await a.request(encodeSecureMessage(m, keys.keysFor(user.name, engineId)));
        const decoded = decodeSecureMessage(reply!, keys.resolver());
        const vb = decoded.message.scopedPdu!.pdu.varbinds[0]!;
        if (vb.value.type === 'EndOfMibView') return seen;
        seen.push(vb.oid);
        oid = vb.oid;
      }
    };
    const core = await walk('core');
    expect(core).toContain('1.3.6.1.2.1.4.1.0');
    expect(core.some((o) => o.startsWith('1.3.6.1.2.1.25.'))).toBe(false);
    expect(await walk('edge')).toEqual(['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.5.0', '1.3.6.1.2.1.1.6.0']);
  });
});
