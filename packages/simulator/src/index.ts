// Endpoints, listeners and client transports are @snmpkit/transport's; the in-memory transport is the agent's own.
export type { ClientTransport, Listener, MessageSource } from '@snmpkit/transport';
export {
  type Access,
  Agent,
  type AgentOptions,
  type AgentStats,
  type AgentUser,
  AgentUsers,
  type AuthenticationFailure,
  type CommunityConfig,
  DEFAULT_MAX_GETBULK_RESPONSES,
  type ReplyChannel,
  selectionCandidates,
  type ViewAccess,
} from './agent.js';
export { type BehaviourOptions, type Behaviours, startBehaviours } from './behaviours.js';
export { type Clock, SystemClock, type TimerHandle, VirtualClock } from './clock.js';
export { type ControlEndpoint, type ControlEndpointOptions, isLoopback, startControlEndpoint } from './control.js';
export {
  type DefineOptions,
  Device,
  type DeviceOptions,
  type SubtreeProvider,
  type TemplateOverlay,
  type ValueProvider,
  type WritePolicy,
} from './device.js';
export { ENGINE_STATE_FILE, type EngineState, loadEngineState } from './engine-state.js';
export { AgentConfigError } from './errors.js';
export {
  FaultInjector,
  type FaultSpec,
  FaultSpecError,
  type FaultStats,
  type FaultTrigger,
  parseFaultSpec,
} from './faults.js';
export { parseDump, parseSapwalk } from './formats.js';
export { openFileLimit } from './lab/addresses.js';
export {
  type Lab,
  type LabDevice,
  LabError,
  type LabGroup,
  type LabGroupSummary,
  type LabOptions,
  labEngineIdHex,
  startLab,
} from './lab/lab.js';
export {
  type LabFile,
  LabFileError,
  type LabFileGroup,
  loadLabFile,
  parseLabFile,
  startLabFile,
} from './lab/lab-file.js';
export { checkPattern, type DeviceIdentity, labEngineId, labMac, NAMED_OBJECTS, substitute } from './lab/overrides.js';
export { type CounterControl, LivingCounters, type LivingCountersOptions } from './living.js';
export { UNSUPPORTED_MODULES } from './modules.js';
export { type GetbulkLimits, getbulkRepetitions } from './processor.js';
export { SeededRandom } from './random.js';
export { recordSnmprec } from './record.js';
export {
  applyAction,
  checkAction,
  parseDuration,
  parseScenario,
  type ScenarioAction,
  type ScenarioActionName,
  ScenarioError,
  type ScenarioEvent,
  ScenarioRunner,
  type ScenarioStep,
  type SimulatedDevice,
} from './scenarios.js';
export {
  agentUserFromSpec,
  DATA_EXTENSIONS,
  type DataFileEntry,
  findDataFiles,
  indexDevice,
  type LoadedData,
  loadData,
  loadDevice,
  type Simulator,
  type SimulatorOptions,
  type SkippedDataFile,
  startSimulator,
} from './simulator.js';
export {
  type Notification,
  type NotificationDelivery,
  type NotificationEngine,
  NotificationOriginator,
  type NotificationOriginatorOptions,
  type NotificationSink,
  type NotificationStats,
  parseSink,
  parseSinks,
  SinkConfigError,
  TRAP_OIDS,
  trapV1Pdu,
  trapV2Varbinds,
} from './sinks.js';
export {
  DataFormatError,
  decodeRecordValue,
  formatSnmprec,
  formatSnmprecLine,
  parseSnmprec,
  parseWalk,
  type SnmprecRecord,
  type ValueEncoding,
} from './snmprec.js';
export { ErrorStatus, type ErrorStatusName, errorStatusByName, toV1ErrorStatus } from './status.js';
export type { AgentListenOptions, ConnectOptions } from './transports.js';
export { type ReadContext, type ReadResult, VARIATION_MODULES, type ValueSource } from './variations.js';
export {
  intersectViews,
  MibView,
  type OidView,
  parseViewLine,
  parseViews,
  ViewConfigError,
  type ViewFamily,
} from './views.js';
