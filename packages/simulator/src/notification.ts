import type { SnmpValue, VarBind } from '@snmpkit/ber';
import type { UsmUserInput } from '@snmpkit/usm';
import { type NotificationEngine, NotificationOriginator, type NotificationSink } from './sinks.js';
import { decodeRecordValue, multiSplit, SNMPREC_TAGS } from './snmprec.js';
import type { ReadContext, ReadResult, ValueSource } from './variations.js';

export type { NotificationEngine } from './sinks.js';

const SNMP_TRAP_ADDRESS = '1.3.6.1.6.3.18.1.3.0';
/** The engine a v3 trap names when the agent gives none (a read outside an agent). */
const NO_ENGINE: NotificationEngine = { engineId: Uint8Array.from([0x80, 0, 0x1f, 0x88, 4]), boots: 1, time: 0 };

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
 * retried until acknowledged (the sinks' NotificationOriginator sends it), the request not held for it; a v3 inform
 * discovers the receiver's engine first, as snmpsim's does.
 */
export class NotificationVariation implements ValueSource {
  readonly #args: Map<string, string>;
  readonly #value: SnmpValue | undefined;
  readonly #op: 'get' | 'set' | 'any';
  readonly #vlist: SnmpValue[] | undefined;
  readonly #varbinds: VarBind[];
  readonly #originator: NotificationOriginator;
  /** The read that sends: the engine and uptime the notification carries. */
  #ctx: ReadContext | undefined;
  #inFlight = 0;

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
    let user: UsmUserInput | undefined;
    if (version === '3') {
      const name = args.get('user');
      if (!name) throw new RangeError('version=3 needs user=');
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
      user = {
        name,
        level: priv ? 'authPriv' : auth ? 'authNoPriv' : 'noAuthNoPriv',
        ...(auth ? { authProtocol: auth, authPassword: authkey! } : {}),
        ...(priv ? { privProtocol: priv, privPassword: privkey! } : {}),
      } as UsmUserInput;
    }
    const host = args.get('host')!;
    const bindaddr = args.get('bindaddr');
    const sink: NotificationSink = {
      target: `${proto}:${proto === 'udp6' ? `[${host}]` : host}:${args.get('port') ?? '162'}`,
      version,
      community: args.get('community') ?? 'public',
      ...(ntftype === 'inform' ? { inform: true } : {}),
      ...(user ? { user } : {}),
      ...(bindaddr ? { localAddress: bindaddr } : {}),
    };
    const agentAddress = args.get('agentaddress');
    this.#originator = new NotificationOriginator({
      sinks: [sink],
      engine: () => this.#ctx?.engine?.() ?? NO_ENGINE,
      uptimeMs: () => this.#ctx?.uptimeMs ?? 0,
      ...(agentAddress ? { agentAddress } : {}),
    });
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

  #send(ctx: ReadContext): void {
    const args = this.#args;
    const varbinds = [...this.#varbinds];
    const agentAddress = args.get('agentaddress');
    if (args.get('version') === '2c' && agentAddress) {
      varbinds.unshift({ oid: SNMP_TRAP_ADDRESS, value: { type: 'IpAddress', value: agentAddress } });
    }
    this.#ctx = ctx;
    this.#inFlight++;
    // Fire and forget, as snmpsim's callback only logs: a receiver that is away is no reason to fail the request.
    void this.#originator
      .notify({
        trapOid: (args.get('trapoid') ?? '1.3.6.1.6.3.1.1.5.1').replace(/^\./, ''),
        varbinds,
        ...(args.get('uptime') !== undefined ? { uptime: Number(args.get('uptime')) } : {}),
        ...(args.get('enterprise') ? { enterprise: args.get('enterprise')! } : {}),
      })
      .finally(() => {
        // No socket stays open between notifications.
        if (--this.#inFlight === 0) void this.#originator.close();
      });
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
