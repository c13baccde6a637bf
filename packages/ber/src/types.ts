/** A decoded Net-SNMP special Opaque value (float, double, 64-bit integers wrapped in an Opaque). */
export type OpaqueSpecial =
  | { type: 'Float'; value: number }
  | { type: 'Double'; value: number }
  | { type: 'Integer64'; value: bigint }
  | { type: 'Unsigned64'; value: bigint }
  | { type: 'Counter64'; value: bigint };

export type SnmpValue =
  | { type: 'Integer'; value: number }
  | { type: 'OctetString'; value: Uint8Array }
  | { type: 'Null' }
  | { type: 'ObjectIdentifier'; value: string }
  | { type: 'IpAddress'; value: string }
  | { type: 'Counter32'; value: number }
  | { type: 'Gauge32'; value: number }
  | { type: 'TimeTicks'; value: number }
  /** Net-SNMP's UInteger32 (application tag 7, obsoleted by RFC 2578 but still sent): an unsigned 32-bit number. */
  | { type: 'UInteger32'; value: number }
  /** `value` holds the Opaque's content bytes; `opaque` is their decoded form when they are a Net-SNMP special. */
  | { type: 'Opaque'; value: Uint8Array; opaque?: OpaqueSpecial }
  | { type: 'Counter64'; value: bigint }
  | { type: 'NoSuchObject' }
  | { type: 'NoSuchInstance' }
  | { type: 'EndOfMibView' };

export type SnmpValueType = SnmpValue['type'];

/** An OID as dotted decimal without a leading dot, and its value. */
export interface VarBind {
  oid: string;
  value: SnmpValue;
}

export type PduType =
  | 'GetRequest'
  | 'GetNextRequest'
  | 'Response'
  | 'SetRequest'
  | 'TrapV1'
  | 'GetBulkRequest'
  | 'InformRequest'
  | 'TrapV2'
  | 'Report';

/** Every PDU but GetBulk and the v1 Trap: request-id, error-status, error-index, varbinds. */
export interface BasicPdu {
  type: 'GetRequest' | 'GetNextRequest' | 'Response' | 'SetRequest' | 'InformRequest' | 'TrapV2' | 'Report';
  requestId: number;
  errorStatus: number;
  errorIndex: number;
  varbinds: VarBind[];
}

export interface GetBulkPdu {
  type: 'GetBulkRequest';
  requestId: number;
  nonRepeaters: number;
  maxRepetitions: number;
  varbinds: VarBind[];
}

export interface TrapV1Pdu {
  type: 'TrapV1';
  enterprise: string;
  agentAddress: string;
  genericTrap: number;
  specificTrap: number;
  timestamp: number;
  varbinds: VarBind[];
}

export type Pdu = BasicPdu | GetBulkPdu | TrapV1Pdu;

/** SNMPv1 (version 0) or SNMPv2c (version 1) community-based message. */
export interface CommunityMessage {
  version: 0 | 1;
  /** The community as bytes would lose nothing, but it is text in every real deployment: decoded as latin1. */
  community: string;
  pdu: Pdu;
}

/** RFC 3414 UsmSecurityParameters. */
export interface UsmSecurityParameters {
  engineId: Uint8Array;
  engineBoots: number;
  engineTime: number;
  userName: string;
  authParameters: Uint8Array;
  privParameters: Uint8Array;
}

export interface ScopedPdu {
  contextEngineId: Uint8Array;
  contextName: string;
  pdu: Pdu;
}

/** msgFlags bits (RFC 3412). */
export const MsgFlags = { auth: 0x01, priv: 0x02, reportable: 0x04 } as const;

/** SNMPv3 message (RFC 3412) with USM security parameters; exactly one of scopedPdu and encryptedPdu is set. */
export interface V3Message {
  version: 3;
  msgId: number;
  msgMaxSize: number;
  msgFlags: number;
  securityModel: number;
  securityParameters: UsmSecurityParameters;
  scopedPdu?: ScopedPdu;
  encryptedPdu?: Uint8Array;
}

export type SnmpMessage = CommunityMessage | V3Message;
