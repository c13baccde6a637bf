import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { TransportKind } from '@snmpkit/transport';
import type { AgentUser, CommunityConfig } from '../agent.js';
import { parseScenario } from '../scenarios.js';
import { agentUserFromSpec } from '../simulator.js';
import { type NotificationSink, parseSink } from '../sinks.js';
import { MibView, parseViewLine, type ViewFamily } from '../views.js';
import { parseIpv4 } from './addresses.js';
import { type Lab, LabError, type LabGroup, type LabOptions, startLab } from './lab.js';
import { checkPattern, overrideTarget } from './overrides.js';

/** A lab file that cannot be read: `file:line: what was expected`. */
export class LabFileError extends Error {
  readonly code = 'ERR_SIMULATOR_LAB_FILE';
  constructor(
    readonly source: string,
    readonly line: number,
    what: string,
  ) {
    super(`${source}:${line}: ${what}`);
    this.name = 'LabFileError';
  }
}

/** A group as the file gives it, with the line of each part (for errors found later, when the lab starts). */
export interface LabFileGroup extends LabGroup {
  name: string;
  template: string;
  /** The line of the `group` directive. */
  line: number;
  /** The line of the `template` directive. */
  templateLine: number;
}

/** What a lab file says: startLab's options (groups, seed, scenario, control) and where each group came from. */
export interface LabFile extends Pick<LabOptions, 'seed' | 'scenario' | 'control'> {
  source: string;
  groups: LabFileGroup[];
  /** The `scenario FILE` lines (loadLabFile reads the files into `scenario`). */
  scenarioFiles: { path: string; line: number }[];
}

const TRANSPORTS: readonly TransportKind[] = ['udp', 'udp6', 'tcp', 'tcp6'];
const SINK_DIRECTIVES = ['trapsink', 'trap2sink', 'informsink', 'trapsess'];
const GROUP_DIRECTIVES = [
  'template',
  'count',
  'layout',
  'address',
  'port',
  'transport',
  'rocommunity',
  'rwcommunity',
  'rouser',
  'rwuser',
  'override',
  'serial',
  'macs',
  'ip-address',
  'view',
  'authtrapenable',
  'counters',
  'interfaces',
  ...SINK_DIRECTIVES,
];

/** A line's words, a `#` comment and surrounding blanks left out; `"..."` keeps blanks inside one word. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (m[2]?.startsWith('#')) break;
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  }
  return out;
}

/** `-V VIEW` at the end of a community or user line. */
function viewOption(args: string[], fail: (what: string) => never): { args: string[]; view?: string } {
  const at = args.indexOf('-V');
  if (at < 0) return { args };
  if (at !== args.length - 2) fail('expected -V VIEW at the end of the line');
  return { args: args.slice(0, at), view: args[at + 1]! };
}

/**
 * Reads a lab file: snmpd.conf-like lines, one directive and its arguments per line, `#` comments. `seed N` may
 * come first; each `group NAME` starts a group of devices, and the lines after it (until the next group) describe
 * it: `template FILE` (relative to the lab file), `count N`, `layout address|port`, `address A`, `port P`,
 * `transport udp [tcp udp6 tcp6]`, `rocommunity NAME [-V VIEW]`, `rwcommunity NAME [-V VIEW]`, `rouser SPEC
 * [-V VIEW]`, `rwuser SPEC [-V VIEW]` (SPEC: NAME[:AUTH:PASS[:PRIV:PASS]]), `override OID|NAME VALUE...` (patterns
 * with {n} ...), `serial PATTERN`, `macs on|off`, `ip-address A|keep`, snmpd's `view` lines, `authtrapenable 1|2`
 * and sink lines (`trapsink`, `trap2sink`, `informsink`, `trapsess`). Throws LabFileError (`file:line: what was
 * expected`).
 */
export function parseLabFile(text: string, source = 'lab'): LabFile {
  const file: LabFile = { source, groups: [], scenarioFiles: [] };
  let group: LabFileGroup | undefined;
  let views: Map<string, ViewFamily[]> | undefined;
  let authTraps: boolean | undefined;
  const finish = () => {
    if (!group) return;
    if (group.templateLine === 0) throw new LabFileError(source, group.line, `group "${group.name}" has no template`);
    if (group.count === 0) throw new LabFileError(source, group.line, `group "${group.name}" has no count`);
    if (views && views.size > 0) group.views = new Map([...views].map(([name, f]) => [name, new MibView(f, name)]));
    if (authTraps !== undefined) group.authTraps = authTraps;
    // Every -V names a view of the group.
    const known = group.views ?? new Map();
    for (const c of [...(group.communities ?? []), ...(group.users ?? [])]) {
      const view = typeof c === 'object' ? c.readView : undefined;
      if (typeof view === 'string' && !(known as Map<string, unknown>).has(view)) {
        const line = (c as { line?: number }).line ?? group.line;
        throw new LabFileError(source, line, `no view named "${view}" in group "${group.name}" (add a view line)`);
      }
    }
    for (const c of [...(group.communities ?? []), ...(group.users ?? [])]) delete (c as { line?: number }).line;
  };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const w = words(lines[i]!);
    if (w.length === 0) continue;
    const [directive, ...args] = w as [string, ...string[]];
    const fail = (what: string): never => {
      throw new LabFileError(source, lineNo, what);
    };
    const one = (what: string): string => {
      if (args.length !== 1) fail(`expected ${directive} ${what}`);
      return args[0]!;
    };
    const whole = (what: string, min: number, max: number): number => {
      const text = one(what);
      const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      if (!(n >= min && n <= max)) fail(`${directive}: expected a whole number from ${min} to ${max}, got "${text}"`);
      return n;
    };
    if (directive === 'seed') {
      if (group) fail('seed belongs before the first group');
      file.seed = whole('N', 0, 0xffffffff);
      continue;
    }
    if (directive === 'scenario') {
      file.scenarioFiles.push({ path: one('FILE'), line: lineNo });
      continue;
    }
    if (directive === 'control') {
      if (args.length > 1) fail('expected control [PORT] (a loopback HTTP endpoint; 0 or none: a free port)');
      file.control = args.length === 0 ? true : { port: whole('[PORT]', 0, 65535) };
      continue;
    }
    if (directive === 'group') {
      finish();
      const name = one('NAME');
      if (file.groups.some((g) => g.name === name)) fail(`a second group named "${name}"`);
      group = { name, template: '', count: 0, line: lineNo, templateLine: 0 };
      views = new Map();
      authTraps = undefined;
      file.groups.push(group);
      continue;
    }
    if (!GROUP_DIRECTIVES.includes(directive)) {
      fail(
        `unknown directive "${directive}" (expected seed, scenario, control, group, ${GROUP_DIRECTIVES.join(', ')})`,
      );
    }
    if (!group) return fail(`${directive} belongs in a group: start one with "group NAME"`);
    const g: LabFileGroup = group;
    switch (directive) {
      case 'template':
        g.template = one('FILE');
        g.templateLine = lineNo;
        break;
      case 'count':
        g.count = whole('N', 1, 16_777_215);
        break;
      case 'layout': {
        const layout = one('address|port');
        if (layout !== 'address' && layout !== 'port') fail(`layout: expected address or port, got "${layout}"`);
        g.layout = layout as 'address' | 'port';
        break;
      }
      case 'address': {
        const address = one('IPV4-ADDRESS');
        if (parseIpv4(address) === undefined) fail(`address: expected an IPv4 address (127.1.0.1), got "${address}"`);
        g.address = address;
        break;
      }
      case 'port':
        g.port = whole('PORT', 0, 65535);
        break;
      case 'transport':
        if (args.length === 0) fail(`expected transport ${TRANSPORTS.join('|')} ...`);
        for (const t of args) {
          if (!TRANSPORTS.includes(t as TransportKind))
            fail(`transport: expected ${TRANSPORTS.join(', ')}, got "${t}"`);
        }
        g.transports = args as TransportKind[];
        break;
      case 'rocommunity':
      case 'rwcommunity': {
        const { args: rest, view } = viewOption(args, fail);
        if (rest.length !== 1) fail(`expected ${directive} NAME [-V VIEW]`);
        const config: CommunityConfig & { line: number } = {
          name: rest[0]!,
          access: directive === 'rwcommunity' ? 'rw' : 'ro',
          line: lineNo,
        };
        if (view !== undefined) config.readView = view;
        g.communities = [...(g.communities ?? []), config];
        break;
      }
      case 'rouser':
      case 'rwuser': {
        const { args: rest, view } = viewOption(args, fail);
        if (rest.length !== 1) fail(`expected ${directive} NAME[:AUTHPROTO:AUTHPASS[:PRIVPROTO:PRIVPASS]] [-V VIEW]`);
        let user: AgentUser;
        try {
          user = agentUserFromSpec(rest[0]!, directive === 'rwuser' ? 'rw' : 'ro');
        } catch (error) {
          return fail((error as Error).message);
        }
        if (view !== undefined) user.readView = view;
        g.users = [...(g.users ?? []), Object.assign(user, { line: lineNo })];
        break;
      }
      case 'override': {
        if (args.length < 2) fail('expected override OID|NAME VALUE (sysName router-{n})');
        const [key, ...value] = args as [string, ...string[]];
        const pattern = value.join(' ');
        try {
          overrideTarget(key);
          checkPattern(pattern);
        } catch (error) {
          fail(`override: ${(error as Error).message}`);
        }
        g.overrides = { ...(g.overrides ?? { sysName: '{value}-{n}' }), [key]: pattern };
        break;
      }
      case 'serial': {
        const pattern = args.join(' ');
        try {
          checkPattern(pattern);
        } catch (error) {
          fail(`serial: ${(error as Error).message}`);
        }
        g.serial = pattern;
        break;
      }
      case 'macs': {
        const v = one('on|off');
        if (v !== 'on' && v !== 'off') fail(`macs: expected on or off, got "${v}"`);
        g.macs = v === 'on';
        break;
      }
      case 'ip-address': {
        const v = one('IPV4-ADDRESS|keep');
        if (v !== 'keep' && parseIpv4(v) === undefined)
          fail(`ip-address: expected an IPv4 address or keep, got "${v}"`);
        g.ipAddress = v;
        break;
      }
      case 'view': {
        try {
          const [name, family] = parseViewLine(lines[i]!.replace(/#.*$/, '').trim());
          new MibView([family], name); // checked now, so that the error names this line
          views!.set(name, [...(views!.get(name) ?? []), family]);
        } catch (error) {
          fail((error as Error).message);
        }
        break;
      }
      case 'interfaces':
        g.interfaces = whole('N', 0, 2147483647);
        break;
      case 'counters': {
        const v = one('on|off');
        if (v !== 'on' && v !== 'off') fail(`counters: expected on or off, got "${v}"`);
        g.counters = v === 'on';
        break;
      }
      case 'authtrapenable': {
        const v = one('1|2');
        if (v !== '1' && v !== '2') fail(`authtrapenable: expected 1 (enabled) or 2 (disabled), got "${v}"`);
        authTraps = v === '1';
        break;
      }
      default: {
        // A sink line, as snmpd's.
        let sink: NotificationSink;
        try {
          sink = parseSink(lines[i]!.replace(/#.*$/, ''), `${source}:${lineNo}`);
        } catch (error) {
          throw new LabFileError(source, lineNo, (error as Error).message.replace(`${source}:${lineNo}: `, ''));
        }
        g.sinks = [...(g.sinks ?? []), sink];
      }
    }
  }
  finish();
  if (file.groups.length === 0) throw new LabFileError(source, Math.max(lines.length, 1), 'no group (group NAME)');
  return file;
}

/**
 * Reads and checks a lab file (parseLabFile), its templates resolved against the file's directory and checked to
 * exist (a missing one names its `template` line).
 */
export async function loadLabFile(path: string): Promise<LabFile> {
  const file = parseLabFile(await readFile(path, 'utf8'), path);
  for (const group of file.groups) {
    const template = isAbsolute(group.template) ? group.template : join(dirname(path), group.template);
    try {
      if (!(await stat(template)).isFile()) throw new Error('not a file');
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      throw new LabFileError(path, group.templateLine, `template ${group.template}: ${why} (${template})`);
    }
    group.template = template;
  }
  for (const { path: name, line } of file.scenarioFiles) {
    const scenarioPath = isAbsolute(name) ? name : join(dirname(path), name);
    let text: string;
    try {
      text = await readFile(scenarioPath, 'utf8');
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      throw new LabFileError(path, line, `scenario ${name}: ${why} (${scenarioPath})`);
    }
    // Its errors name the scenario file and its line.
    file.scenario = [...(file.scenario ?? []), ...parseScenario(text, scenarioPath)];
  }
  return file;
}

/**
 * Starts the lab a file describes (loadLabFile, then startLab with `options`): an error of a group (a template that
 * does not load, an address that cannot be bound) is a LabFileError at the group's line, naming what failed.
 */
export async function startLabFile(
  path: string,
  options: Omit<LabOptions, 'groups' | 'seed' | 'scenario' | 'control'> = {},
): Promise<Lab> {
  const file = await loadLabFile(path);
  try {
    return await startLab({
      ...options,
      groups: file.groups,
      ...(file.seed !== undefined ? { seed: file.seed } : {}),
      ...(file.scenario ? { scenario: file.scenario } : {}),
      ...(file.control ? { control: file.control } : {}),
    });
  } catch (error) {
    const group = error instanceof LabError ? file.groups.find((g) => g.name === error.group) : undefined;
    if (!group) throw error;
    const line = /template /.test((error as Error).message) ? group.templateLine : group.line;
    throw new LabFileError(path, line, (error as Error).message);
  }
}
