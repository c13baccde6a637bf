import type { BasicPdu, V3Message } from '@snmpkit/ber';
import {
  decodeSecureMessage,
  EngineTimeCache,
  engineIdFrom,
  engineIdKey,
  type LocalizedKeys,
  type Now,
  randomEngineId,
  type SecurityLevel,
  UsmAuthoritativeEngine,
  UsmConfigError,
  UsmError,
  UsmKeyStore,
} from '@snmpkit/usm';
import { GeneralError } from './errors.js';
import { checkV3User, type V3User } from './v3.js';

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

/** A configured engine ID, or GeneralError SNMPERR_BAD_ENG_ID naming the option. */
function engineIdBytes(value: Uint8Array | string, what: string): Uint8Array {
  return asGeneralError('SNMPERR_BAD_ENG_ID', () => engineIdFrom(value, what));
}

/** UsmConfigError (it names the user and the field, never a secret) as the session's GeneralError. */
function asGeneralError<T>(code: 'SNMPERR_GENERR' | 'SNMPERR_BAD_ENG_ID', run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof UsmConfigError) throw new GeneralError(code, { detail: error.message });
    throw error;
  }
}

/**
 * The receiver's USM (RFC 3414 §3.2 and RFC 3412 §7.2): for traps it is the non-authoritative side (users per
 * sending engine, a notion of each sender's time), for informs the authoritative one (@snmpkit/usm's
 * UsmAuthoritativeEngine: its own engine ID and clock, Reports for refused reportable messages, discovery included).
 */
export class ReceiverUsm {
  /** The authoritative engine informs are sent to; its users' keys are localized to it. */
  readonly engine: UsmAuthoritativeEngine;
  /** Users for traps, by the sending engine's ID in hex: a name may have other passwords on other engines. */
  readonly #senders = new Map<string, UsmKeyStore>();
  readonly #senderTimes: EngineTimeCache;

  constructor(options: ReceiverUsmOptions) {
    const own = options.engineId === undefined ? randomEngineId() : engineIdBytes(options.engineId, 'engineId');
    const informUsers = new UsmKeyStore();
    this.#senderTimes = new EngineTimeCache(options.now ? { now: options.now } : {});
    for (const user of options.users ?? []) {
      const { engineId, ...given } = user;
      const rest = checkV3User(given);
      let store = informUsers;
      if (engineId !== undefined) {
        const hex = engineIdKey(engineIdBytes(engineId, `user ${rest.name}'s engineId`));
        store = this.#senders.get(hex) ?? new UsmKeyStore();
        this.#senders.set(hex, store);
      }
      asGeneralError('SNMPERR_GENERR', () => store.addUser(rest));
    }
    this.engine = asGeneralError(
      'SNMPERR_GENERR',
      () =>
        new UsmAuthoritativeEngine({
          engineId: own,
          ...(options.engineBoots !== undefined ? { boots: options.engineBoots } : {}),
          ...(options.now ? { now: options.now } : {}),
          users: informUsers,
        }),
    );
  }

  get engineId(): Uint8Array {
    return this.engine.engineId;
  }

  #isOwn(engineId: Uint8Array): boolean {
    const own = this.engine.engineId;
    return engineId.length === own.length && Buffer.compare(engineId, own) === 0;
  }

  /** Throws BerError on bytes that are not a v3 message. */
  receive(bytes: Uint8Array, plain: V3Message): V3Outcome {
    const engineId = plain.securityParameters.engineId;
    // Our engine, or none (a discovery probe): we are authoritative (an inform). Any other engine: a trap's sender.
    if (engineId.length === 0 || this.#isOwn(engineId)) {
      const received = this.engine.receive(bytes, plain);
      if (!received.accepted) return { kind: 'refused', reason: received.reason, report: received.report };
      const { message, level, userLevel, keys } = received;
      return { kind: 'accepted', message, level, userLevel, keys };
    }
    let userLevel: SecurityLevel = 'noAuthNoPriv';
    try {
      const decoded = decodeSecureMessage(
        bytes,
        (name, id) => {
          const keys = this.#senders.get(engineIdKey(id))?.keysFor(name, id);
          if (keys) userLevel = keys.level;
          return keys;
        },
        { timeliness: this.#senderTimes.timeliness },
      );
      return { kind: 'accepted', message: decoded.message, level: decoded.level, userLevel, keys: decoded.keys };
    } catch (error) {
      if (!(error instanceof UsmError)) throw error;
      const reason = error.reason;
      // Counted with the engine's usmStats; never reported: a trap is not reportable (RFC 3412 §7.2 step 3), and a
      // report about a sender's engine would claim an engine that is not ours.
      if (reason !== 'invalidMsgFlags') this.engine.usmStats.count(reason);
      return { kind: 'refused', reason, report: undefined };
    }
  }

  /** The Response to an InformRequest (RFC 3416 §4.2.7): same msgID, user, level and context, our engine's time. */
  acknowledge(request: V3Message, keys: LocalizedKeys | undefined, pdu: BasicPdu): Uint8Array {
    return this.engine.respond(request, keys, {
      type: 'Response',
      requestId: pdu.requestId,
      errorStatus: 0,
      errorIndex: 0,
      varbinds: pdu.varbinds,
    });
  }
}
