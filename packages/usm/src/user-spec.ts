import { UsmConfigError } from './errors.js';
import type { UsmUser } from './key-store.js';
import { authProtocolNamed, engineIdFrom, privProtocolNamed } from './protocols.js';

/** A user read from a spec: the USM user, and the sending engine it is bound to when the spec names one. */
export interface UsmUserSpec extends UsmUser {
  /** `@ENGINEID` of the spec, as hex in lower case without `0x`; absent when the spec names none. */
  engineId?: string;
}

/** Specs are command-line text: protocols read as Net-SNMP's -a/-x read them, abbreviations included. */
const NET_SNMP_READING = { abbreviations: true };

/** The spec's grammar, as errors give it. */
const USER_SPEC_FORM = 'NAME[:AUTHPROTO:AUTHPASS[:PRIVPROTO:PRIVPASS]][@ENGINEID]';

/**
 * A user spec `NAME:AUTHPROTO:AUTHPASS:PRIVPROTO:PRIVPASS` as errors may print it: the name and the fields that are
 * protocol names; every other field (the passwords, or what may be one in a spec whose fields are out of place) as
 * `***`.
 */
export function redactUserSpec(spec: string): string {
  return spec
    .split(':')
    .map((field, i) =>
      i === 0 ||
      (i === 1 && authProtocolNamed(field, NET_SNMP_READING)) ||
      (i === 3 && privProtocolNamed(field, NET_SNMP_READING))
        ? field
        : '***',
    )
    .join(':');
}

/**
 * A user as one string, `NAME[:AUTHPROTO:AUTHPASS[:PRIVPROTO:PRIVPASS]][@ENGINEID]` (snmpkit simulate's and trapd's
 * --user): the level follows from the fields given; protocols by any name `authProtocolNamed`/`privProtocolNamed`
 * read (`SHA-256`, `sha256`, Net-SNMP's abbreviation `SHA-2`, `AES-256-C`, `3DES`); `@ENGINEID` (hex, as
 * snmptrapd's `createUser -e`) binds the user to one sending engine. Passwords cannot hold `:`. Throws
 * UsmConfigError that shows the spec with its passwords as `***`.
 */
export function parseUserSpec(spec: string): UsmUserSpec {
  if (typeof spec !== 'string') throw new UsmConfigError(`a user spec must be a string (${USER_SPEC_FORM})`);
  const refuse = (why: string) => new UsmConfigError(`${redactUserSpec(spec)}: ${why}`);
  let rest = spec;
  let engineId: string | undefined;
  const at = /@((?:0x)?[0-9a-f]+)$/i.exec(rest);
  if (at) {
    rest = rest.slice(0, at.index);
    if (at[1]!.replace(/^0x/i, '').length % 2 !== 0) throw refuse('the engine ID is not whole bytes of hex');
    try {
      engineId = Buffer.from(engineIdFrom(at[1]!, 'the engine ID', true)).toString('hex');
    } catch (error) {
      throw refuse((error as Error).message.replace(/: ".*"$/, ''));
    }
  }
  const parts = rest.split(':');
  const [name, auth, authPassword, priv, privPassword] = parts;
  if (!name || (parts.length !== 1 && parts.length !== 3 && parts.length !== 5)) {
    throw refuse(`expected ${USER_SPEC_FORM}`);
  }
  const user: UsmUserSpec = { name, level: 'noAuthNoPriv', ...(engineId !== undefined ? { engineId } : {}) };
  if (auth === undefined) return user;
  const authProtocol = authProtocolNamed(auth, NET_SNMP_READING);
  // The field is not echoed: in a spec whose fields are out of place it may be a password.
  if (authProtocol === undefined) throw refuse('field 2 is not a known authentication protocol');
  Object.assign(user, { level: 'authNoPriv', authProtocol, authPassword });
  if (priv === undefined) return user;
  const privProtocol = privProtocolNamed(priv, NET_SNMP_READING);
  if (privProtocol === undefined) throw refuse('field 4 is not a known privacy protocol');
  return Object.assign(user, { level: 'authPriv', privProtocol, privPassword });
}
