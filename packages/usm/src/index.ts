export { USM_SNMPERR, UsmConfigError, UsmError, type UsmErrorReason } from './errors.js';
export {
  type KeyResolver,
  UsmKeyStore,
  type UsmUser,
  type UsmUserInfo,
  type UsmUserInput,
  validateUser,
} from './key-store.js';
export {
  extendKeyBlumenthal,
  extendKeyReeder,
  localizeKey,
  MIN_PASSWORD_LENGTH,
  passwordToKey,
  privacyKey,
} from './keys.js';
export { type Encrypted, LocalizedKeys, type LocalizedKeysInit } from './localized-keys.js';
export {
  type DecodedSecureMessage,
  type DecodeSecureOptions,
  decodeSecureMessage,
  type EncodeSecureOptions,
  encodeSecureMessage,
  type TimelinessCheck,
} from './message.js';
export {
  AUTH_PROTOCOLS,
  type AuthProtocol,
  type AuthProtocolInfo,
  type AuthProtocolName,
  authProtocolNamed,
  engineIdKey,
  flagsToLevel,
  isAuthProtocol,
  isPrivProtocol,
  isSecurityLevel,
  type KeyExtension,
  levelCovers,
  levelToFlags,
  PRIV_PROTOCOLS,
  type PrivProtocol,
  type PrivProtocolInfo,
  type PrivProtocolName,
  privProtocolNamed,
  randomEngineId,
  SECURITY_LEVELS,
  type SecurityLevel,
  type SecurityLevelName,
  securityLevelNamed,
} from './protocols.js';
export {
  type DiscoveryOptions,
  discoveryMessage,
  USM_STATS,
  type UsmReportOptions,
  type UsmReportReason,
  UsmStats,
  type UsmStatsCounter,
  usmReportMessage,
  usmReportReason,
  usmStatsCounter,
} from './reports.js';
export {
  AuthoritativeClock,
  type AuthoritativeClockOptions,
  type EngineClock,
  EngineTimeCache,
  isInAuthoritativeWindow,
  MAX_ENGINE_BOOTS,
  MAX_ENGINE_TIME,
  type Now,
  TIME_WINDOW_SECONDS,
} from './time.js';
