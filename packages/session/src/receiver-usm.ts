import type { BasicPdu, V3Message } from '@snmpkit/ber';
import {
  AuthoritativeClock,
  decodeSecureMessage,
  EngineTimeCache,
  encodeSecureMessage,
  type LocalizedKeys,
  type Now,
  type SecurityLevel,
  UsmConfigError,
  UsmError,
  UsmKeyStore,
  UsmStats,
  usmReportMessage,
} from '@snmpkit/usm';
import { GeneralError } from './errors.js';
import { checkV3User, randomEngineId, type V3User } from './v3.js';

/** A v3 user of the receiver: for traps from the engine `engineId`, or (without it) for informs. */
export interface NotificationUser extends V3User {
  /** The sending engine's ID (bytes or hex) whose traps this user authenticates. */
  engineId?: Uint8Array | string;
}

/** What the receiver's USM is configured with (NotificationReceiverOptions' v3 part). */
export interface ReceiverUsmOptions {
  users?: readonly NotificationUser[];
  engineId?: Uint8Array | string;
  engineBoots?: number;
  now?: Now;
}

export const LEVEL_RANK: Record<SecurityLevel, number> = { noAuthNoPriv: 0, authNoPriv: 1, authPriv: 2 };

export type V3Outcome =
  | {
      kind: 'accepted';
      message: V3Message;
      level: SecurityLevel;
      /** The level the user was declared with. */
      userLevel: SecurityLevel;
      keys: LocalizedKeys | undefined;
    }
  | { kind: 'refused'; reason: string; report: Uint8Array | undefined };

const EMPTY = new Uint8Array(0);

function engineIdBytes(value: Uint8Array | string, what: string): Uint8Array {
  if (value instanceof Uint8Array) return Uint8Array.from(value);
  const hex = value.replace(/^0x/i, '');
  if (!/^([0-9a-f]{2})+$/i.test(hex)) {
    throw new GeneralError('SNMPERR_BAD_ENG_ID', { detail: `${what}: ${JSON.stringify(value)} is not hex` });
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/**
 * The receiver's USM (RFC 3414 §3.2 and RFC 3412 §7.2): for traps it is the non-authoritative side (users per
 * sending engine, a notion of each sender's time), for informs the authoritative one (its own engine ID and clock,
 * Reports for refused reportable messages, discovery included).
 */
export class ReceiverUsm {
  readonly clock: AuthoritativeClock;
  /** Users for informs, keys localized to our own engine. */
  readonly #own = new UsmKeyStore();
  /** Users for traps, by the sending engine's ID in hex: a name may have other passwords on other engines. */
  readonly #senders = new Map<string, UsmKeyStore>();
  readonly #senderTimes: EngineTimeCache;
  readonly #usmStats = new UsmStats();

  constructor(options: ReceiverUsmOptions) {
    const own = options.engineId === undefined ? randomEngineId() : engineIdBytes(options.engineId, 'engineId');
    this.clock = new AuthoritativeClock({
      engineId: own,
      ...(options.engineBoots !== undefined ? { boots: options.engineBoots } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    this.#senderTimes = new EngineTimeCache(options.now ? { now: options.now } : {});
    for (const user of options.users ?? []) {
      const { engineId, ...given } = user;
      const rest = checkV3User(given);
      let store = this.#own;
      if (engineId !== undefined) {
        const hex = Buffer.from(engineIdBytes(engineId, `user ${rest.name}'s engineId`)).toString('hex');
        store = this.#senders.get(hex) ?? new UsmKeyStore();
        this.#senders.set(hex, store);
      }
      try {
        store.addUser(rest);
      } catch (error) {
        // UsmConfigError names the user and the field, never a secret.
        if (error instanceof UsmConfigError) throw new GeneralError('SNMPERR_GENERR', { detail: error.message });
        throw error;
      }
    }
  }

  #isOwn(engineId: Uint8Array): boolean {
    const own = this.clock.engineId;
    return engineId.length === own.length && Buffer.compare(engineId, own) === 0;
  }

  /** Throws BerError on bytes that are not a v3 message. */
  receive(bytes: Uint8Array, plain: V3Message): V3Outcome {
    const engineId = plain.securityParameters.engineId;
    // Our engine, or none (a discovery probe): we are authoritative (an inform). Any other engine: a trap's sender.
    const authoritative = engineId.length === 0 || this.#isOwn(engineId);
    let userLevel: SecurityLevel = 'noAuthNoPriv';
    const keysFor = (store: UsmKeyStore | undefined, name: string, id: Uint8Array) => {
      const keys = store?.keysFor(name, id);
      if (keys) userLevel = keys.level;
      return keys;
    };
    try {
      const decoded = authoritative
        ? decodeSecureMessage(bytes, (name, id) => keysFor(this.#own, name, id), {
            authoritativeEngineId: this.clock.engineId,
            timeliness: this.clock.timeliness,
          })
        : decodeSecureMessage(
            bytes,
            (name, id) => keysFor(this.#senders.get(Buffer.from(id).toString('hex')), name, id),
            { timeliness: this.#senderTimes.timeliness },
          );
      return { kind: 'accepted', message: decoded.message, level: decoded.level, userLevel, keys: decoded.keys };
    } catch (error) {
      if (!(error instanceof UsmError)) throw error;
      const reason = error.reason;
      if (reason === 'invalidMsgFlags') return { kind: 'refused', reason, report: undefined };
      const counter = this.#usmStats.count(reason);
      // Only the authoritative engine reports (RFC 3412 §7.2 step 3 and RFC 3414 §3.2): a trap is never reportable,
      // and a report about a sender's engine would claim an engine that is not ours.
      const reportable = (plain.msgFlags & 0x04) !== 0 && authoritative;
      if (!reportable) return { kind: 'refused', reason, report: undefined };
      const { boots, time } = this.clock.read();
      const report = usmReportMessage({
        received: error.received ?? plain,
        counter,
        engineId: this.clock.engineId,
        engineBoots: boots,
        engineTime: time,
      });
      // The time-window report is authenticated (RFC 3414 §3.2 step 7a): the sender must trust the time in it.
      const keys =
        reason === 'notInTimeWindow'
          ? this.#own.keysFor(plain.securityParameters.userName, this.clock.engineId, 'authNoPriv')
          : undefined;
      return { kind: 'refused', reason, report: encodeSecureMessage(report, keys) };
    }
  }

  /** The Response to an InformRequest (RFC 3416 §4.2.7): same msgID, user, level and context, our engine's time. */
  acknowledge(request: V3Message, keys: LocalizedKeys | undefined, pdu: BasicPdu): Uint8Array {
    const { boots, time } = this.clock.read();
    const scoped = request.scopedPdu!;
    const response: V3Message = {
      version: 3,
      msgId: request.msgId,
      msgMaxSize: 65507,
      msgFlags: 0,
      securityModel: 3,
      securityParameters: {
        engineId: this.clock.engineId,
        engineBoots: boots,
        engineTime: time,
        userName: request.securityParameters.userName,
        authParameters: EMPTY,
        privParameters: EMPTY,
      },
      scopedPdu: {
        contextEngineId: scoped.contextEngineId,
        contextName: scoped.contextName,
        pdu: { type: 'Response', requestId: pdu.requestId, errorStatus: 0, errorIndex: 0, varbinds: pdu.varbinds },
      },
    };
    return encodeSecureMessage(response, keys);
  }
}
