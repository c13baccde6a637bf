import dgram from 'node:dgram';
import {
  type BasicPdu,
  type CommunityMessage,
  compareOids,
  decodeMessage,
  encodeMessage,
  type Pdu,
  type VarBind,
} from '@snmpkit/ber';
import { afterEach } from 'vitest';
import type { ClientTransport, MessageSource } from '../src/index.js';
import {
  SNMP_DEFAULT_RETRIES,
  SNMP_DEFAULT_TIMEOUT,
  type SnmpSessOpenParams,
  SnmpVersion,
  snmpSessInit,
} from '../src/raw.js';

export const PEER: MessageSource = { address: '127.0.0.1', port: 161 };

/**
 * A list the tests push teardown steps onto as they open sessions, sockets and receivers; after each test the steps
 * run, the last pushed first (a session closes before the socket it talks to).
 */
export function cleanupAfterEach(): (() => Promise<void>)[] {
  const steps: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of steps.splice(0).reverse()) await step();
  });
  return steps;
}

/** snmpSessOpen's parameters: a v2c session with community public and Net-SNMP's defaults, changed by `overrides`. */
export function rawSessionParams(overrides: Partial<SnmpSessOpenParams>): SnmpSessOpenParams {
  return {
    netsnmpSession: snmpSessInit(),
    version: SnmpVersion.SNMP_VERSION_2c,
    retries: SNMP_DEFAULT_RETRIES,
    timeout: SNMP_DEFAULT_TIMEOUT,
    peername: '127.0.0.1:9',
    localname: '',
    localPort: 0,
    community: 'public',
    securityName: '',
    securityAuthProto: 'ignore',
    securityAuthPassword: '',
    ...overrides,
  };
}

/** An in-memory transport: records what the session sends and lets the test deliver any bytes from any source. */
export class FakeTransport implements ClientTransport {
  readonly sent: Uint8Array[] = [];
  closed = false;
  private listener: ((message: Uint8Array, source: MessageSource) => void) | undefined;
  private errorListener: ((error: Error) => void) | undefined;
  /** Called on every send; may answer through deliver(). */
  onSend: ((message: Uint8Array, fail: (error: Error) => void) => void) | undefined;

  send(message: Uint8Array, onSendError?: (error: Error) => void): void {
    this.sent.push(message);
    this.onSend?.(message, (error) => onSendError?.(error));
  }
  onMessage(listener: (message: Uint8Array, source: MessageSource) => void): void {
    this.listener = listener;
  }
  onError(listener: (error: Error) => void): void {
    this.errorListener = listener;
  }
  close(): void {
    this.closed = true;
  }
  deliver(bytes: Uint8Array, source: MessageSource = PEER): void {
    this.listener?.(bytes, source);
  }
  fail(error: Error): void {
    this.errorListener?.(error);
  }
  /** The decoded request sent last (or at `index`). */
  request(index = this.sent.length - 1): CommunityMessage & { pdu: Pdu } {
    return decodeMessage(this.sent[index]!) as CommunityMessage;
  }
}

/** Encodes a Response to `request` (bytes or decoded) with these varbinds and error fields. */
export function responseTo(
  request: Uint8Array,
  varbinds?: VarBind[],
  errorStatus = 0,
  errorIndex = 0,
  override: Partial<BasicPdu> = {},
): Uint8Array {
  const message = decodeMessage(request) as CommunityMessage;
  const pdu: BasicPdu = {
    type: 'Response',
    requestId: (message.pdu as BasicPdu).requestId,
    errorStatus,
    errorIndex,
    varbinds: varbinds ?? message.pdu.varbinds,
    ...override,
  };
  return encodeMessage({ version: message.version, community: message.community, pdu });
}

/** A UDP socket on loopback that receives and never answers; records arrival times (performance.now()). */
export async function blackHole(): Promise<{
  port: number;
  arrivals: number[];
  sources: dgram.RemoteInfo[];
  close(): Promise<void>;
}> {
  const socket = dgram.createSocket('udp4');
  const arrivals: number[] = [];
  const sources: dgram.RemoteInfo[] = [];
  socket.on('message', (_m, rinfo) => {
    arrivals.push(performance.now());
    sources.push(rinfo);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    arrivals,
    sources,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** The answer of a tiny agent holding `sorted` (GET, GETNEXT, GETBULK) to a v1/v2c request. */
function tinyAnswer(sorted: VarBind[], request: CommunityMessage): Uint8Array {
  const next = (oid: string): VarBind =>
    sorted.find((vb) => compareOids(vb.oid, oid) > 0) ?? { oid, value: { type: 'EndOfMibView' } };
  const pdu = request.pdu;
  let varbinds: VarBind[] = [];
  if (pdu.type === 'GetRequest') {
    varbinds = pdu.varbinds.map(
      (vb) => sorted.find((d) => d.oid === vb.oid) ?? { oid: vb.oid, value: { type: 'NoSuchObject' } },
    );
  } else if (pdu.type === 'GetNextRequest') {
    varbinds = pdu.varbinds.map((vb) => next(vb.oid));
  } else if (pdu.type === 'GetBulkRequest') {
    for (const vb of pdu.varbinds) {
      let oid = vb.oid;
      for (let i = 0; i < pdu.maxRepetitions; i++) {
        const n = next(oid);
        varbinds.push(n);
        if (n.value.type === 'EndOfMibView') break;
        oid = n.oid;
      }
    }
  }
  return encodeMessage({
    version: request.version,
    community: request.community,
    pdu: { type: 'Response', requestId: (pdu as BasicPdu).requestId, errorStatus: 0, errorIndex: 0, varbinds },
  });
}

/**
 * A tiny UDP agent answering from a sorted list of varbinds (GET, GETNEXT, GETBULK), enough to drive sessions
 * deterministically without snmpd. `hook` may replace the answer (return bytes) or drop it (return null).
 */
export async function tinyAgent(
  data: VarBind[],
  hook?: (request: CommunityMessage, reply: Uint8Array, from: dgram.RemoteInfo) => Uint8Array | null | undefined,
): Promise<{
  port: number;
  requests: number;
  send(bytes: Uint8Array, port: number, address: string): void;
  close(): Promise<void>;
}> {
  const sorted = [...data].sort((a, b) => compareOids(a.oid, b.oid));
  const socket = dgram.createSocket('udp4');
  const state = {
    port: 0,
    requests: 0,
    send: (bytes: Uint8Array, port: number, address: string) => socket.send(bytes, port, address),
    close: () => new Promise<void>((r) => socket.close(() => r())),
  };
  socket.on('message', (bytes, rinfo) => {
    state.requests++;
    const request = decodeMessage(bytes) as CommunityMessage;
    const reply = tinyAnswer(sorted, request);
    const out = hook ? hook(request, reply, rinfo) : reply;
    if (out === null) return;
    socket.send(out ?? reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  state.port = socket.address().port;
  return state;
}

/**
 * The tiny agent without a socket: a `transport` for `Session.open` whose answers arrive in a microtask after the
 * request, so before any timer of the session can fire however busy the machine is. A request the hook drops
 * (returns null) is never answered: only then does a timeout run, so counts of attempts do not depend on speed.
 */
export function tinyMemoryAgent(
  data: VarBind[],
  hook?: (request: CommunityMessage) => Uint8Array | null | undefined,
): { transport: ClientTransport; requests: number } {
  const sorted = [...data].sort((a, b) => compareOids(a.oid, b.oid));
  let listener: ((message: Uint8Array, from: MessageSource) => void) | undefined;
  let closed = false;
  const state = {
    requests: 0,
    transport: {
      send(bytes: Uint8Array) {
        state.requests++;
        const request = decodeMessage(bytes) as CommunityMessage;
        const reply = tinyAnswer(sorted, request);
        const out = hook ? hook(request) : reply;
        if (out === null) return;
        queueMicrotask(() => {
          if (!closed) listener?.(out ?? reply, PEER);
        });
      },
      onMessage(l: (message: Uint8Array, from: MessageSource) => void) {
        listener = l;
      },
      close() {
        closed = true;
      },
    } satisfies ClientTransport,
  };
  return state;
}
