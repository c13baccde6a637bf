export { type NetSnmpResult, type NetSnmpTool, type RunNetSnmpOptions, runNetSnmp } from './net-snmp-tools.js';
export { type ProcessResult, type RunProcessOptions, runProcess } from './process.js';
export {
  type SnmpdEndpoints,
  type SnmpdInstance,
  type SnmpdTransport,
  type SnmpdUser,
  type StartSnmpdOptions,
  startSnmpd,
  WRITABLE_OBJECT,
} from './snmpd.js';
export { type SnmpsimInstance, type StartSnmpsimOptions, snmpsimCommand, startSnmpsim } from './snmpsim.js';
export {
  freeUdpPort,
  maskNotification,
  type NotificationPrinter,
  nextNotification,
  spawnPrinter,
  startSnmptrapd,
  stopChild,
  waitFor,
} from './snmptrapd.js';
export {
  type NetSnmpAuthProtocol,
  type NetSnmpPrivProtocol,
  netSnmpUserArgs,
  type SecurityLevel,
  type SnmpkitProtocolName,
  type SnmpkitTestUser,
  STANDARD_PRIV_PROTOCOLS,
  snmpkitProtocolName,
  snmpkitUser,
  TEST_AUTH_PASSWORD,
  TEST_AUTH_PROTOCOLS,
  TEST_PRIV_PASSWORD,
  TEST_PRIV_PROTOCOLS,
  testUser,
  testUserName,
  V3_TEST_USERS,
  type V3TestUser,
  v3TestUsers,
} from './v3-users.js';
