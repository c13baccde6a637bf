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
  type UsmUser,
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
  /** v3 user. */
  user?: UsmUser;
  /** v3 context name. Default "". */
  contextName?: string;
  /** Subtree to record. Default 1.3.6.1 (everything an agent usually has). */
  oid?: string;
  /** GETBULK max-repetitions. Default 25. */
  maxRepetitions?: number;
  /** Wait for each answer, ms. Default 2000. */
  timeoutMs?: number;
  /** Attempts after the first. Default 3. */
  retries?: number;
}

/** A request the agent refused or did not answer. */
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
  close(): Promise<void>;
}

async function openWire(peer: string): Promise<Wire> {
  const e = parseEndpoint(peer);
  let listener: (bytes: Uint8Array) => void = () => {};
  if (e.transport.startsWith('udp')) {
    const socket = dgram.createSocket(e.transport === 'udp6' ? 'udp6' : 'udp4');
    await new Promise<void>((resolve) => socket.bind(0, resolve));
    socket.on('message', (msg) => listener(new Uint8Array(msg.buffer, msg.byteOffset, msg.length)));
    return {
      send: (bytes) => socket.send(bytes, e.port, e.host),
      onMessage: (l) => {
        listener = l;
      },
      close: () => new Promise((resolve) => socket.close(() => resolve())),
    };
  }
  const socket = net.connect({ host: e.host, port: e.port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
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
  socket.on('error', () => {});
  return {
    send: (bytes) => socket.write(bytes),
    onMessage: (l) => {
      listener = l;
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

  constructor(
    readonly wire: Wire,
    readonly timeoutMs: number,
    readonly retries: number,
  ) {
    wire.onMessage((bytes) => {
      this.#waiting?.(bytes);
    });
  }

  exchange<T>(request: () => Uint8Array, accept: (bytes: Uint8Array) => T | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let attempt = 0;
      let timer: NodeJS.Timeout | undefined;
      const send = () => {
        if (attempt++ > this.retries) {
          this.#waiting = undefined;
          reject(new RecordError('no response from the agent'));
          return;
        }
        this.wire.send(request());
        timer = setTimeout(send, this.timeoutMs);
      };
      this.#waiting = (bytes) => {
        let value: T | undefined;
        try {
          value = accept(bytes);
        } catch (error) {
          clearTimeout(timer);
          this.#waiting = undefined;
          reject(error);
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

async function v3Requester(ex: Exchanger, user: UsmUser, contextName: string): Promise<Requester> {
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
  const root = (options.oid ?? '1.3.6.1').replace(/^\./, '');
  const wire = await openWire(options.peer);
  const ex = new Exchanger(wire, options.timeoutMs ?? 2000, options.retries ?? 3);
  try {
    let request: Requester;
    if (options.version === '3') {
      if (!options.user) throw new RecordError('v3 needs a user');
      request = await v3Requester(ex, options.user, options.contextName ?? '');
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
              maxRepetitions: options.maxRepetitions ?? 25,
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
