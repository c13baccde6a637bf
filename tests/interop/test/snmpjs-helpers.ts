import type { Socket } from 'node:dgram';
import { createRequire } from 'node:module';
import { type CommunityMessage, type Pdu, SnmpValue, type VarBind } from '@snmpkit/ber';

/**
 * snmpjs (npm 0.1.8, Joyent's JavaScript SNMP toolkit) as a third-party peer: the few parts of its API these tests
 * use, typed here because the package ships no types, plus converters between its objects and @snmpkit/ber's.
 * snmpjs is CommonJS; it is a devDependency of this private workspace only.
 */

/** snmpjs's SnmpData: a typed value. `typename` is snmpjs's name (Unsigned32 for our Gauge32, Null for exceptions). */
export interface SjData {
  readonly typename: string;
  readonly tag: number;
  /** number, Buffer (OctetString, Opaque), string (OID, IpAddress), null (Null), {_hi,_lo} (Counter64). */
  readonly value: unknown;
}

export interface SjVarbind {
  readonly oid: string;
  data: SjData;
}

export interface SjPdu {
  readonly op: number;
  readonly request_id: number;
  error_status: number | SjData;
  error_index: number | SjData;
  varbinds: SjVarbind[];
  /** The GetBulk names snmpjs means to define (and, through a bug, never does). */
  readonly non_repeaters?: number;
  readonly max_repetitions?: number;
  // v1 Trap fields.
  enterprise: string;
  agent_addr: string;
  generic_trap: number;
  specific_trap: number;
  time_stamp: number;
}

export interface SjMessage {
  readonly version: number;
  readonly community: Buffer;
  readonly pdu: SjPdu;
  readonly raw: { buf: Buffer; len: number } | undefined;
  encode(): void;
}

export interface SjMibNode {
  readonly oid: string;
  readonly addr: number[];
}

/** What a MIB provider's handler receives (docs/provider.restdown). */
export interface SjProviderRequest {
  readonly op: number;
  readonly oid: string;
  readonly addr: number[];
  readonly node: SjMibNode;
  /** The instance arcs after the scalar or column node; undefined when the request names no instance. */
  readonly instance: number[] | undefined;
  /** The value of a SetRequest's varbind. */
  readonly value: SjData | undefined;
  readonly done: (result?: SjVarbind | number) => void;
}

export interface SjProvider {
  oid: string;
  handler: (prq: SjProviderRequest) => void;
  columns?: number[];
}

export interface SjLogger {
  child(options: unknown): SjLogger;
  trace(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  fatal(...args: unknown[]): void;
}

export interface SjAgent {
  request(providers: SjProvider | SjProvider[]): void;
  bind(arg: { family: 'udp4' | 'udp6'; port: number; addr?: string }, cb?: () => void): void;
  close(): void;
  /** The agent's sockets: close() throws before closing any of them, so tests close these. */
  readonly _connections: Socket[];
  /** Handles one received datagram; replaced by the tests to catch what snmpjs throws. */
  _recv(raw: unknown, src: unknown, conn: unknown): void;
}

/** snmp.pdu's op numbers, error-status numbers and factory. */
export interface SjPduModule {
  createPDU(arg: {
    op: number;
    request_id?: number | SjData;
    varbinds?: SjVarbind[];
    enterprise?: string;
    agent_addr?: string;
    generic_trap?: number;
    specific_trap?: number;
    time_stamp?: number;
  }): SjPdu;
  readonly GetRequest: number;
  readonly GetNextRequest: number;
  readonly Response: number;
  readonly SetRequest: number;
  readonly Trap: number;
  readonly GetBulkRequest: number;
  readonly InformRequest: number;
  readonly SNMPv2_Trap: number;
  readonly Report: number;
  readonly noError: number;
  readonly genErr: number;
  readonly notWritable: number;
  readonly wrongType: number;
  readonly noSuchName: number;
}

export interface SnmpJs {
  createAgent(options: { log?: SjLogger; name?: string }): SjAgent;
  message: {
    createMessage(arg: { version: number; community: string | Buffer; pdu?: SjPdu }): SjMessage;
    parseMessage(arg: { raw: Buffer | { buf: Buffer; len: number } }): SjMessage;
  };
  pdu: SjPduModule;
  varbind: { createVarbind(arg: { oid: string; data: SjData }): SjVarbind };
  data: {
    createData(arg: { type: string; value: unknown }): SjData;
    readonly noSuchObject: number;
    readonly noSuchInstance: number;
    readonly endOfMibView: number;
  };
  provider: {
    readOnlyScalar(prq: SjProviderRequest, data: SjData): void;
    writableScalar(prq: SjProviderRequest, data?: SjData): void;
  };
}

const require = createRequire(import.meta.url);

/** The snmpjs module, loaded from this workspace. */
export const snmpjs = require('snmpjs') as SnmpJs;

/** snmpjs's package directory (for child processes that load it). */
export const snmpjsPath = require.resolve('snmpjs');

export function sjData(type: string, value: unknown): SjData {
  return snmpjs.data.createData({ type, value });
}

export function sjVarbind(oid: string, data: SjData): SjVarbind {
  return snmpjs.varbind.createVarbind({ oid, data });
}

/** Our value as snmpjs data of the same type and value. */
export function toSjData(value: SnmpValue): SjData {
  switch (value.type) {
    case 'Integer':
    case 'Counter32':
    case 'TimeTicks':
      return sjData(value.type, value.value);
    case 'Gauge32':
      return sjData('Unsigned32', value.value);
    case 'OctetString':
    case 'Opaque':
      return sjData(value.type, Buffer.from(value.value));
    case 'ObjectIdentifier':
    case 'IpAddress':
      return sjData(value.type, value.value);
    case 'Counter64':
      return sjData('Counter64', { hi: Number(value.value >> 32n), lo: Number(value.value & 0xffffffffn) });
    case 'Null':
      return sjData('Null', null);
    case 'NoSuchObject':
      return sjData('Null', snmpjs.data.noSuchObject);
    case 'NoSuchInstance':
      return sjData('Null', snmpjs.data.noSuchInstance);
    case 'EndOfMibView':
      return sjData('Null', snmpjs.data.endOfMibView);
    case 'UInteger32':
      throw new Error('snmpjs has no UInteger32 (tag 0x47)');
  }
}

/** snmpjs data as our value (the Opaque without our decoder's `opaque` interpretation). */
export function fromSjData(data: SjData): SnmpValue {
  const v = data.value;
  switch (data.typename) {
    case 'Integer':
      return { type: 'Integer', value: v as number };
    case 'Counter32':
    case 'TimeTicks':
      return { type: data.typename, value: v as number };
    case 'Unsigned32':
      return { type: 'Gauge32', value: v as number };
    case 'OctetString':
    case 'Opaque':
      return { type: data.typename, value: Uint8Array.from(v as Buffer) };
    case 'ObjectIdentifier':
    case 'IpAddress':
      return { type: data.typename, value: v as string };
    case 'Counter64': {
      const u = v as { _hi: number; _lo: number };
      return { type: 'Counter64', value: (BigInt(u._hi) << 32n) | BigInt(u._lo) };
    }
    case 'Null':
      switch (data.tag) {
        case 0x05:
          return { type: 'Null' };
        case 0x80:
          return { type: 'NoSuchObject' };
        case 0x81:
          return { type: 'NoSuchInstance' };
        case 0x82:
          return { type: 'EndOfMibView' };
      }
  }
  throw new Error(`snmpjs data of type ${data.typename} (tag ${data.tag}) has no snmpkit equivalent`);
}

/** Strips what only our decoder adds (the Opaque's interpretation) and copies bytes into plain Uint8Arrays. */
export function plainValue(value: SnmpValue): SnmpValue {
  if (value.type === 'Opaque') return { type: 'Opaque', value: Uint8Array.from(value.value) };
  if (value.type === 'OctetString') return { type: 'OctetString', value: Uint8Array.from(value.value) };
  return value;
}

export function plainMessage(message: CommunityMessage): CommunityMessage {
  const varbinds = message.pdu.varbinds.map((vb) => ({ oid: vb.oid, value: plainValue(vb.value) }));
  return { ...message, pdu: { ...message.pdu, varbinds } as Pdu };
}

const OUR_PDU_TYPE: Record<number, Pdu['type']> = {
  0: 'GetRequest',
  1: 'GetNextRequest',
  2: 'Response',
  3: 'SetRequest',
  4: 'TrapV1',
  5: 'GetBulkRequest',
  6: 'InformRequest',
  7: 'TrapV2',
  8: 'Report',
};

export const SJ_OP: Record<Pdu['type'], number> = {
  GetRequest: 0,
  GetNextRequest: 1,
  Response: 2,
  SetRequest: 3,
  TrapV1: 4,
  GetBulkRequest: 5,
  InformRequest: 6,
  TrapV2: 7,
  Report: 8,
};

function intOf(x: number | SjData): number {
  return typeof x === 'number' ? x : (x.value as number);
}

/**
 * A message snmpjs parsed (or built), field by field in our model. snmpjs keeps a GetBulk's non-repeaters and
 * max-repetitions in error_status and error_index (see the GetBulk test), so they are read from there.
 */
export function fromSjMessage(message: SjMessage): CommunityMessage {
  const pdu = message.pdu;
  const type = OUR_PDU_TYPE[pdu.op];
  if (type === undefined) throw new Error(`snmpjs PDU op ${pdu.op}`);
  const varbinds: VarBind[] = pdu.varbinds.map((vb) => ({ oid: vb.oid, value: fromSjData(vb.data) }));
  let ours: Pdu;
  if (type === 'TrapV1') {
    ours = {
      type,
      enterprise: pdu.enterprise,
      agentAddress: pdu.agent_addr,
      genericTrap: pdu.generic_trap,
      specificTrap: pdu.specific_trap,
      timestamp: pdu.time_stamp,
      varbinds,
    };
  } else if (type === 'GetBulkRequest') {
    ours = {
      type,
      requestId: pdu.request_id,
      nonRepeaters: intOf(pdu.error_status),
      maxRepetitions: intOf(pdu.error_index),
      varbinds,
    };
  } else {
    ours = {
      type,
      requestId: pdu.request_id,
      errorStatus: intOf(pdu.error_status),
      errorIndex: intOf(pdu.error_index),
      varbinds,
    };
  }
  return { version: message.version as 0 | 1, community: message.community.toString('latin1'), pdu: ours };
}

/**
 * Our message built with snmpjs's own API, encoded by snmpjs. For a GetBulk the counts go through error_status and
 * error_index as SnmpData objects (a number larger than the varbind count would be refused by error_index's setter).
 */
export function encodeWithSnmpjs(message: CommunityMessage): Buffer {
  const pdu = message.pdu;
  const varbinds = pdu.varbinds.map((vb) => sjVarbind(vb.oid, toSjData(vb.value)));
  let sj: SjPdu;
  if (pdu.type === 'TrapV1') {
    sj = snmpjs.pdu.createPDU({ op: snmpjs.pdu.Trap, varbinds });
    // Set after creation: createPDU drops zero values (it tests `if (arg.generic_trap)`).
    sj.enterprise = pdu.enterprise;
    sj.agent_addr = pdu.agentAddress;
    sj.generic_trap = pdu.genericTrap;
    sj.specific_trap = pdu.specificTrap;
    sj.time_stamp = pdu.timestamp;
  } else if (pdu.type === 'GetBulkRequest') {
    sj = snmpjs.pdu.createPDU({ op: snmpjs.pdu.GetBulkRequest, request_id: pdu.requestId, varbinds });
    sj.error_status = sjData('Integer', pdu.nonRepeaters);
    sj.error_index = sjData('Integer', pdu.maxRepetitions);
  } else {
    sj = snmpjs.pdu.createPDU({ op: SJ_OP[pdu.type], request_id: pdu.requestId, varbinds });
    sj.error_status = pdu.errorStatus;
    sj.error_index = pdu.errorIndex;
  }
  const msg = snmpjs.message.createMessage({
    version: message.version,
    community: Buffer.from(message.community, 'latin1'),
    pdu: sj,
  });
  msg.encode();
  return msg.raw!.buf;
}

export function parseWithSnmpjs(bytes: Uint8Array): SjMessage {
  return snmpjs.message.parseMessage({ raw: Buffer.from(bytes) });
}

/** A bunyan stand-in that keeps what snmpjs logs at warn and above (snmpjs's own logger writes JSON to stderr). */
export function quietLogger(): SjLogger & { records: { level: string; args: unknown[] }[] } {
  const records: { level: string; args: unknown[] }[] = [];
  const keep =
    (level: string) =>
    (...args: unknown[]) => {
      records.push({ level, args });
    };
  const logger = {
    records,
    child: () => logger,
    trace: () => {},
    debug: () => {},
    info: () => {},
    warn: keep('warn'),
    error: keep('error'),
    fatal: keep('fatal'),
  };
  return logger;
}

export interface RunningSnmpjsAgent {
  agent: SjAgent;
  port: number;
  /** Session peer name. */
  peer: string;
  /** What snmpjs threw while handling a datagram (in a real snmpjs process each of these is a crash). */
  thrown: unknown[];
  logger: ReturnType<typeof quietLogger>;
  /** Closes the agent's sockets (agent.close() throws first, so they are closed here); never throws. */
  stop(): { closeError: unknown };
}

/**
 * An snmpjs agent with these providers on 127.0.0.1 and a port picked by the system. snmpjs handles a datagram
 * synchronously in the socket's 'message' listener, so an exception in it would be uncaught and kill the test
 * worker: `_recv` is wrapped to catch and keep it instead (the child-process test shows the real crash).
 */
export async function startSnmpjsAgent(providers: SjProvider[]): Promise<RunningSnmpjsAgent> {
  const logger = quietLogger();
  const agent = snmpjs.createAgent({ log: logger, name: 'snmpjs-interop' });
  agent.request(providers);
  const thrown: unknown[] = [];
  const recv = agent._recv.bind(agent);
  agent._recv = (raw, src, conn) => {
    try {
      recv(raw, src, conn);
    } catch (error) {
      thrown.push(error);
    }
  };
  const stop = () => {
    let closeError: unknown;
    try {
      agent.close();
    } catch (error) {
      closeError = error;
    }
    for (const socket of agent._connections) {
      try {
        socket.close();
      } catch {
        // already closed
      }
    }
    return { closeError };
  };
  await new Promise<void>((resolve, reject) => {
    agent.bind({ family: 'udp4', port: 0, addr: '127.0.0.1' }, resolve);
    agent._connections.at(-1)?.once('error', (error) => {
      stop();
      reject(error);
    });
  });
  const port = agent._connections[0]!.address().port;
  return { agent, port, peer: `udp:127.0.0.1:${port}`, thrown, logger, stop };
}

/** The data set the snmpjs agent serves: scalars of every type snmpjs has, and a small sparse table. */
export const SYS = '1.3.6.1.2.1.1';
export const IF_ENTRY = '1.3.6.1.2.1.2.2.1';
/** Private-enterprise subtree of typed and writable scalars (99999 is not assigned to anyone we talk to). */
export const ENT = '1.3.6.1.4.1.99999';

/** Scalars by object OID (instance .0 is served); every type snmpjs can encode. */
export const SCALARS: ReadonlyArray<readonly [string, SnmpValue]> = [
  [`${SYS}.1`, { type: 'OctetString', value: new TextEncoder().encode('snmpjs interop agent') }],
  [`${SYS}.2`, { type: 'ObjectIdentifier', value: '1.3.6.1.4.1.8072.3.2.10' }],
  [`${SYS}.3`, { type: 'TimeTicks', value: 123456 }],
  [`${SYS}.5`, { type: 'OctetString', value: new TextEncoder().encode('interop') }],
  [`${SYS}.7`, { type: 'Integer', value: 72 }],
  [`${ENT}.1.1`, { type: 'Integer', value: -5 }],
  [`${ENT}.1.2`, { type: 'Counter32', value: 0x80000000 }],
  [`${ENT}.1.3`, { type: 'Gauge32', value: 4294967295 }],
  [`${ENT}.1.4`, { type: 'Counter64', value: 0xffffffffffffffffn }],
  [`${ENT}.1.5`, { type: 'IpAddress', value: '192.0.2.1' }],
  [`${ENT}.1.6`, SnmpValue.opaqueFloat(1.5)], // Net-SNMP's float in an Opaque: 9f 78 04 3f c0 00 00
  [`${ENT}.1.7`, { type: 'TimeTicks', value: 0xfffffffe }],
];

/** ifEntry columns 1 (ifIndex), 2 (ifDescr), 5 (ifSpeed: absent for row 2), 10 (ifInOctets); rows 1, 2 and 10. */
export const TABLE: ReadonlyMap<number, ReadonlyMap<number, SnmpValue>> = new Map([
  [
    1,
    new Map<number, SnmpValue>([
      [1, { type: 'Integer', value: 1 }],
      [2, { type: 'OctetString', value: new TextEncoder().encode('lo') }],
      [5, { type: 'Gauge32', value: 10_000_000 }],
      [10, { type: 'Counter32', value: 1234 }],
    ]),
  ],
  [
    2,
    new Map<number, SnmpValue>([
      [1, { type: 'Integer', value: 2 }],
      [2, { type: 'OctetString', value: new TextEncoder().encode('eth0') }],
      [10, { type: 'Counter32', value: 0 }],
    ]),
  ],
  [
    10,
    new Map<number, SnmpValue>([
      [1, { type: 'Integer', value: 10 }],
      [2, { type: 'OctetString', value: new TextEncoder().encode('eth9') }],
      [5, { type: 'Gauge32', value: 1_000_000_000 }],
      [10, { type: 'Counter32', value: 3_000_000_000 }],
    ]),
  ],
]);
export const TABLE_COLUMNS = [1, 2, 5, 10];

/** A read-only scalar served with snmpjs's own readOnlyScalar helper: a SET on it crashes snmpjs. */
export const READ_ONLY = `${SYS}.1.0`;
/** A writable OctetString scalar (writableScalar with the new value; wrongType for anything but OctetString). */
export const WRITABLE = `${ENT}.2.1.0`;
/** A writable scalar written as snmpjs's docs allow: writableScalar(prq) without a value, which crashes snmpjs. */
export const WRITABLE_NO_VALUE = `${ENT}.2.2.0`;

/** Every instance the agent serves, in OID order, as a walk of the whole tree should return them. */
export function servedVarbinds(writable: SnmpValue): VarBind[] {
  const out: VarBind[] = SCALARS.filter(([oid]) => oid.startsWith(SYS)).map(([oid, value]) => ({
    oid: `${oid}.0`,
    value,
  }));
  for (const column of TABLE_COLUMNS) {
    for (const [index, row] of TABLE) {
      const value = row.get(column);
      if (value) out.push({ oid: `${IF_ENTRY}.${column}.${index}`, value });
    }
  }
  for (const [oid, value] of SCALARS.filter(([o]) => o.startsWith(ENT))) out.push({ oid: `${oid}.0`, value });
  out.push({ oid: WRITABLE, value: writable });
  out.push({ oid: WRITABLE_NO_VALUE, value: { type: 'Integer', value: 0 } });
  return out;
}

function compareArcs(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

/** The providers of that data set, written as snmpjs's docs/provider.restdown says providers are written. */
export function interopProviders(): { providers: SjProvider[]; written: () => SnmpValue } {
  let writable: SnmpValue = { type: 'OctetString', value: new TextEncoder().encode('initial') };
  const providers: SjProvider[] = SCALARS.map(([oid, value]) => ({
    oid,
    handler: (prq) => snmpjs.provider.readOnlyScalar(prq, toSjData(value)),
  }));
  providers.push({
    oid: IF_ENTRY,
    columns: TABLE_COLUMNS,
    handler: (prq) => {
      const column = prq.node.addr[prq.node.addr.length - 1]!;
      const has = [...TABLE.keys()].filter((index) => TABLE.get(index)!.has(column)).sort((a, b) => a - b);
      const answer = (index: number | undefined) => {
        if (index === undefined) return prq.done(); // no such row (GET) or no next row in this column (GETNEXT)
        prq.done(sjVarbind(`${prq.node.oid}.${index}`, toSjData(TABLE.get(index)!.get(column)!)));
      };
      if (prq.op === snmpjs.pdu.GetNextRequest) {
        const after = prq.instance;
        return answer(after === undefined ? has[0] : has.find((index) => compareArcs([index], after) > 0));
      }
      if (prq.op === snmpjs.pdu.SetRequest) return prq.done(snmpjs.pdu.notWritable);
      const instance = prq.instance;
      return answer(instance?.length === 1 && has.includes(instance[0]!) ? instance[0] : undefined);
    },
  });
  providers.push({
    oid: WRITABLE.slice(0, -2),
    handler: (prq) => {
      if (prq.op === snmpjs.pdu.SetRequest) {
        if (prq.value?.typename !== 'OctetString') return prq.done(snmpjs.pdu.wrongType);
        writable = fromSjData(prq.value);
        return snmpjs.provider.writableScalar(prq, prq.value);
      }
      snmpjs.provider.writableScalar(prq, toSjData(writable));
    },
  });
  providers.push({
    oid: WRITABLE_NO_VALUE.slice(0, -2),
    handler: (prq) => {
      // "it is not necessary to pass any value argument if the operation was successful" (provider.restdown)
      if (prq.op === snmpjs.pdu.SetRequest) return snmpjs.provider.writableScalar(prq);
      snmpjs.provider.writableScalar(prq, sjData('Integer', 0));
    },
  });
  return { providers, written: () => writable };
}
