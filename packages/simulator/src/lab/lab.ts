import { resolve } from 'node:path';
import { bytesToHex } from '@snmpkit/ber';
import {
  type ClientTransport,
  listenUdpShared,
  type SharedUdpListener,
  TransportError,
  type TransportKind,
} from '@snmpkit/transport';
import { Agent, type AgentUser, AgentUsers, type CommunityConfig } from '../agent.js';
import { type Clock, SystemClock } from '../clock.js';
import { type ControlEndpoint, startControlEndpoint } from '../control.js';
import type { Device, DeviceOptions } from '../device.js';
import { type CounterControl, LivingCounters } from '../living.js';
import { type ScenarioEvent, ScenarioRunner, type ScenarioStep, type SimulatedDevice } from '../scenarios.js';
import { agentUserFromSpec, loadDevice } from '../simulator.js';
import { NotificationOriginator, type NotificationSink, parseSink, SNMP_ENABLE_AUTHEN_TRAPS } from '../sinks.js';
import { serveOnShared } from '../transports.js';
import type { MibView } from '../views.js';
import { nthAddress, openFileAdvice, openFileCount, openFileLimit, parseIpv4 } from './addresses.js';
import { type DeviceIdentity, deriveDevice, labEngineId, type OverridePlan, planOverrides } from './overrides.js';

/** A group of devices made from one template. */
export interface LabGroup {
  /** For messages and listings. Default `group1`, `group2` ... */
  name?: string;
  /** The recording every device starts from: a data file (.snmprec, walk ...; see loadDevice) or a Device. */
  template: string | Device;
  /** How many devices. */
  count: number;
  /**
   * Where they listen. 'address' (the default): device k of the group at `address` + k (127.1.0.1, 127.1.0.2 ...),
   * each on `port`: Linux answers on all of 127.0.0.0/8 without configuration. 'port': all at `address`, device k
   * on `port` + k (IPv6 transports, which have one loopback address, ::1, need this).
   */
  layout?: 'address' | 'port';
  /** The first device's IPv4 address. Default 127.1.0.1 ('address' layout), 127.0.0.1 ('port'). */
  address?: string;
  /** The (first) port. Default 161. 0: each device listens on a port the system picks (tests). */
  port?: number;
  /** Default ['udp']. udp6 and tcp6 listen on ::1 and need the 'port' layout. */
  transports?: TransportKind[];
  /**
   * Communities: names (read-only) or configurations (access, views). Default public (ro) and private (rw) when
   * neither list is given.
   */
  communities?: (string | CommunityConfig)[];
  rwCommunities?: string[];
  /** v3 users (specs as agentUserFromSpec reads them, or objects), read-only and read-write. */
  users?: (string | AgentUser)[];
  rwUsers?: (string | AgentUser)[];
  /**
   * Per-device values: an OID (or sysDescr, sysObjectID, sysContact, sysName, sysLocation; `OID|TAG` for a type
   * other than the template's) to a pattern with placeholders (see checkPattern): `{n}`, `{index}`, `{group}`,
   * `{ip}`, `{address}`, `{port}`, `{value}` (the template's value), numbers padded as `{n:6}`.
   * Default { sysName: '{value}-{n}' }; an empty object changes none.
   */
  overrides?: Record<string, string>;
  /** Pattern of the serial numbers the template has (entPhysicalSerialNum, prtGeneralSerialNumber). Default `{value}-{n:6}`; '' keeps them. */
  serial?: string;
  /** Each interface with a MAC address (6-byte ifPhysAddress) gets one of its own (labMac). Default true. */
  macs?: boolean;
  /**
   * The address the device reports in its IP tables (ipAddrTable, ipAddressTable) in place of the template's first
   * non-loopback one: the first device's, each next one + 1. Default: where each device listens. 'keep' keeps the
   * template's.
   */
  ipAddress?: string;
  /**
   * Interfaces per device, fewer than the template has: ifTable and ifXTable rows past this ifIndex are left out
   * (shared by the group's devices, nothing per device) and ifNumber.0 says so. Default: the template's.
   */
  interfaces?: number;
  /** Named MIB views (parseViews reads snmpd's `view` lines) that communities and users name (readView). */
  views?: Map<string, MibView> | Record<string, MibView>;
  /**
   * Where each device sends notifications (snmpd's trapsink/trap2sink/informsink/trapsess lines, or objects): each
   * device has its own NotificationOriginator, sending from its own address to a sink on loopback.
   */
  sinks?: (NotificationSink | string)[];
  /**
   * Counters that grow (LivingCounters, defined once on the template, rates drawn per device from the lab's seed
   * and its engine ID): true, or the counters' options. Default false: counters as recorded.
   */
  counters?: boolean | { rate?: { min: number; max: number }; subtrees?: string[] };
  /** authenticationFailure traps on bad communities (snmpd's authtrapenable; snmpEnableAuthenTraps.0 decides when the template has it). Default false. */
  authTraps?: boolean;
}

export interface LabOptions {
  groups: LabGroup[];
  /** Seeds what is derived per device (engine IDs, MACs) and the devices' variations. Default 1. */
  seed?: number;
  /** The devices' clock (a VirtualClock for tests). Default the system's. */
  clock?: Clock;
  /** false: no sockets; reach devices through LabDevice.connect() (in-memory). Default true. */
  listen?: boolean;
  /**
   * 'shared' (the default): the UDP devices of the 'address' layout that share a port share one socket, which
   * tells each datagram's destination address (IP_PKTINFO, @snmpkit/transport's listenUdpShared; Linux, with the
   * native addon built at install) and holds the port on every loopback address; where it cannot (another socket
   * has the port, such as snmpd on 127.0.0.1:161, or the addon is missing) each device binds its own, as with
   * 'per-device'. `lab.groups[i].sockets` says which.
   */
  sockets?: 'shared' | 'per-device';
  /** How template files are read (DeviceOptions: badRecords ...). */
  deviceOptions?: DeviceOptions;
  /** Called as devices start (every few hundred, and once all have): for progress output. */
  onProgress?: (started: number, total: number) => void;
  /**
   * Called for each device once built, before it listens: where a device's behaviours (views, sinks, scenarios)
   * are attached. A throw stops the lab from starting (everything already bound is closed).
   */
  onDevice?: (device: LabDevice) => void;
  /**
   * Timed scenario steps (parseScenario reads a scenario file), started once every device listens; times count
   * from then. A step naming no device (see Lab.find) refuses the lab. More can be run any time: `lab.runner`.
   */
  scenario?: ScenarioStep[];
  /** A loopback HTTP endpoint that drives the scenarios from another process (startControlEndpoint). */
  control?: boolean | { host?: string; port?: number };
  /** Called with each scenario step run (for logs). */
  onEvent?: (event: ScenarioEvent) => void;
}

/** One device of a running lab: what scenarios act on (SimulatedDevice). */
export interface LabDevice extends SimulatedDevice {
  /** `GROUP/INDEX` (`routers/7`): how scenarios and the control endpoint name it. */
  readonly name: string;
  /** From 1, across groups in order. */
  readonly number: number;
  readonly group: string;
  /** From 1, within its group. */
  readonly index: number;
  /** Its IPv4 address and (first) port. */
  readonly address: string;
  readonly port: number;
  /** The endpoints it listens on, as bound (none with `listen: false`). */
  readonly endpoints: readonly string[];
  readonly agent: Agent;
  /** Its MIB: the template's data, shared, and what differs here. */
  readonly device: Device;
  /** snmpEngineID, hex. */
  readonly engineId: string;
  /** An in-memory transport to this device (a session with no network). */
  connect(): ClientTransport;
  /** Sends this device's notifications to its group's sinks (undefined when the group has none). */
  readonly notifications: NotificationOriginator | undefined;
  /** Its living counters (undefined unless its group has `counters`). */
  readonly counters: CounterControl | undefined;
}

/** Where a group listens, for a listing. */
export interface LabGroupSummary {
  readonly name: string;
  readonly count: number;
  readonly layout: 'address' | 'port';
  readonly transports: readonly TransportKind[];
  /** The first and the last device's endpoints. */
  readonly first: readonly string[];
  readonly last: readonly string[];
  /** `udp 127.1.0.1 .. 127.1.39.16 port 161 (one socket)` */
  readonly description: string;
  /** How its UDP devices listen: one socket for all ('shared'), a socket each, or none (`listen: false`). */
  readonly sockets: 'shared' | 'per-device' | 'none';
  /** Why its UDP devices have a socket each although sharing one was asked for (`port 161 is in use on some address`). */
  readonly notShared?: string;
}

export interface Lab {
  readonly devices: readonly LabDevice[];
  readonly groups: readonly LabGroupSummary[];
  readonly clock: Clock;
  /** The device numbered `n` (from 1). */
  device(n: number): LabDevice | undefined;
  /** The device listening at an IPv4 address (and port, when several share the address). */
  at(address: string, port?: number): LabDevice | undefined;
  /**
   * The devices a name finds, as scenarios name them: `*` (all), a group's name (its devices), `GROUP/INDEX`, a
   * device's number, or its IPv4 address.
   */
  find(name: string): LabDevice[];
  /** Runs scenario actions on the lab's devices (the `scenario` steps, and any added later). */
  readonly runner: ScenarioRunner;
  /** The control endpoint, when asked for (`url`: http://127.0.0.1:PORT). */
  readonly control: ControlEndpoint | undefined;
  /** Stops every device (listeners and timers). */
  close(): Promise<void>;
}

/** A lab that cannot start: the message says which group or device, and what to do. */
export class LabError extends Error {
  readonly code = 'ERR_SIMULATOR_LAB';
  /** The group at fault, when one is (a lab file maps it to its line). */
  readonly group: string | undefined;
  constructor(message: string, options: { cause?: unknown; group?: string } = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = 'LabError';
    this.group = options.group;
  }
}

/** Devices bound at once while starting: enough to keep the kernel busy, few enough to stop soon on a failure. */
const BIND_BATCH = 256;
const PROGRESS_EVERY = 500;

interface GroupPlan {
  name: string;
  group: LabGroup;
  template: Device;
  layout: 'address' | 'port';
  address: string;
  port: number;
  transports: TransportKind[];
  communities: CommunityConfig[];
  users: AgentUsers;
  overrides: OverridePlan;
  ipAddress: string | undefined;
  sinks: NotificationSink[];
  counters: LivingCounters | undefined;
}

function communitiesOf(group: LabGroup): CommunityConfig[] {
  if (group.communities === undefined && group.rwCommunities === undefined) {
    return [
      { name: 'public', access: 'ro' },
      { name: 'private', access: 'rw' },
    ];
  }
  return [
    ...(group.communities ?? []).map((c) => (typeof c === 'string' ? { name: c, access: 'ro' as const } : c)),
    ...(group.rwCommunities ?? []).map((name) => ({ name, access: 'rw' as const })),
  ];
}

function usersOf(group: LabGroup): AgentUsers {
  return new AgentUsers([
    ...(group.users ?? []).map((u) => (typeof u === 'string' ? agentUserFromSpec(u) : u)),
    ...(group.rwUsers ?? []).map((u) =>
      typeof u === 'string' ? agentUserFromSpec(u, 'rw') : { ...u, access: 'rw' as const },
    ),
  ]);
}

async function planGroups(options: LabOptions): Promise<GroupPlan[]> {
  const templates = new Map<string, Device>();
  const livingCounters = new Map<Device, LivingCounters>();
  const plans: GroupPlan[] = [];
  const names = new Set<string>();
  for (const [g, group] of options.groups.entries()) {
    const name = group.name ?? `group${g + 1}`;
    const where = `group "${name}"`;
    if (names.has(name)) throw new LabError(`${where}: a second group of that name`, { group: name });
    names.add(name);
    if (!Number.isInteger(group.count) || group.count < 1) {
      throw new LabError(`${where}: count must be a whole number from 1, got ${group.count}`, { group: name });
    }
    if (group.interfaces !== undefined && !(Number.isInteger(group.interfaces) && group.interfaces >= 0)) {
      throw new LabError(`${where}: interfaces must be a whole number, got ${group.interfaces}`, { group: name });
    }
    const layout = group.layout ?? 'address';
    const transports = group.transports ?? ['udp'];
    if (transports.length === 0) throw new LabError(`${where}: no transports`, { group: name });
    if (layout === 'address' && transports.some((t) => t === 'udp6' || t === 'tcp6')) {
      throw new LabError(
        `${where}: ${transports.filter((t) => t.endsWith('6')).join(', ')} needs layout 'port' (IPv6 has one loopback address, ::1)`,
        { group: name },
      );
    }
    const address = group.address ?? (layout === 'address' ? '127.1.0.1' : '127.0.0.1');
    if (parseIpv4(address) === undefined)
      throw new LabError(`${where}: address ${address} is no IPv4 address`, { group: name });
    const port = group.port ?? 161;
    const lastPort = layout === 'port' && port !== 0 ? port + group.count - 1 : port;
    if (!Number.isInteger(port) || port < 0 || lastPort > 65535) {
      throw new LabError(
        layout === 'port'
          ? `${where}: ports ${port} .. ${lastPort} are not all in 1..65535`
          : `${where}: port ${port} is not in 0..65535`,
        { group: name },
      );
    }
    try {
      nthAddress(address, layout === 'address' ? group.count - 1 : 0);
    } catch (error) {
      throw new LabError(`${where}: ${(error as Error).message}`, { group: name });
    }
    let template: Device;
    const counterOptions = group.counters === true ? {} : group.counters || undefined;
    if (typeof group.template === 'string') {
      const path = resolve(group.template);
      // A template with living counters is another table than one without: loaded apart.
      const key = `${path}\0${JSON.stringify(counterOptions ?? null)}`;
      let loaded = templates.get(key);
      if (!loaded) {
        try {
          loaded = await loadDevice(path, options.deviceOptions);
        } catch (error) {
          throw new LabError(`${where}: template ${group.template}: ${(error as Error).message}`, {
            cause: error,
            group: name,
          });
        }
        templates.set(key, loaded);
      }
      template = loaded;
    } else template = group.template;
    let users: AgentUsers;
    let overrides: OverridePlan;
    let counters: LivingCounters | undefined;
    try {
      if (counterOptions) {
        counters = livingCounters.get(template);
        if (!counters) {
          // Defined once, in the shared table, before any device is derived.
          counters = new LivingCounters(template, { seed: options.seed ?? 1, perAgent: true, ...counterOptions });
          livingCounters.set(template, counters);
        }
      }
      users = usersOf(group);
      overrides = planOverrides(template, {
        values: group.overrides ?? { sysName: '{value}-{n}' },
        serial: group.serial ?? '{value}-{n:6}',
        macs: group.macs ?? true,
        ipTables: group.ipAddress !== 'keep',
        interfaces: group.interfaces,
      });
    } catch (error) {
      throw new LabError(`${where}: ${(error as Error).message}`, { cause: error, group: name });
    }
    let sinks: NotificationSink[];
    try {
      sinks = (group.sinks ?? []).map((s, i) => (typeof s === 'string' ? parseSink(s, `${where}: sinks[${i}]`) : s));
    } catch (error) {
      throw new LabError((error as Error).message, { cause: error, group: name });
    }
    const ipAddress = group.ipAddress === 'keep' ? undefined : group.ipAddress;
    if (ipAddress !== undefined && parseIpv4(ipAddress) === undefined) {
      throw new LabError(`${where}: ipAddress ${ipAddress} is no IPv4 address`, { group: name });
    }
    plans.push({
      name,
      group,
      template,
      layout,
      address,
      port,
      transports,
      communities: communitiesOf(group),
      users,
      overrides,
      ipAddress,
      sinks,
      counters,
    });
  }
  return plans;
}

/** The sinks as a device at `address` sends to them: from its own address when the sink is on IPv4 loopback. */
function sendingFrom(sinks: NotificationSink[], address: string): NotificationSink[] {
  return sinks.map((sink) => {
    const host = sink.target.replace(/^(udp|tcp):/, '');
    return host.startsWith('127.') && sink.localAddress === undefined ? { ...sink, localAddress: address } : sink;
  });
}

function transportOf(endpoint: string): TransportKind {
  return endpoint.slice(0, endpoint.indexOf(':')) as TransportKind;
}

function endpointOf(transport: TransportKind, address: string, port: number): string {
  return transport.endsWith('6') ? `${transport}:[::1]:${port}` : `${transport}:${address}:${port}`;
}

class RunningDevice implements LabDevice {
  endpoints: string[] = [];
  notifications: NotificationOriginator | undefined = undefined;
  counters: CounterControl | undefined = undefined;
  constructor(
    readonly number: number,
    readonly group: string,
    readonly index: number,
    readonly address: string,
    /** Known once bound when the system picks it. */
    public port: number,
    readonly agent: Agent,
    readonly device: Device,
  ) {}

  get engineId(): string {
    return this.agent.engineIdHex;
  }

  get name(): string {
    return `${this.group}/${this.index}`;
  }

  connect(): ClientTransport {
    return this.agent.connect();
  }
}

function bindFailure(device: RunningDevice, endpoint: string, error: unknown, sockets: number): LabError {
  const system = error instanceof TransportError ? error.systemError : undefined;
  const what = `device ${device.number} (group "${device.group}"): cannot bind ${endpoint}`;
  if (system === 'EMFILE' || system === 'ENFILE') {
    return new LabError(`${what}: too many open files (${system}); ${openFileAdvice(sockets, openFileLimit())}`, {
      cause: error,
      group: device.group,
    });
  }
  const detail = system ?? (error as Error).message;
  const hint =
    system === 'EADDRINUSE'
      ? ' (another program, or another group of this lab, listens there)'
      : system === 'EACCES'
        ? ' (ports below 1024 need root or CAP_NET_BIND_SERVICE)'
        : system === 'EADDRNOTAVAIL'
          ? ' (the address is not on this host: 127.0.0.0/8 is, on Linux)'
          : '';
  return new LabError(`${what}: ${detail}${hint}`, { cause: error, group: device.group });
}

/**
 * A shared UDP listener for each port of the 'address' layout's UDP groups; a port it cannot have (another socket
 * uses it, the addon is missing) is left out, and its devices bind a socket each.
 */
function openSharedListeners(plans: GroupPlan[], refused: Map<number, string>): Map<number, SharedUdpListener> {
  const listeners = new Map<number, SharedUdpListener>();
  for (const plan of plans) {
    if (plan.layout !== 'address' || plan.port === 0 || !plan.transports.includes('udp')) continue;
    if (listeners.has(plan.port) || refused.has(plan.port)) continue;
    try {
      listeners.set(plan.port, listenUdpShared({ port: plan.port }));
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      refused.set(plan.port, whyNotShared(error, plan.port));
    }
  }
  return listeners;
}

/** Why a port's devices could not share one socket, in a few words for the group's description. */
function whyNotShared(error: TransportError, port: number): string {
  if (error.failure === 'options') return 'the udp-pktinfo addon is not built';
  if (error.systemError === 'EADDRINUSE') return `port ${port} is in use on some address`;
  if (error.systemError === 'EACCES') return `port ${port} needs root or CAP_NET_BIND_SERVICE`;
  return error.systemError ?? error.message;
}

function describe(
  plan: GroupPlan,
  devices: RunningDevice[],
  sockets: LabGroupSummary['sockets'],
  notShared: string | undefined,
): LabGroupSummary {
  const first = devices[0]!;
  const last = devices[devices.length - 1]!;
  const v4 = plan.transports.filter((t) => !t.endsWith('6'));
  const v6 = plan.transports.filter((t) => t.endsWith('6'));
  const parts: string[] = [];
  if (plan.layout === 'address') {
    const range = devices.length > 1 ? `${first.address} .. ${last.address}` : first.address;
    const where = plan.port === 0 ? 'ports picked by the system' : `port ${first.port}`;
    const how =
      !v4.includes('udp') || sockets === 'none'
        ? ''
        : sockets === 'shared'
          ? ' (udp: one socket)'
          : ` (udp: a socket each${notShared && plan.layout === 'address' ? `: ${notShared}` : ''})`;
    parts.push(`${v4.join(', ')} ${range} ${where}${how}`);
  } else {
    const range =
      plan.port === 0
        ? 'ports picked by the system'
        : devices.length > 1
          ? `ports ${first.port} .. ${last.port}`
          : `port ${first.port}`;
    if (v4.length > 0) parts.push(`${v4.join(', ')} ${first.address} ${range}`);
    if (v6.length > 0) parts.push(`${v6.join(', ')} ::1 ${range}`);
  }
  return {
    name: plan.name,
    count: devices.length,
    layout: plan.layout,
    transports: plan.transports,
    first: first.endpoints,
    last: last.endpoints,
    description: parts.join('; '),
    sockets,
    ...(sockets === 'per-device' && notShared ? { notShared } : {}),
  };
}

/**
 * Starts a lab: each group's devices built from its template (data shared, per-device overrides and engine IDs
 * derived from the lab's seed and the device's number), each at its own address or port. Nothing half-starts: on
 * any failure everything already bound is closed and LabError says which device, which address and why.
 */
export async function startLab(options: LabOptions): Promise<Lab> {
  const plans = await planGroups(options);
  const seed = options.seed ?? 1;
  const clock = options.clock ?? new SystemClock();
  const listen = options.listen ?? true;
  const total = plans.reduce((sum, p) => sum + p.group.count, 0);
  // One socket per port for the UDP devices of the 'address' layout, where it can be had (see LabOptions.sockets).
  const refused = new Map<number, string>();
  const shared = listen && options.sockets !== 'per-device' ? openSharedListeners(plans, refused) : new Map();
  const sharing = (plan: GroupPlan) => plan.layout === 'address' && shared.has(plan.port);
  const sockets = listen
    ? plans.reduce((sum, p) => sum + p.group.count * (p.transports.length - (sharing(p) ? 1 : 0)), 0)
    : 0;
  if (listen) {
    // Refused before anything is bound, rather than failing at device 19,000 of 20,000.
    const limit = openFileLimit();
    const open = openFileCount() ?? 0;
    if (limit && sockets + open + 32 > limit.soft) {
      await Promise.all([...shared.values()].map((l) => l.close()));
      throw new LabError(`too many devices for the open-file limit: ${openFileAdvice(sockets, limit)}`);
    }
  }
  const devices: RunningDevice[] = [];
  const byAddress = new Map<string, RunningDevice>();
  const summaries: LabGroupSummary[] = [];
  const closeAll = async () => {
    await Promise.all(devices.map((d) => Promise.all([d.agent.close(), d.notifications?.close()])));
    await Promise.all([...shared.values()].map((l) => l.close()));
  };
  let started = 0;
  try {
    for (const plan of plans) {
      const groupDevices: RunningDevice[] = [];
      for (let k = 0; k < plan.group.count; k += BIND_BATCH) {
        const batch: RunningDevice[] = [];
        for (let i = k; i < Math.min(k + BIND_BATCH, plan.group.count); i++) {
          const n = devices.length + 1;
          const address = plan.layout === 'address' ? nthAddress(plan.address, i) : plan.address;
          const port = plan.layout === 'port' && plan.port !== 0 ? plan.port + i : plan.port;
          const identity: DeviceIdentity = {
            n,
            index: i + 1,
            group: plan.name,
            address,
            port,
            ipAddress: plan.ipAddress !== undefined ? nthAddress(plan.ipAddress, i) : address,
          };
          const engineId = labEngineId(seed, n);
          let device: Device;
          try {
            device = deriveDevice(plan.overrides, identity, seed, engineId);
          } catch (error) {
            throw new LabError(`device ${n} (group "${plan.name}"): ${(error as Error).message}`, {
              cause: error,
              group: plan.name,
            });
          }
          let agent: Agent;
          try {
            agent = new Agent({
              device,
              communities: plan.communities,
              users: plan.users,
              ...(plan.group.views ? { views: plan.group.views } : {}),
              engineId,
              clock,
              seed: (seed * 1_000_003 + n) >>> 0,
            });
          } catch (error) {
            throw new LabError(`group "${plan.name}": ${(error as Error).message}`, { cause: error, group: plan.name });
          }
          const running = new RunningDevice(n, plan.name, i + 1, address, port, agent, device);
          if (plan.counters) running.counters = plan.counters.forAgent(agent);
          if (plan.sinks.length > 0) {
            running.notifications = NotificationOriginator.forAgent(agent, sendingFrom(plan.sinks, address), {
              agentAddress: address,
            });
            if (plan.group.authTraps !== undefined || device.get(SNMP_ENABLE_AUTHEN_TRAPS)) {
              running.notifications.sendAuthenticationFailures(agent, {
                device,
                enabled: plan.group.authTraps ?? false,
              });
            }
          }
          devices.push(running);
          groupDevices.push(running);
          batch.push(running);
          options.onDevice?.(running);
        }
        if (listen) {
          const results = await Promise.allSettled(
            batch.flatMap((d) =>
              plan.transports.map(async (t) => {
                const endpoint = endpointOf(t, d.address, d.port);
                const sharedListener = t === 'udp' && sharing(plan) ? shared.get(d.port) : undefined;
                try {
                  if (sharedListener) {
                    d.endpoints.push(serveOnShared(d.agent, sharedListener, d.address));
                    return;
                  }
                  const listener = await d.agent.listen(endpoint);
                  d.endpoints.push(listener.endpoint);
                  if (d.port === 0 && !t.endsWith('6')) d.port = listener.port;
                } catch (error) {
                  throw bindFailure(d, endpoint, error, sockets);
                }
              }),
            ),
          );
          const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
          if (failed) throw failed.reason;
        }
        for (const d of batch) {
          // Endpoints in the order of the group's transports, whichever bound first.
          d.endpoints.sort((a, b) => plan.transports.indexOf(transportOf(a)) - plan.transports.indexOf(transportOf(b)));
          if (!byAddress.has(d.address)) byAddress.set(d.address, d);
          byAddress.set(`${d.address}:${d.port}`, d);
        }
        const before = started;
        started += batch.length;
        if (Math.floor(started / PROGRESS_EVERY) > Math.floor(before / PROGRESS_EVERY) || started === total) {
          options.onProgress?.(started, total);
        }
      }
      const mode = !listen ? 'none' : sharing(plan) ? 'shared' : 'per-device';
      summaries.push(describe(plan, groupDevices, mode, refused.get(plan.port)));
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  const groupsByName = new Map<string, RunningDevice[]>();
  for (const d of devices) {
    const list = groupsByName.get(d.group) ?? [];
    list.push(d);
    groupsByName.set(d.group, list);
  }
  const find = (name: string): LabDevice[] => {
    if (name === '*') return devices;
    const group = groupsByName.get(name);
    if (group) return group;
    const slash = name.lastIndexOf('/');
    if (slash > 0) {
      const d = groupsByName.get(name.slice(0, slash))?.[Number(name.slice(slash + 1)) - 1];
      return d ? [d] : [];
    }
    if (/^\d+$/.test(name)) return devices[Number(name) - 1] ? [devices[Number(name) - 1]!] : [];
    const d = byAddress.get(name);
    return d ? [d] : [];
  };
  const runner = new ScenarioRunner({ clock, devices: find, ...(options.onEvent ? { onEvent: options.onEvent } : {}) });
  let control: ControlEndpoint | undefined;
  try {
    runner.add(options.scenario ?? []);
    runner.check();
    if (options.control) {
      const where = options.control === true ? {} : options.control;
      control = await startControlEndpoint({ runner, deviceNames: () => devices.map((d) => d.name), ...where });
    }
    runner.start();
  } catch (error) {
    runner.stop();
    await closeAll();
    throw new LabError((error as Error).message, { cause: error });
  }
  let closing: Promise<void> | undefined;
  return {
    devices,
    groups: summaries,
    clock,
    device: (n) => devices[n - 1],
    at: (address, port) => byAddress.get(port === undefined ? address : `${address}:${port}`),
    find,
    runner,
    control,
    close: () => {
      closing ??= (async () => {
        runner.stop();
        await control?.close();
        await closeAll();
      })();
      return closing;
    },
  };
}

/** The engine ID a lab gives device `n` (hex): what a manager configures for v3 without discovery. */
export function labEngineIdHex(seed: number, n: number): string {
  return bytesToHex(labEngineId(seed, n));
}
