import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join } from 'node:path';
import type { Listener } from '@snmpkit/transport';
import { parseUserSpec, redactUserSpec, type UsmUserSpec } from '@snmpkit/usm';
import { type Access, Agent, type AgentOptions, type AgentUser, type CommunityConfig } from './agent.js';
import { Device, type DeviceOptions } from './device.js';
import { loadEngineState } from './engine-state.js';
import { AgentConfigError } from './errors.js';
import { type FaultSpec, parseFaultSpec } from './faults.js';
import type { MultiplexSnapshot } from './multiplex.js';
import type { AgentListenOptions } from './transports.js';
import type { MibView } from './views.js';

/**
 * File extensions read as data: snmpsim's (.snmprec, Net-SNMP walks as .snmpwalk, SimpleAgentPro's .sapwalk, .dump
 * and .MVC) and Net-SNMP walks as .walk; a single file of another extension (.txt) is read by its content.
 */
export const DATA_EXTENSIONS = ['.snmprec', '.snmpwalk', '.walk', '.sapwalk', '.dump', '.mvc'] as const;

const WALK_START = /^\s*\.?\d+(\.\d+)+ = /m;

/**
 * The snapshots of a multiplex directory: its `.snmprec` files, numbered by their names (`00003.snmprec` is 3), each
 * read as it is now. `dir` is relative to `root` (the data directory, as snmpsim resolves it) unless absolute.
 */
export function readMultiplexSnapshots(root: string, dir: string): MultiplexSnapshot[] {
  const path = isAbsolute(dir) ? dir : join(root, dir);
  let names: string[];
  try {
    names = readdirSync(path);
  } catch {
    throw new AgentConfigError(`multiplex: cannot read the snapshot directory ${path}`);
  }
  return names
    .filter((name) => name.endsWith('snmprec') && /^\d+$/.test(name.split('.')[0]!))
    .map((name) => {
      const file = join(path, name);
      const device = Device.fromSnmprec(readFileSync(file, 'latin1'), { source: file, liveSysUpTime: false });
      return { number: Number(name.split('.')[0]), varbinds: device.varbinds() };
    });
}

/**
 * Loads one device from a data file: by extension (see DATA_EXTENSIONS); by content for others. A multiplex record's
 * `dir=` is relative to `options.dataRoot`, default the file's directory.
 */
export async function loadDevice(path: string, options: DeviceOptions & { dataRoot?: string } = {}): Promise<Device> {
  const text = await readFile(path, 'latin1');
  const ext = extname(path).toLowerCase();
  const { dataRoot, ...deviceOptions } = options;
  const root = dataRoot ?? dirname(path);
  const opts: DeviceOptions = {
    source: path,
    multiplexSnapshots: (dir) => readMultiplexSnapshots(root, dir),
    ...deviceOptions,
  };
  if (ext === '.snmprec') return Device.fromSnmprec(text, opts);
  if (ext === '.snmpwalk' || ext === '.walk') return Device.fromWalk(text, opts);
  if (ext === '.sapwalk') return Device.fromSapwalk(text, opts);
  if (ext === '.dump' || ext === '.mvc') return Device.fromDump(text, opts);
  return WALK_START.test(text.slice(0, 4096)) ? Device.fromWalk(text, opts) : Device.fromSnmprec(text, opts);
}

/** One data file of a directory and the name it is served under. */
export interface DataFileEntry {
  /**
   * The file's path relative to the directory, without extension, with `/` between folders: the community (v1/v2c)
   * and the v3 context name, as snmpsim names them (`recorded/linux-full-walk`, `public/1.3.6.1.6.1.1.0/127.0.0.1`).
   */
  name: string;
  path: string;
}

/** A data file that was not served, and why (a second file for a name already taken). */
export interface SkippedDataFile {
  path: string;
  reason: string;
}

/** The data a path holds: a file is one device; a directory one device per data file, named by its relative path. */
export type LoadedData =
  | { device: Device; path?: string }
  | { devices: Map<string, Device>; files?: DataFileEntry[]; skipped?: SkippedDataFile[] };

/**
 * The data files under a directory, as snmpsim finds them: searched recursively (symbolic links followed), files of
 * other extensions ignored (README.txt and notes are no data), named by their path relative to `dir`. A `.txt` file
 * counts only when it holds Net-SNMP walk output. Sorted by name; a second file for a name is skipped, as snmpsim
 * skips it (it keeps whichever it met first; this keeps the first by extension order of DATA_EXTENSIONS).
 */
export async function findDataFiles(dir: string): Promise<{ files: DataFileEntry[]; skipped: SkippedDataFile[] }> {
  const found: DataFileEntry[] = [];
  const visit = async (folder: string, prefix: string, seen: Set<string>): Promise<void> => {
    const names = (await readdir(folder)).sort();
    for (const name of names) {
      const path = join(folder, name);
      let info: Awaited<ReturnType<typeof stat>>;
      try {
        info = await stat(path);
      } catch {
        continue; // a dangling link is no data
      }
      if (info.isDirectory()) {
        const real = await realpath(path);
        if (seen.has(real)) continue; // a link back up the tree
        await visit(path, `${prefix}${name}/`, new Set([...seen, real]));
        continue;
      }
      if (!info.isFile()) continue;
      const ext = extname(name);
      const lower = ext.toLowerCase();
      let data = (DATA_EXTENSIONS as readonly string[]).includes(lower);
      if (!data && lower === '.txt') data = WALK_START.test((await readFile(path, 'latin1')).slice(0, 4096));
      if (data) found.push({ name: `${prefix}${name.slice(0, name.length - ext.length)}`, path });
    }
  };
  await visit(dir, '', new Set([await realpath(dir)]));
  const rank = (path: string) => {
    const i = (DATA_EXTENSIONS as readonly string[]).indexOf(extname(path).toLowerCase());
    return i < 0 ? DATA_EXTENSIONS.length : i;
  };
  found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : rank(a.path) - rank(b.path)));
  const files: DataFileEntry[] = [];
  const skipped: SkippedDataFile[] = [];
  for (const entry of found) {
    const taken =
      files.length > 0 && files[files.length - 1]!.name === entry.name ? files[files.length - 1] : undefined;
    if (taken) skipped.push({ path: entry.path, reason: `"${entry.name}" is served from ${taken.path} already` });
    else files.push(entry);
  }
  return { files, skipped };
}

export async function loadData(path: string, options: DeviceOptions = {}): Promise<LoadedData> {
  const info = await stat(path);
  if (!info.isDirectory()) return { device: await loadDevice(path, options), path };
  const { files, skipped } = await findDataFiles(path);
  if (files.length === 0) {
    throw new AgentConfigError(`${path}: no data files (${DATA_EXTENSIONS.join(', ')}, or walk output in .txt)`);
  }
  const devices = new Map<string, Device>();
  // One writecache store for the directory, as snmpsim has one per process.
  const shared = { writeCache: new Map(), dataRoot: path, ...options };
  for (const file of files) devices.set(file.name, await loadDevice(file.path, shared));
  return { devices, files, skipped };
}

/**
 * A v3 user spec (`NAME[:AUTHPROTO:AUTHPASS[:PRIVPROTO:PRIVPASS]]`, read by @snmpkit/usm's parseUserSpec, the one
 * reader the CLI's --user also uses) as the agent's user, read-only unless `access` says otherwise (snmpd's rouser).
 * An `@ENGINEID` is refused: an agent's users belong to its own engine. Errors are AgentConfigError and show the spec
 * with its passwords as `***`.
 */
export function agentUserFromSpec(spec: string, access: Access = 'ro'): AgentUser {
  let user: UsmUserSpec;
  try {
    user = parseUserSpec(spec);
  } catch (error) {
    throw new AgentConfigError(`user ${(error as Error).message}`);
  }
  const { engineId, ...rest } = user;
  if (engineId !== undefined) {
    throw new AgentConfigError(
      `user ${redactUserSpec(spec)}: an agent's users belong to its own engine; leave out @${engineId}`,
    );
  }
  return { ...rest, access };
}

export interface SimulatorOptions {
  /** A data file or directory path (see loadData), or devices already built. */
  data: string | Device | Map<string, Device> | Record<string, Device>;
  /** Endpoints to listen on, e.g. `udp:127.0.0.1:0`, `udp6:[::1]:0`, `tcp:127.0.0.1:0`. */
  listen?: string[];
  /**
   * TCP listeners' bounds (@snmpkit/transport's): `maxConnections` (default 256; one more closes the one silent the
   * longest) and `idleTimeoutMs` (default 120000; 0 never). A frame is capped at the agent's `maxMessageSize`.
   */
  tcp?: Pick<AgentListenOptions, 'maxConnections' | 'idleTimeoutMs'>;
  /**
   * Read-only communities. With one device, default `public` (and `private` read-write) when neither list is
   * given. With a directory, every device's name is a read-only community already; names here must be devices.
   */
  communities?: string[];
  /** Read-write communities (with a directory: device names whose community may SET). */
  rwCommunities?: string[];
  /**
   * v3 users, read-only (snmpd's rouser): specs as agentUserFromSpec reads them, or objects (whose `access` stands,
   * default 'ro').
   */
  users?: (string | AgentUser)[];
  /** v3 users that may SET (snmpd's rwuser): specs or objects, read-write whatever their `access`. */
  rwUsers?: (string | AgentUser)[];
  /** snmpEngineID in hex. Default: a fresh random one, or the one kept in `stateDir`. */
  engineId?: string | Uint8Array;
  /**
   * A directory where the engine's identity persists (see loadEngineState): the engine ID is kept, and
   * snmpEngineBoots grows by one on every start and restart, as snmpd's persistent directory makes it. Without it,
   * each start is a new engine: a random engine ID and boots 1.
   */
  stateDir?: string;
  /** snmpd's maxGetbulkRepeats (AgentOptions). */
  maxGetbulkRepeats?: number;
  /** snmpd's maxGetbulkResponses (AgentOptions; default 100). */
  maxGetbulkResponses?: number;
  /** Fault specs (parseFaultSpec syntax), or a spec object. */
  faults?: string | string[] | FaultSpec;
  clock?: AgentOptions['clock'];
  seed?: number;
  maxMessageSize?: number;
  engineBoots?: number;
  deviceOptions?: DeviceOptions;
  /** Named MIB views (parseViews reads snmpd's `view` lines into them). */
  views?: Map<string, MibView> | Record<string, MibView>;
  /** The view each community or v3 user reads (and writes) through, by name: `{ public: 'systemonly' }`. */
  accessViews?: Record<string, string>;
}

/** A running simulator: the agent and the endpoints it listens on, as bound. */
export interface Simulator {
  readonly agent: Agent;
  /** The endpoints as bound (`udp:127.0.0.1:40123`), in the order asked. */
  readonly endpoints: string[];
  readonly listeners: Listener[];
  /** Communities and their access, for printing. */
  readonly communities: CommunityConfig[];
  /** With a data directory: each data file and the community/context name it is served under, by name. */
  readonly dataFiles: DataFileEntry[];
  /** With a data directory: data files that were not served, and why. */
  readonly skippedFiles: SkippedDataFile[];
  /** Records answered as noSuchInstance because their value cannot be served (DeviceOptions.badRecords 'serve'). */
  readonly warnings: string[];
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
      throw new AgentConfigError(`community "${name}" names no data file (devices: ${deviceNames.join(', ')})`);
    }
  }
  const writable = new Set(rw ?? []);
  return deviceNames.map((name) => ({ name, access: writable.has(name) ? 'rw' : 'ro' }));
}

/** snmpsim's data file index (its agent's `1.3.6.1.4.1.20408.999`), served to the community and context `index`. */
const INDEX_TABLE = '1.3.6.1.4.1.20408.999.1';

/**
 * The `index` device snmpsim serves beside a data directory: for data file N (in name order), `.1.N` its path,
 * `.2.N` its community and `.3.N` the MD5 hex of that name (the v3 context snmpsim also registers it under).
 */
export function indexDevice(files: readonly DataFileEntry[]): Device {
  const device = new Device({ source: 'index' });
  files.forEach((file, i) => {
    const text = (s: string) => ({ type: 'OctetString' as const, value: Buffer.from(s, 'latin1') });
    device.set(`${INDEX_TABLE}.1.${i + 1}`, text(file.path));
    device.set(`${INDEX_TABLE}.2.${i + 1}`, text(file.name));
    device.set(`${INDEX_TABLE}.3.${i + 1}`, text(createHash('md5').update(file.name, 'latin1').digest('hex')));
  });
  return device;
}

/** The first few of a device's warnings, and how many more there are: a file can have thousands. */
function warningsOf(device: Device): string[] {
  const shown = device.warnings.slice(0, 3);
  const more = device.warnings.length - shown.length;
  if (more > 0) shown.push(`${device.source ?? 'data'}: ${more} more records answer noSuchInstance, as snmpsim`);
  return shown;
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
  if ('files' in data && data.files && !named.has('index')) named.set('index', indexDevice(data.files));
  const deviceNames = [...named.keys()];
  const communities = communityConfigs(single !== undefined, deviceNames, options.communities, options.rwCommunities);
  const faults =
    options.faults === undefined
      ? undefined
      : typeof options.faults === 'string' || Array.isArray(options.faults)
        ? parseFaultSpec(...[options.faults].flat())
        : options.faults;
  const users = [
    ...(options.users ?? []).map((u) => (typeof u === 'string' ? agentUserFromSpec(u) : u)),
    ...(options.rwUsers ?? []).map((u) =>
      typeof u === 'string' ? agentUserFromSpec(u, 'rw') : { ...u, access: 'rw' as const },
    ),
  ];
  const accessViews = options.accessViews ?? {};
  for (const name of Object.keys(accessViews)) {
    if (!communities.some((c) => c.name === name) && !users.some((u) => u.name === name)) {
      throw new AgentConfigError(`a view for "${name}", which is neither a community nor a user`);
    }
  }
  const withView = <T extends { name: string }>(entry: T): T =>
    accessViews[entry.name] === undefined ? entry : { ...entry, readView: accessViews[entry.name] };
  const agentOptions: AgentOptions = {
    ...(single ? { device: single } : { devices: named }),
    communities: communities.map(withView),
    users: users.map(withView),
    ...(options.views ? { views: options.views } : {}),
  };
  if (options.stateDir !== undefined) {
    const state = loadEngineState(options.stateDir, options.engineId);
    agentOptions.engineId = state.engineId;
    agentOptions.engineBoots = state.boots;
    agentOptions.onEngineBoots = (boots) => state.save(boots);
  } else if (options.engineId !== undefined) {
    agentOptions.engineId = options.engineId;
  }
  if (options.maxGetbulkRepeats !== undefined) agentOptions.maxGetbulkRepeats = options.maxGetbulkRepeats;
  if (options.maxGetbulkResponses !== undefined) agentOptions.maxGetbulkResponses = options.maxGetbulkResponses;
  if (faults) agentOptions.faults = faults;
  if (options.clock) agentOptions.clock = options.clock;
  if (options.seed !== undefined) agentOptions.seed = options.seed;
  if (options.maxMessageSize !== undefined) agentOptions.maxMessageSize = options.maxMessageSize;
  if (options.engineBoots !== undefined) agentOptions.engineBoots = options.engineBoots;
  const agent = new Agent(agentOptions);
  const listeners: Listener[] = [];
  try {
    for (const endpoint of options.listen ?? []) listeners.push(await agent.listen(endpoint, options.tcp));
  } catch (error) {
    await agent.close();
    throw error;
  }
  return {
    agent,
    endpoints: listeners.map((l) => l.endpoint),
    listeners,
    communities,
    dataFiles: ('files' in data ? data.files : undefined) ?? [],
    skippedFiles: ('skipped' in data ? data.skipped : undefined) ?? [],
    warnings: (single ? [single] : [...named.values()]).flatMap(warningsOf),
    engineId: agent.engineIdHex,
    close: () => agent.close(),
  };
}
