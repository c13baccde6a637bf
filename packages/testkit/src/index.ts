export { type NetSnmpResult, type NetSnmpTool, type RunNetSnmpOptions, runNetSnmp } from './net-snmp-tools.js';
export {
  type SnmpdEndpoints,
  type SnmpdInstance,
  type SnmpdTransport,
  type SnmpdUser,
  type StartSnmpdOptions,
  startSnmpd,
  WRITABLE_OBJECT,
} from './snmpd.js';
