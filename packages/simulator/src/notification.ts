import { encodeMessage, type Pdu, type SnmpValue, type VarBind } from '@snmpkit/ber';
import { openClientTransport, resolveEndpoint } from '@snmpkit/transport';
import { encodeSecureMessage, UsmKeyStore, usmMessage } from '@snmpkit/usm';
import { decodeRecordValue, multiSplit, SNMPREC_TAGS } from './snmprec.js';
import type { ReadContext, ReadResult, ValueSource } from './variations.js';

const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';
const SNMP_TRAP_OID = '1.3.6.1.6.3.1.1.4.1.0';
const SNMP_TRAP_ADDRESS = '1.3.6.1.6.3.18.1.3.0';
const SNMP_TRAP_ENTERPRISE = '1.3.6.1.6.3.1.1.4.3.0';
const STANDARD_TRAPS = '1.3.6.1.6.3.1.1.5';

/** The sender's engine, for a v3 trap (the sender is the authoritative engine of a trap). */
export interface NotificationEngine {
  engineId: Uint8Array;
  boots: number;
  time: number;
}

/** `varbinds=OID:TYPE:VALUE:...` types, as snmpsim's notification module reads them. */
const VARBIND_TYPES: Readonly<Record<string, (text: string) => SnmpValue>> = {
  s: (t) => decodeRecordValue(4, t, 'plain'),
  h: (t) => decodeRecordValue(4, t, 'hex'),
  i: (t) => decodeRecordValue(2, t, 'plain'),
  o: (t) => decodeRecordValue(6, t, 'plain'),
  a: (t) => decodeRecordValue(64, t, 'plain'),
  u: (t) => decodeRecordValue(66, t, 'plain'),
  g: (t) => decodeRecordValue(66, t, 'plain'),
  t: (t) => decodeRecordValue(67, t, 'plain'),
  b: (t) => decodeRecordValue(4, t, 'plain'),
  I: (t) => decodeRecordValue(70, t, 'plain'),
};

const KNOWN = [
  'op',
  'vlist',
  'version',
  'community',
  'user',
  'authkey',
  'authproto',
  'privkey',
  'privproto',
  'proto',
  'host',
  'port',
  'bindaddr',
  'ntftype',
  'trapoid',
  'uptime',
  'agentaddress',
  'enterprise',
  'varbinds',
  'value',
  'hexvalue',
];

/**
 * snmpsim's `notification`: a read (`op=get`), a SET (`op=set`, the default; with `vlist=eq:VALUE:...` only of those
 * values) or both (`op=any`) sends a trap or an inform (`ntftype`) to `host`:`port` (default 162) over `proto` (udp,
 * udp6), SNMP `version` 1, 2c or 3 (`community`, default public; `user`, `authkey`, `authproto` md5|sha|none,
 * `privkey`, `privproto` des|aes|none), with `trapoid` (default coldStart), `uptime` (sysUpTime.0, default the
 * agent's), v1's `agentaddress` and `enterprise`, and `varbinds=OID:TYPE:VALUE:...` (s h i o a u g t b I). A v1 trap
 * is built from the v2 form as RFC 3584 §3.2 says. The record reads `value`/`hexvalue` (the request's value
 * without); a SET is answered and not kept. Sending is fire and forget, as snmpsim logs and goes on: an inform is
 * sent once, its answer not awaited. snmpsim's v3 inform (which discovers the receiver's engine) is refused as not
 * supported.
 */
export class NotificationVariation implements ValueSource {
  readonly #args: Map<string, string>;
  readonly #value: SnmpValue | undefined;
  readonly #op: 'get' | 'set' | 'any';
  readonly #vlist: SnmpValue[] | undefined;
  readonly #varbinds: VarBind[];
  readonly #keys: UsmKeyStore | undefined;
  readonly #level: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
  #requestId = 1;

  constructor(tag: number, args: Map<string, string>) {
    if (SNMPREC_TAGS[tag] === undefined) throw new RangeError(`unknown tag ${tag}`);
    for (const key of args.keys()) {
      if (!KNOWN.includes(key)) throw new RangeError(`unknown argument "${key}" (known: ${KNOWN.join(', ')})`);
    }
    this.#args = args;
    const hex = args.get('hexvalue');
    const plain = args.get('value');
    this.#value =
      hex !== undefined
        ? decodeRecordValue(tag, hex, 'hex')
        : plain !== undefined
          ? decodeRecordValue(tag, plain, 'plain')
          : undefined;
    const op = (args.get('op') ?? 'set').trim().toLowerCase();
    if (op !== 'get' && op !== 'set' && op !== 'any' && op !== '*') {
      throw new RangeError(`op=${args.get('op')}: expected get, set or any`);
    }
    this.#op = op === '*' ? 'any' : op;
    const vlist = args.get('vlist');
    if (vlist) {
      const parts = multiSplit(vlist, ':');
      if (parts.length % 2 !== 0) throw new RangeError(`vlist needs OP:VALUE pairs, not "${vlist}"`);
      this.#vlist = [];
      for (let i = 0; i < parts.length; i += 2) {
        if (parts[i] !== 'eq') throw new RangeError(`vlist: only eq is supported here, not "${parts[i]}"`);
        this.#vlist.push(decodeRecordValue(tag, parts[i + 1]!, 'plain'));
      }
    }
    const version = args.get('version');
    if (version !== '1' && version !== '2c' && version !== '3') {
      throw new RangeError(`version=${version ?? ''}: expected 1, 2c or 3`);
    }
    if (!args.get('host')) throw new RangeError('no host= to send the notification to');
    const proto = args.get('proto') ?? 'udp';
    if (proto !== 'udp' && proto !== 'udp6') throw new RangeError(`proto=${proto}: expected udp or udp6`);
    const ntftype = args.get('ntftype') ?? 'trap';
    if (ntftype !== 'trap' && ntftype !== 'inform') throw new RangeError(`ntftype=${ntftype}: expected trap or inform`);
    if (ntftype === 'inform' && version === '1') throw new RangeError('SNMPv1 has no inform');
    if (ntftype === 'inform' && version === '3') {
      throw new RangeError("an SNMPv3 inform (discovering the receiver's engine) is not supported; send a trap");
    }
    this.#varbinds = [];
    const vbs = args.get('varbinds');
    if (vbs) {
      const parts = multiSplit(vbs, ':');
      if (parts.length % 3 !== 0) throw new RangeError(`varbinds needs OID:TYPE:VALUE triples, not "${vbs}"`);
      for (let i = 0; i < parts.length; i += 3) {
        const make = VARBIND_TYPES[parts[i + 1]!];
        if (!make) throw new RangeError(`varbinds: unknown type "${parts[i + 1]}" (known: s h i o a u g t b I)`);
        this.#varbinds.push({ oid: parts[i]!.replace(/^\./, ''), value: make(parts[i + 2]!) });
      }
    }
    this.#level = 'noAuthNoPriv';
    if (version === '3') {
      const user = args.get('user');
      if (!user) throw new RangeError('version=3 needs user=');
      const authproto = (args.get('authproto') ?? 'md5').toLowerCase();
      const privproto = (args.get('privproto') ?? 'des').toLowerCase();
      const authkey = args.get('authkey');
      const privkey = args.get('privkey');
      const auth = authkey && authproto !== 'none' ? authproto : undefined;
      const priv = auth && privkey && privproto !== 'none' ? privproto : undefined;
      if (auth && auth !== 'md5' && auth !== 'sha')
        throw new RangeError(`authproto=${authproto}: expected md5, sha or none`);
      if (priv && priv !== 'des' && priv !== 'aes')
        throw new RangeError(`privproto=${privproto}: expected des, aes or none`);
      this.#level = priv ? 'authPriv' : auth ? 'authNoPriv' : 'noAuthNoPriv';
      this.#keys = new UsmKeyStore();
      this.#keys.addUser({
        name: user,
        level: this.#level,
        ...(auth ? { authProtocol: auth, authPassword: authkey! } : {}),
        ...(priv ? { privProtocol: priv, privPassword: privkey! } : {}),
      } as Parameters<UsmKeyStore['addUser']>[0]);
    }
  }

  read(ctx: ReadContext): ReadResult {
    // A SET reads the value too (to undo a failed SET): only a GET or GETNEXT read sends.
    if (this.#op !== 'set' && ctx.operation !== 'set') this.#send(ctx);
    return { value: this.#value ?? { type: 'Null' } };
  }

  checkWrite(): undefined {
    return undefined;
  }

  commitWrite(value: SnmpValue, ctx: ReadContext): void {
    if (this.#op === 'get') return;
    if (this.#vlist && !this.#vlist.some((v) => sameValue(v, value))) return;
    this.#send(ctx);
  }

  /** The notification's message, as the agent's engine sends it now. */
  message(ctx: ReadContext): Uint8Array {
    const args = this.#args;
    const uptime = args.get('uptime') !== undefined ? Number(args.get('uptime')) : Math.floor(ctx.uptimeMs / 10);
    const trapOid = (args.get('trapoid') ?? '1.3.6.1.6.3.1.1.5.1').replace(/^\./, '');
    const varbinds: VarBind[] = [
      { oid: SYS_UPTIME, value: { type: 'TimeTicks', value: uptime >>> 0 } },
      { oid: SNMP_TRAP_OID, value: { type: 'ObjectIdentifier', value: trapOid } },
    ];
    const version = args.get('version')!;
    if (version === '1') {
      const agentAddress = args.get('agentaddress') ?? '0.0.0.0';
      const standard =
        trapOid.startsWith(`${STANDARD_TRAPS}.`) && /^[1-6]$/.test(trapOid.slice(STANDARD_TRAPS.length + 1));
      const dot = trapOid.lastIndexOf('.');
      let enterprise = args.get('enterprise')?.replace(/^\./, '');
      let specific = 0;
      let generic = 6;
      if (standard) {
        generic = Number(trapOid.slice(STANDARD_TRAPS.length + 1)) - 1;
        enterprise ??= STANDARD_TRAPS;
      } else {
        specific = Number(trapOid.slice(dot + 1));
        // RFC 3584 §3.2: ENTERPRISE.0.SPECIFIC has the enterprise before the 0.
        const base = trapOid.slice(0, dot);
        enterprise ??= base.endsWith('.0') ? base.slice(0, -2) : base;
      }
      const pdu: Pdu = {
        type: 'TrapV1',
        enterprise,
        agentAddress,
        genericTrap: generic,
        specificTrap: specific,
        timestamp: uptime >>> 0,
        varbinds: this.#varbinds.filter((vb) => vb.oid !== SNMP_TRAP_ADDRESS && vb.oid !== SNMP_TRAP_ENTERPRISE),
      };
      return encodeMessage({ version: 0, community: args.get('community') ?? 'public', pdu });
    }
    if (version === '2c' && args.get('agentaddress')) {
      varbinds.push({ oid: SNMP_TRAP_ADDRESS, value: { type: 'IpAddress', value: args.get('agentaddress')! } });
    }
    const pdu: Pdu = {
      type: (args.get('ntftype') ?? 'trap') === 'inform' ? 'InformRequest' : 'TrapV2',
      requestId: this.#requestId++,
      errorStatus: 0,
      errorIndex: 0,
      varbinds: [...varbinds, ...this.#varbinds],
    };
    if (version === '2c') return encodeMessage({ version: 1, community: args.get('community') ?? 'public', pdu });
    const engine = ctx.engine?.() ?? { engineId: Uint8Array.from([0x80, 0, 0x1f, 0x88, 4]), boots: 1, time: 0 };
    const user = args.get('user')!;
    const keys = this.#keys!.keysFor(user, engine.engineId, this.#level);
    // usm builds the header; encodeSecureMessage sets the auth/priv flags from the keys. A trap is not reportable.
    return encodeSecureMessage(
      usmMessage({
        msgId: this.#requestId,
        reportable: false,
        engineId: engine.engineId,
        engineBoots: engine.boots,
        engineTime: engine.time,
        userName: user,
        pdu,
      }),
      keys,
    );
  }

  #send(ctx: ReadContext): void {
    const bytes = this.message(ctx);
    const args = this.#args;
    const proto = args.get('proto') ?? 'udp';
    const host = args.get('host')!;
    const target = `${proto}:${proto === 'udp6' ? `[${host}]` : host}:${args.get('port') ?? '162'}`;
    const bindaddr = args.get('bindaddr');
    // Fire and forget, as snmpsim's callback only logs: a receiver that is away is no reason to fail the request.
    void (async () => {
      const transport = await openClientTransport(await resolveEndpoint(target, 162, 0), {
        ...(bindaddr ? { localAddress: bindaddr } : {}),
      });
      transport.send(bytes, () => {});
      // An inform's answer is not awaited; give the datagram a moment to leave before closing.
      setTimeout(() => transport.close(), 100).unref();
    })().catch(() => {});
  }
}

function sameValue(a: SnmpValue, b: SnmpValue): boolean {
  if (a.type !== b.type) return false;
  if ('value' in a && 'value' in b) {
    const x = a.value;
    const y = b.value;
    if (x instanceof Uint8Array && y instanceof Uint8Array) return Buffer.from(x).equals(Buffer.from(y));
    return x === y;
  }
  return true;
}
