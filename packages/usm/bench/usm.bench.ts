/**
 * @snmpkit/usm throughput beside the `net-snmp` npm package in the same run:
 *  1. a v3 GET and its Response, SHA + AES-128 authPriv, each secured, encoded, decoded, verified and decrypted
 *     (the manager's and the agent's work for one exchange, no network);
 *  2. the key cache: a UsmKeyStore hit beside the 1 MB password-to-key hash it avoids, and a cold localization.
 * SNMPKIT_BENCH_MS sets the time per measurement (default 1500 ms), split into alternating slices. The machine is
 * shared, so numbers are noisy; the ratios are measured side by side and are the meaningful part.
 */
import { hexToBytes, SnmpValue, type V3Message } from '@snmpkit/ber';
import {
  decodeSecureMessage,
  encodeSecureMessage,
  localizeKey,
  passwordToKey,
  UsmKeyStore,
  type UsmUser,
} from '@snmpkit/usm';
import { loadNetSnmpV3 } from './net-snmp-v3.js';

const MS = Number(process.env.SNMPKIT_BENCH_MS ?? 1500);
const SLICES = 6;
const ENGINE = hexToBytes('80001f8880d803316272ab046b00000000');
const SYS_DESCR = '1.3.6.1.2.1.1.1.0';
const DESCR = 'Linux router 6.1.0 #1 SMP x86_64';

/** Runs `fn` for about `ms` in total and returns calls per second. */
function rate(fn: () => void, ms: number): number {
  for (let i = 0; i < 200; i++) fn();
  let calls = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(ms * 1e6));
  let now = start;
  while (now < end) {
    for (let i = 0; i < 50; i++) fn();
    calls += 50;
    now = process.hrtime.bigint();
  }
  return calls / (Number(now - start) / 1e9);
}

/** Alternates the contenders in slices so that a noisy neighbour hurts them alike. */
function compare(contenders: Record<string, () => void>, ms = MS): Record<string, number> {
  const totals: Record<string, number> = {};
  for (let s = 0; s < SLICES; s++) {
    for (const [name, fn] of Object.entries(contenders)) totals[name] = (totals[name] ?? 0) + rate(fn, ms / SLICES);
  }
  for (const name of Object.keys(totals)) totals[name] = totals[name]! / SLICES;
  return totals;
}

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: n < 100 ? 1 : 0 });

// --- 1. GET + Response, SHA + AES ---
const user: UsmUser = {
  name: 'shaAes',
  level: 'authPriv',
  authProtocol: 'sha',
  authPassword: 'authpass123',
  privProtocol: 'aes',
  privPassword: 'privpass123',
};
const store = new UsmKeyStore([user]);
const resolver = store.resolver();
let requestId = 1;

function v3(pdu: V3Message['scopedPdu'], msgFlags: number): V3Message {
  return {
    version: 3,
    msgId: requestId,
    msgMaxSize: 65507,
    msgFlags,
    securityModel: 3,
    securityParameters: {
      engineId: ENGINE,
      engineBoots: 3,
      engineTime: 98765,
      userName: user.name,
      authParameters: new Uint8Array(0),
      privParameters: new Uint8Array(0),
    },
    scopedPdu: pdu,
  };
}

function ourExchange(): void {
  const id = ++requestId;
  const keys = store.keysFor(user.name, ENGINE);
  const get = v3(
    {
      contextEngineId: ENGINE,
      contextName: '',
      pdu: {
        type: 'GetRequest',
        requestId: id,
        errorStatus: 0,
        errorIndex: 0,
        varbinds: [{ oid: SYS_DESCR, value: SnmpValue.null() }],
      },
    },
    0x04,
  );
  const atAgent = decodeSecureMessage(encodeSecureMessage(get, keys), resolver);
  const response = v3(
    {
      contextEngineId: ENGINE,
      contextName: '',
      pdu: {
        type: 'Response',
        requestId: atAgent.message.scopedPdu!.pdu.type === 'GetRequest' ? atAgent.message.scopedPdu!.pdu.requestId : 0,
        errorStatus: 0,
        errorIndex: 0,
        varbinds: [{ oid: SYS_DESCR, value: SnmpValue.octetString(DESCR) }],
      },
    },
    0x00,
  );
  const atManager = decodeSecureMessage(encodeSecureMessage(response, atAgent.keys), resolver);
  if (atManager.message.scopedPdu!.pdu.varbinds.length !== 1) throw new Error('lost the varbind');
}

const PRECOMPUTED = passwordToKey('sha', 'authpass123');
const ns = loadNetSnmpV3();
const nsUser = {
  name: user.name,
  level: ns.SecurityLevel.authPriv!,
  authProtocol: ns.AuthProtocols.sha!,
  authKey: user.authPassword!,
  privProtocol: ns.PrivProtocols.aes!,
  privKey: user.privPassword!,
};
const nsEngine = {
  msgAuthoritativeEngineID: Buffer.from(ENGINE),
  msgAuthoritativeEngineBoots: 3,
  msgAuthoritativeEngineTime: 98765,
};
const fail = (error: Error) => {
  throw error;
};

/** net-snmp's sessions set the PDU's context name before encoding; createFromVariables leaves it unset. */
function withContext(pdu: unknown): unknown {
  (pdu as { contextName: string }).contextName = '';
  return pdu;
}

function netSnmpExchange(): void {
  const id = ++requestId;
  const get = withContext(
    ns.GetRequestPdu.createFromVariables(id, [{ oid: SYS_DESCR, type: ns.ObjectType.Null, value: null }], {}),
  );
  const requestBytes = ns.Message.createRequestV3(nsUser, nsEngine, get).toBuffer();
  const atAgent = ns.Message.createFromBuffer(requestBytes);
  if (!atAgent.processIncomingSecurity(nsUser, fail)) throw new Error('net-snmp refused its own request');
  const response = withContext(
    ns.GetResponsePdu.createFromVariables(
      id,
      [{ oid: SYS_DESCR, type: ns.ObjectType.OctetString, value: Buffer.from(DESCR) }],
      {},
    ),
  );
  const globalData = { msgID: id, msgMaxSize: 65507, msgFlags: 0x03, msgSecurityModel: 3 };
  const responseBytes = ns.Message.createV3(nsUser, globalData, nsEngine, response).toBuffer();
  const atManager = ns.Message.createFromBuffer(responseBytes);
  if (!atManager.processIncomingSecurity(nsUser, fail)) throw new Error('net-snmp refused its own response');
  if (atManager.pdu?.varbinds.length !== 1) throw new Error('net-snmp lost the varbind');
}

// Both must work before they are timed.
ourExchange();
netSnmpExchange();

console.log(`@snmpkit/usm benchmark (node ${process.version}, ${MS} ms per measurement; shared machine: noisy)`);
const exchange = compare({ '@snmpkit/usm': ourExchange, 'net-snmp': netSnmpExchange });
console.log('\nv3 GET + Response, SHA + AES-128 authPriv (4 secure encodes/decodes per exchange, no I/O):');
for (const [name, perSecond] of Object.entries(exchange))
  console.log(`  ${name.padEnd(14)} ${fmt(perSecond).padStart(9)} exchanges/s`);
console.log(`  ratio: @snmpkit/usm is ${(exchange['@snmpkit/usm']! / exchange['net-snmp']!).toFixed(2)}x net-snmp`);

// --- 2. Key cache ---
const cacheHit = compare(
  {
    'cache hit': () => {
      store.keysFor(user.name, ENGINE);
    },
    'passwordToKey (1 MB)': () => {
      passwordToKey('sha', user.authPassword!);
    },
    'cold keys, AES-256-C': () => {
      // A new engine each time: one localization per password, plus the Reeder round (another 1 MB hash).
      const s = new UsmKeyStore([{ ...user, privProtocol: 'aes256c' }]);
      s.keysFor(user.name, ENGINE);
    },
    localizeKey: () => {
      localizeKey('sha', PRECOMPUTED, ENGINE);
    },
  },
  MS,
);
console.log('\nkey cache (SHA-1):');
for (const [name, perSecond] of Object.entries(cacheHit))
  console.log(`  ${name.padEnd(22)} ${fmt(perSecond).padStart(12)} /s  (${fmt(1e6 / perSecond)} µs each)`);
console.log(
  `  a cache hit is ${fmt(cacheHit['cache hit']! / cacheHit['passwordToKey (1 MB)']!)}x cheaper than passwordToKey`,
);
