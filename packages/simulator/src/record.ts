import dgram from 'node:dgram';
import net from 'node:net';
import {
  compareOids,
  decodeMessage,
  encodeMessage,
  oidStartsWith,
  type Pdu,
  USM_SECURITY_MODEL,
  type V3Message,
  type VarBind,
} from '@snmpkit/ber';
import {
  decodeSecureMessage,
  EngineTimeCache,
  encodeSecureMessage,
  UsmError,
  UsmKeyStore,
  type UsmUserInput,
  usmReportReason,
} from '@snmpkit/usm';
import { formatSnmprec } from './snmprec.js';
import { parseEndpoint } from './transports.js';

export interface RecordOptions {
  /** The agent: `udp:127.0.0.1:161`, `udp6:[::1]:161`, `tcp:host:port`. */
  peer: string;
  version: '1' | '2c' | '3';
  /** v1/v2c community. Default `public`. */
  community?: string;
  /** v3 user; protocol and level names as @snmpkit/usm reads them (canonical or Net-SNMP's: SHA-256, AES, authpriv). */
  user?: UsmUserInput;
  /** v3 context name. Default "". */
  contextName?: string;
  /** Subtree to record. Default 1.3.6.1 (everything an agent usually has). */
  oid?: string;
  /** GETBULK max-repetitions. Default 25. */
  maxRepetitions?: number;
  /** Wait for each answer, ms (as @snmpkit/session's `timeout`). Default 2000. */
  timeout?: number;
  /** Attempts after the first. Default 3. */
  retries?: number;
  /** @deprecated The same as `timeout`, its former name. */
  timeoutMs?: number;
}

/** Every option walkAgent reads: others are refused, as a misspelt one would be silently ignored. */
const RECORD_OPTIONS = [
  'peer',
  'version',
  'community',
  'user',
  'contextName',
  'oid',
  'maxRepetitions',
  'timeout',
  'retries',
  'timeoutMs',
] as const satisfies readonly (keyof RecordOptions)[];

/** The options checked, with their defaults; throws RecordError saying what is wrong. */
function checkOptions(options: RecordOptions): { timeoutMs: number; retries: number; maxRepetitions: number } {
  for (const key of Object.keys(options)) {
    if (!(RECORD_OPTIONS as readonly string[]).includes(key)) {
      throw new RecordError(`unknown option "${key}" (known: ${RECORD_OPTIONS.join(', ')})`);
    }
  }
  if (options.version !== '1' && options.version !== '2c' && options.version !== '3') {
    throw new RecordError(`version "${String(options.version)}": expected "1", "2c" or "3"`);
  }
  if (options.version === '3' && !options.user) throw new RecordError('v3 needs a user');
  const { timeout, timeoutMs } = options;
  if (timeout !== undefined && timeoutMs !== undefined && timeout !== timeoutMs) {
    throw new RecordError(`timeout and timeoutMs (deprecated) disagree: ${timeout} and ${timeoutMs} ms`);
  }
  const wait = timeout ?? timeoutMs ?? 2000;
  if (typeof wait !== 'number' || !(wait > 0) || !Number.isFinite(wait)) {
    throw new RecordError(`timeout: expected a number of milliseconds above 0, not ${String(wait)}`);
  }
  const whole = (name: string, value: number | undefined, fallback: number, min: number): number => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min) {
      throw new RecordError(`${name}: expected a whole number from ${min}, not ${String(value)}`);
    }
    return value;
  };
  return {
    timeoutMs: wait,
    retries: whole('retries', options.retries, 3, 0),
    maxRepetitions: whole('maxRepetitions', options.maxRepetitions, 25, 1),
  };
}

/** A request the agent refused or did not answer, or options or a peer that cannot be used. */
export class RecordError extends Error {
  readonly code = 'ERR_SIMULATOR_RECORD';
  constructor(message: string) {
    super(message);
    this.name = 'RecordError';
  }
}

interface Wire {
  send(bytes: Uint8Array): void;
  onMessage(listener: (bytes: Uint8Array) => void): void;
  /** A socket error (a send that failed, a connection that broke). */
  onError(listener: (error: Error) => void): void;
  close(): Promise<void>;
}

/** A socket to the peer; `connectMs` bounds a TCP connect (the time every attempt of one request would take). */
async function openWire(peer: string, connectMs: number): Promise<Wire> {
  let e: ReturnType<typeof parseEndpoint>;
  try {
    e = parseEndpoint(peer);
  } catch (error) {
    throw new RecordError(`bad peer "${peer}": ${(error as Error).message}`);
  }
  let listener: (bytes: Uint8Array) => void = () => {};
  let failed: (error: Error) => void = () => {};
  if (e.transport.startsWith('udp')) {
    const socket = dgram.createSocket(e.transport === 'udp6' ? 'udp6' : 'udp4');
    await new Promise<void>((resolve) => socket.bind(0, resolve));
    socket.on('message', (msg) => listener(new Uint8Array(msg.buffer, msg.byteOffset, msg.length)));
    // A host that does not resolve fails the send: the exchange waiting for its answer fails with it.
    socket.on('error', (error) => failed(error));
    return {
      send: (bytes) =>
        socket.send(bytes, e.port, e.host, (error) => {
          if (error) failed(error);
        }),
      onMessage: (l) => {
        listener = l;
      },
      onError: (l) => {
        failed = l;
      },
      close: () => new Promise((resolve) => socket.close(() => resolve())),
    };
  }
  const socket = net.connect({ host: e.host, port: e.port });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
      socket.setTimeout(connectMs, () => reject(new Error(`no connection within ${connectMs} ms`)));
    });
  } catch (error) {
    socket.destroy();
    throw new RecordError(`cannot connect to ${peer}: ${(error as Error).message}`);
  }
  socket.setTimeout(0);
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      if (pending.length < 2) return;
      const first = pending[1]!;
      const n = first < 0x80 ? 0 : first & 0x7f;
      if (pending.length < 2 + n) return;
      let len = first < 0x80 ? first : 0;
      for (let i = 0; i < n; i++) len = len * 256 + pending[2 + i]!;
      const total = 2 + n + len;
      if (pending.length < total) return;
      listener(Uint8Array.from(pending.subarray(0, total)));
      pending = pending.subarray(total);
    }
  });
  socket.on('error', (error) => failed(error));
  return {
    send: (bytes) => socket.write(bytes),
    onMessage: (l) => {
      listener = l;
    },
    onError: (l) => {
      failed = l;
    },
    close: () =>
      new Promise((resolve) => {
        socket.end(() => resolve());
        socket.destroy();
      }),
  };
}

/** Sends requests one at a time, resending on timeout, and hands back the reply a predicate accepts. */
class Exchanger {
  #waiting: ((bytes: Uint8Array) => boolean) | undefined;
  #failed: ((error: Error) => void) | undefined;

  constructor(
    readonly wire: Wire,
    readonly peer: string,
    readonly timeoutMs: number,
    readonly retries: number,
  ) {
    wire.onMessage((bytes) => {
      this.#waiting?.(bytes);
    });
    wire.onError((error) => this.#failed?.(error));
  }

  exchange<T>(request: () => Uint8Array, accept: (bytes: Uint8Array) => T | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let attempt = 0;
      let timer: NodeJS.Timeout | undefined;
      const send = () => {
        if (attempt++ > this.retries) {
          this.#waiting = undefined;
          const attempts = `${this.retries + 1} attempt${this.retries === 0 ? '' : 's'}`;
          reject(new RecordError(`no response from ${this.peer} (${attempts}, ${this.timeoutMs} ms each)`));
          return;
        }
        this.wire.send(request());
        timer = setTimeout(send, this.timeoutMs);
      };
      this.#failed = (error) => {
        clearTimeout(timer);
        this.#waiting = undefined;
        reject(new RecordError(`${this.peer}: ${error.message}`));
      };
      this.#waiting = (bytes) => {
        let value: T | undefined;
        try {
          value = accept(bytes);
        } catch (error) {
          clearTimeout(timer);
          this.#waiting = undefined;
          // A reply that does not decode is the agent's fault, reported as such (not as a bare BerError).
          reject(error instanceof RecordError ? error : new RecordError(`${this.peer}: ${(error as Error).message}`));
          return true;
        }
        if (value === undefined) return false;
        clearTimeout(timer);
        this.#waiting = undefined;
        resolve(value);
        return true;
      };
      send();
    });
  }
}

type Requester = (pdu: Pdu) => Promise<Pdu>;

let nextId = Math.floor(Math.random() * 0x3fffffff);
const newId = () => {
  nextId = (nextId + 1) & 0x3fffffff;
  return nextId;
};

function communityRequester(ex: Exchanger, version: 0 | 1, community: string): Requester {
  return (pdu) => {
    const requestId = pdu.type === 'TrapV1' ? 0 : pdu.requestId;
    return ex.exchange(
      () => encodeMessage({ version, community, pdu }),
      (bytes) => {
        try {
          const m = decodeMessage(bytes);
          return m.version !== 3 && m.pdu.type === 'Response' && m.pdu.requestId === requestId ? m.pdu : undefined;
        } catch {
          return undefined;
        }
      },
    );
  };
}

async function v3Requester(ex: Exchanger, user: UsmUserInput, contextName: string): Promise<Requester> {
  const store = new UsmKeyStore([user]);
  const times = new EngineTimeCache();
  const empty = new Uint8Array(0);
  const message = (msgId: number, pdu: Pdu, engineId: Uint8Array, boots: number, time: number): V3Message => ({
    version: 3,
    msgId,
    msgMaxSize: 65507,
    msgFlags: 0x04,
    securityModel: USM_SECURITY_MODEL,
    securityParameters: {
      engineId,
      engineBoots: boots,
      engineTime: time,
      userName: '',
      authParameters: empty,
      privParameters: empty,
    },
    scopedPdu: { contextEngineId: engineId, contextName, pdu },
  });
  // Discovery (RFC 3414 §4): an empty request from no one; the Report names the engine, its boots and time.
  const discoveryId = newId();
  const engineId = await ex.exchange(
    () =>
      encodeMessage(
        message(
          discoveryId,
          { type: 'GetRequest', requestId: newId(), errorStatus: 0, errorIndex: 0, varbinds: [] },
          empty,
          0,
          0,
        ),
      ),
    (bytes) => {
      const m = decodeMessage(bytes);
      if (m.version !== 3 || m.msgId !== discoveryId) return undefined;
      const sp = m.securityParameters;
      times.set(sp.engineId, sp.engineBoots, sp.engineTime);
      return sp.engineId;
    },
  );
  const keys = store.keysFor(user.name, engineId);
  const resolver = store.resolver();
  const send = (pdu: Pdu, resynced: boolean): Promise<Pdu> => {
    const msgId = newId();
    return ex
      .exchange(
        () => {
          const t = times.get(engineId)!;
          const m = message(msgId, pdu, engineId, t.boots, t.time);
          m.securityParameters.userName = user.name;
          return encodeSecureMessage(m, keys);
        },
        (bytes) => {
          let decoded: ReturnType<typeof decodeSecureMessage>;
          try {
            decoded = decodeSecureMessage(bytes, resolver, { timeliness: times.timeliness });
          } catch (error) {
            if (error instanceof UsmError) throw new RecordError(`v3: ${error.message}`);
            return undefined;
          }
          if (decoded.message.msgId !== msgId) return undefined;
          const reply = decoded.message.scopedPdu!.pdu;
          if (reply.type === 'Report') {
            const reason = usmReportReason(reply);
            if (reason === 'notInTimeWindow' && !resynced) {
              const sp = decoded.message.securityParameters;
              times.set(sp.engineId, sp.engineBoots, sp.engineTime);
              return 'resync' as const;
            }
            throw new RecordError(`v3: the agent reported ${reason ?? reply.varbinds[0]?.oid ?? 'an error'}`);
          }
          return reply;
        },
      )
      .then((r) => (r === 'resync' ? send(pdu, true) : r));
  };
  return (pdu) => send(pdu, false);
}

/**
 * Walks a live agent's subtree (GETBULK on v2c/v3, GETNEXT on v1) and returns what it answered, in order. Stops at
 * the subtree's end, at endOfMibView, and (with an error) at an OID that does not increase.
 */
export async function walkAgent(options: RecordOptions): Promise<VarBind[]> {
  const { timeoutMs, retries, maxRepetitions } = checkOptions(options);
  const root = (options.oid ?? '1.3.6.1').replace(/^\./, '');
  const wire = await openWire(options.peer, timeoutMs * (retries + 1));
  const ex = new Exchanger(wire, options.peer, timeoutMs, retries);
  try {
    let request: Requester;
    if (options.version === '3') {
      request = await v3Requester(ex, options.user!, options.contextName ?? '');
    } else {
      request = communityRequester(ex, options.version === '1' ? 0 : 1, options.community ?? 'public');
    }
    const out: VarBind[] = [];
    let cursor = root;
    for (;;) {
      const varbinds = [{ oid: cursor, value: { type: 'Null' as const } }];
      const pdu: Pdu =
        options.version === '1'
          ? { type: 'GetNextRequest', requestId: newId(), errorStatus: 0, errorIndex: 0, varbinds }
          : {
              type: 'GetBulkRequest',
              requestId: newId(),
              nonRepeaters: 0,
              maxRepetitions,
              varbinds,
            };
      const reply = await request(pdu);
      if (reply.type === 'TrapV1' || reply.type === 'GetBulkRequest') throw new RecordError('unexpected reply');
      if (reply.errorStatus !== 0) {
        if (options.version === '1' && reply.errorStatus === 2) return out; // noSuchName: the end of the MIB
        throw new RecordError(`the agent answered error-status ${reply.errorStatus} at ${reply.errorIndex}`);
      }
      if (reply.varbinds.length === 0) return out;
      for (const vb of reply.varbinds) {
        if (vb.value.type === 'EndOfMibView' || !oidStartsWith(vb.oid, root)) return out;
        if (compareOids(vb.oid, cursor) <= 0) throw new RecordError(`OID not increasing: ${vb.oid} after ${cursor}`);
        cursor = vb.oid;
        if (vb.value.type !== 'NoSuchObject' && vb.value.type !== 'NoSuchInstance') out.push(vb);
      }
    }
  } finally {
    await wire.close();
  }
}

/** Records a live agent as .snmprec text: `record` then simulate answers what the agent answered. */
export async function record(options: RecordOptions): Promise<string> {
  return formatSnmprec(await walkAgent(options));
}
