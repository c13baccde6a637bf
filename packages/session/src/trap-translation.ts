import type { TrapV1Pdu, VarBind } from '@snmpkit/ber';

/** sysUpTime.0 and snmpTrapOID.0: the first two varbinds of every SNMPv2 notification (RFC 3416 §4.2.6). */
export const SYS_UP_TIME_0 = '1.3.6.1.2.1.1.3.0';
export const SNMP_TRAP_OID_0 = '1.3.6.1.6.3.1.1.4.1.0';

/** The varbinds of a v2c notification: sysUpTime.0, snmpTrapOID.0, then the caller's (RFC 3416 §4.2.6). */
export function notificationVarbinds(trapOid: string, uptime: number, varbinds: readonly VarBind[]): VarBind[] {
  return [
    { oid: SYS_UP_TIME_0, value: { type: 'TimeTicks', value: uptime } },
    { oid: SNMP_TRAP_OID_0, value: { type: 'ObjectIdentifier', value: trapOid } },
    ...varbinds,
  ];
}

/** snmpTraps: the generic traps' SNMPv2 identities are snmpTraps.(generic-trap + 1) (RFC 3584 §3.1). */
const SNMP_TRAPS = '1.3.6.1.6.3.1.1.5';
export const SNMP_TRAP_ADDRESS_0 = '1.3.6.1.6.3.18.1.3.0';
export const SNMP_TRAP_COMMUNITY_0 = '1.3.6.1.6.3.18.1.4.0';
export const SNMP_TRAP_ENTERPRISE_0 = '1.3.6.1.6.3.1.1.4.3.0';

/**
 * An SNMPv1 Trap as the SNMPv2 notification it stands for (RFC 3584 §3.1): sysUpTime.0 from the time-stamp,
 * snmpTrapOID.0 (snmpTraps.N for the generic traps 0..5, else enterprise.0.specific-trap), the Trap's varbinds, then
 * snmpTrapAddress.0, snmpTrapCommunity.0 and snmpTrapEnterprise.0 unless the varbinds carry them already.
 */
export function translateTrapV1(pdu: TrapV1Pdu, community: string): { trapOid: string; varbinds: VarBind[] } {
  const trapOid =
    pdu.genericTrap >= 0 && pdu.genericTrap <= 5
      ? `${SNMP_TRAPS}.${pdu.genericTrap + 1}`
      : `${pdu.enterprise}.0.${pdu.specificTrap}`;
  const varbinds = notificationVarbinds(trapOid, pdu.timestamp, pdu.varbinds);
  const has = (oid: string) => pdu.varbinds.some((vb) => vb.oid === oid);
  if (!has(SNMP_TRAP_ADDRESS_0)) {
    varbinds.push({ oid: SNMP_TRAP_ADDRESS_0, value: { type: 'IpAddress', value: pdu.agentAddress } });
  }
  if (!has(SNMP_TRAP_COMMUNITY_0)) {
    varbinds.push({ oid: SNMP_TRAP_COMMUNITY_0, value: { type: 'OctetString', value: latin1Bytes(community) } });
  }
  if (!has(SNMP_TRAP_ENTERPRISE_0)) {
    varbinds.push({ oid: SNMP_TRAP_ENTERPRISE_0, value: { type: 'ObjectIdentifier', value: pdu.enterprise } });
  }
  return { trapOid, varbinds };
}

/** A community's bytes: communities are decoded as latin1, one byte per character. */
function latin1Bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}
