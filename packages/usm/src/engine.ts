import { BerError, MAX_UDP_MESSAGE_SIZE, MsgFlags, type Pdu, type V3Message, type VarBind } from '@snmpkit/ber';
import { UsmError, type UsmErrorReason } from './errors.js';
import type { KeyResolver, UsmKeyStore } from './key-store.js';
import type { LocalizedKeys } from './localized-keys.js';
import { decodeSecureMessage, encodeSecureMessage, usmMessage } from './message.js';
import type { SecurityLevel } from './protocols.js';
import { UsmStats, usmReportMessage } from './reports.js';
import { AuthoritativeClock, type AuthoritativeClockOptions } from './time.js';

export interface UsmEngineOptions extends AuthoritativeClockOptions {
  /** The users whose requests (or informs) this engine accepts, keys localized to `engineId`. */
  users: UsmKeyStore;
  /** msgMaxSize of the Reports and Responses this engine sends. Default MAX_UDP_MESSAGE_SIZE (65507). */
  msgMaxSize?: number;
}

/** What the authoritative engine made of an incoming v3 message. */
export type UsmReceived =
  | {
      accepted: true;
      /** The message with its plaintext scopedPdu. */
      message: V3Message;
      /** The level it was sent at. */
      level: SecurityLevel;
      /** The level the user was configured with (a user may send below it). */
      userLevel: SecurityLevel;
      /** The user's keys at the message's level: `respond` answers with them, at the same level. */
      keys: LocalizedKeys | undefined;
    }
  | {
      accepted: false;
      /** Which usmStats counter was incremented (or invalidMsgFlags: snmpInvalidMsgs, never reported). */
      reason: UsmErrorReason;
      /** The Report to send back (RFC 3412 §7.2 step 3), or undefined when the message was not reportable. */
      report: Uint8Array | undefined;
    };

/**
 * The authoritative side of USM (RFC 3414 §3.2, RFC 3412 §7.2): what an agent is for requests and a notification
 * receiver for informs. `receive` applies USM's checks against this engine's ID, clock and users, counts refusals
 * in usmStats and builds the Report a reportable refused message gets (the notInTimeWindow one authenticated, as
 * RFC 3414 §3.2 step 7a wants, so that the sender trusts the time in it); `respond` secures the answer to an
 * accepted message. The simulator's Agent and the session's NotificationReceiver both use it.
 */
export class UsmAuthoritativeEngine {
  /** snmpEngineID, boots and time. A restart is `clock.reboot()`. */
  readonly clock: AuthoritativeClock;
  readonly users: UsmKeyStore;
  /** The usmStats counters the Reports carry (Counter32, never reset). */
  readonly usmStats = new UsmStats();
  readonly msgMaxSize: number;
  #userLevel: SecurityLevel = 'noAuthNoPriv';
  /** The store's keys, remembering the user's own level (the keys handed back are at the message's level). */
  readonly #resolver: KeyResolver;

  constructor(options: UsmEngineOptions) {
    this.clock = new AuthoritativeClock(options);
    this.users = options.users;
    this.msgMaxSize = options.msgMaxSize ?? MAX_UDP_MESSAGE_SIZE;
    this.#resolver = (userName, engineId) => {
      const keys = this.users.keysFor(userName, engineId);
      if (keys) this.#userLevel = keys.level;
      return keys;
    };
  }

  get engineId(): Uint8Array {
    return this.clock.engineId;
  }

  /**
   * Applies USM to an incoming v3 message. `plain` is the message as decodeMessage read it (its header), when the
   * caller has it already. Throws BerError for bytes that are not a v3 message.
   */
  receive(bytes: Uint8Array, plain?: V3Message): UsmReceived {
    this.#userLevel = 'noAuthNoPriv';
    try {
      const { message, level, keys } = decodeSecureMessage(bytes, this.#resolver, {
        authoritativeEngineId: this.clock.engineId,
        timeliness: this.clock.timeliness,
      });
      return { accepted: true, message, level, userLevel: this.#userLevel, keys };
    } catch (error) {
      if (!(error instanceof UsmError)) throw error;
      const reason = error.reason;
      if (reason === 'invalidMsgFlags') return { accepted: false, reason, report: undefined };
      const counter = this.usmStats.count(reason);
      const received = error.received ?? plain;
      if (!received) throw new BerError('an SNMPv3 message');
      if ((received.msgFlags & MsgFlags.reportable) === 0) return { accepted: false, reason, report: undefined };
      const keys =
        reason === 'notInTimeWindow'
          ? this.users.keysFor(received.securityParameters.userName, this.clock.engineId, 'authNoPriv')
          : undefined;
      return { accepted: false, reason, report: this.report(received, counter, keys) };
    }
  }

  /**
   * A Report for `request` carrying `counter` (a usmStats varbind, or another MIB's such as snmpUnknownContexts),
   * in the shape Net-SNMP's snmpd sends (see usmReportMessage), secured with `keys` (undefined: noAuthNoPriv).
   */
  report(request: V3Message, counter: VarBind, keys?: LocalizedKeys): Uint8Array {
    const { boots, time } = this.clock.read();
    const report = usmReportMessage({
      received: request,
      counter,
      engineId: this.clock.engineId,
      engineBoots: boots,
      engineTime: time,
      msgMaxSize: this.msgMaxSize,
    });
    return encodeSecureMessage(report, keys);
  }

  /**
   * The answer to an accepted message (RFC 3412 §7.1 step 3, prepareResponseMsg): same msgID, user and context
   * (the request's contextEngineID and contextName), this engine's ID, boots and time, secured with `keys` (the
   * ones `receive` returned, at the request's level), not reportable.
   */
  respond(request: V3Message, keys: LocalizedKeys | undefined, pdu: Pdu): Uint8Array {
    const { boots, time } = this.clock.read();
    const scoped = request.scopedPdu;
    const engineId = this.clock.engineId;
    return encodeSecureMessage(
      usmMessage({
        msgId: request.msgId,
        msgMaxSize: this.msgMaxSize,
        reportable: false,
        engineId,
        engineBoots: boots,
        engineTime: time,
        userName: request.securityParameters.userName,
        contextEngineId: scoped?.contextEngineId ?? engineId,
        contextName: scoped?.contextName ?? '',
        pdu,
      }),
      keys,
    );
  }
}
