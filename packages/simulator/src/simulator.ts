import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { authProtocolNamed, privProtocolNamed, type UsmUser } from '@snmpkit/usm';
import { Agent, type AgentOptions, type AgentUser, type CommunityConfig } from './agent.js';
import { Device, type DeviceOptions } from './device.js';
import { type FaultSpec, parseFaultSpec } from './faults.js';
import type { Listener } from './transports.js';

/** File extensions read as data: .snmprec, and Net-SNMP walk output as .snmpwalk, .walk or .txt. */
export const DATA_EXTENSIONS = ['.snmprec', '.snmpwalk', '.walk', '.txt'] as const;

/** Loads one device from a .snmprec file or a Net-SNMP walk (by extension; by content for others). */
export async function loadDevice(path: string, options: DeviceOptions = {}): Promise<Device> {
  const text = await readFile(path, 'latin1');
  const ext = extname(path).toLowerCase();
  const opts = { source: path, ...options };
  if (ext === '.snmprec') return Device.fromSnmprec(text, opts);
  if (ext === '.snmpwalk' || ext === '.walk') return Device.fromWalk(text, opts);
  return /^\s*\.?\d+(\.\d+)+ = /m.test(text.slice(0, 4096))
    ? Device.fromWalk(text, opts)
    : Device.fromSnmprec(text, opts);
}

/** The data a path holds: a file is one device; a directory one device per data file, named by the file. */
export type LoadedData = { device: Device } | { devices: Map<string, Device> };

export async function loadData(path: string, options: DeviceOptions = {}): Promise<LoadedData> {
  const info = await stat(path);
  if (!info.isDirectory()) return { device: await loadDevice(path, options) };
  const devices = new Map<string, Device>();
  const names = (await readdir(path)).sort();
  for (const name of names) {
    const ext = extname(name).toLowerCase();
    if (!(DATA_EXTENSIONS as readonly string[]).includes(ext)) continue;
    const community = basename(name, extname(name));
    if (devices.has(community)) throw new RangeError(`${path}: two data files for "${community}"`);
    devices.set(community, await loadDevice(join(path, name), options));
  }
  if (devices.size === 0) throw new RangeError(`${path}: no data files (${DATA_EXTENSIONS.join(', ')})`);
  return { devices };
}

/**
 * `NAME[:AUTHPROTO:AUTHPASS[:PRIVPROTO:PRIVPASS]]` (the CLI's --user), protocols by Net-SNMP's names (MD5, SHA,
 * SHA-256, AES, AES-256-C ...) or @snmpkit/usm's (sha256, aes256c ...), any case. The level follows from what is
 * given. Passwords may not contain `:`. Read-only unless `access` says otherwise, as AgentUser and snmpd's rouser.
 */
export function parseUserSpec(spec: string, access: 'ro' | 'rw' = 'ro'): AgentUser {
  const parts = spec.split(':');
  const [name, auth, authPassword, priv, privPassword] = parts;
  if (!name || (parts.length !== 1 && parts.length !== 3 && parts.length !== 5)) {
    throw new RangeError(`--user ${spec}: expected NAME[:AUTHPROTO:AUTHPASS[:PRIVPROTO:PRIVPASS]]`);
  }
  if (parts.length === 1) return { name, level: 'noAuthNoPriv', access };
  const authProtocol = authProtocolNamed(auth!);
  if (!authProtocol) throw new RangeError(`--user ${name}: unknown auth protocol "${auth}"`);
  if (parts.length === 3) return { name, level: 'authNoPriv', authProtocol, authPassword: authPassword!, access };
  const privProtocol = privProtocolNamed(priv!);
  if (!privProtocol) throw new RangeError(`--user ${name}: unknown privacy protocol "${priv}"`);
  const user: UsmUser = { name, level: 'authPriv', authProtocol, authPassword: authPassword!, privProtocol };
  return { ...user, privPassword: privPassword!, access };
}

export interface SimulatorOptions {
  /** A data file or directory path (see loadData), or devices already built. */
  data: string | Device | Map<string, Device> | Record<string, Device>;
  /** Endpoints to listen on, e.g. `udp:127.0.0.1:0`, `udp6:[::1]:0`, `tcp:127.0.0.1:0`. */
  listen?: string[];
  /**
   * Read-only communities. With one device, default `public` (and `private` read-write) when neither list is
   * given. With a directory, every device's name is a read-only community already; names here must be devices.
   */
  communities?: string[];
  /** Read-write communities (with a directory: device names whose community may SET). */
  rwCommunities?: string[];
  /**
   * v3 users, read-only (snmpd's rouser): specs as parseUserSpec reads them, or objects (whose `access` stands,
   * default 'ro').
   */
  users?: (string | AgentUser)[];
  /** v3 users that may SET (snmpd's rwuser): specs or objects, read-write whatever their `access`. */
  rwUsers?: (string | AgentUser)[];
  /** snmpEngineID in hex. */
  engineId?: string | Uint8Array;
  /** Fault specs (parseFaultSpec syntax), or a spec object. */
  faults?: string | string[] | FaultSpec;
  clock?: AgentOptions['clock'];
  seed?: number;
  maxMessageSize?: number;
  engineBoots?: number;
  deviceOptions?: DeviceOptions;
}

/** A running simulator: the agent and the endpoints it listens on, as bound. */
export interface Simulator {
  readonly agent: Agent;
  /** The endpoints as bound (`udp:127.0.0.1:40123`), in the order asked. */
  readonly endpoints: string[];
  readonly listeners: Listener[];
  /** Communities and their access, for printing. */
  readonly communities: CommunityConfig[];
  readonly engineId: string;
  close(): Promise<void>;
}

function communityConfigs(
  single: boolean,
  deviceNames: string[],
  ro: string[] | undefined,
  rw: string[] | undefined,
): CommunityConfig[] {
  if (single) {
    if (ro === undefined && rw === undefined) {
      return [
        { name: 'public', access: 'ro' },
        { name: 'private', access: 'rw' },
      ];
    }
    return [
      ...(ro ?? []).map((name) => ({ name, access: 'ro' as const })),
      ...(rw ?? []).map((name) => ({ name, access: 'rw' as const })),
    ];
  }
  for (const name of [...(ro ?? []), ...(rw ?? [])]) {
    if (!deviceNames.includes(name)) {
      throw new RangeError(`community "${name}" names no data file (devices: ${deviceNames.join(', ')})`);
    }
  }
  const writable = new Set(rw ?? []);
  return deviceNames.map((name) => ({ name, access: writable.has(name) ? 'rw' : 'ro' }));
}

/** Loads data, builds the agent and opens its listeners: everything `snmpkit simulate` needs. */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  let data: LoadedData;
  if (typeof options.data === 'string') data = await loadData(options.data, options.deviceOptions);
  else if (options.data instanceof Device) data = { device: options.data };
  else if (options.data instanceof Map) data = { devices: options.data };
  else data = { devices: new Map(Object.entries(options.data)) };
  const single = 'device' in data ? data.device : undefined;
  const named = 'devices' in data ? data.devices : new Map<string, Device>();
  const deviceNames = [...named.keys()];
  const communities = communityConfigs(single !== undefined, deviceNames, options.communities, options.rwCommunities);
  const faults =
    options.faults === undefined
      ? undefined
      : typeof options.faults === 'string' || Array.isArray(options.faults)
        ? parseFaultSpec(...[options.faults].flat())
        : options.faults;
  const agentOptions: AgentOptions = {
    ...(single ? { device: single } : { devices: named }),
    communities,
    users: [
      ...(options.users ?? []).map((u) => (typeof u === 'string' ? parseUserSpec(u) : u)),
      ...(options.rwUsers ?? []).map((u) =>
        typeof u === 'string' ? parseUserSpec(u, 'rw') : { ...u, access: 'rw' as const },
      ),
    ],
  };
  if (options.engineId !== undefined) agentOptions.engineId = options.engineId;
  if (faults) agentOptions.faults = faults;
  if (options.clock) agentOptions.clock = options.clock;
  if (options.seed !== undefined) agentOptions.seed = options.seed;
  if (options.maxMessageSize !== undefined) agentOptions.maxMessageSize = options.maxMessageSize;
  if (options.engineBoots !== undefined) agentOptions.engineBoots = options.engineBoots;
  const agent = new Agent(agentOptions);
  const listeners: Listener[] = [];
  try {
    for (const endpoint of options.listen ?? []) listeners.push(await agent.listen(endpoint));
  } catch (error) {
    await agent.close();
    throw error;
  }
  return {
    agent,
    endpoints: listeners.map((l) => l.endpoint),
    listeners,
    communities,
    engineId: agent.engineIdHex,
    close: () => agent.close(),
  };
}
