import { readFileSync } from 'node:fs';
import type { SnmpValue } from '@snmpkit/ber';
import { BUILTIN_MODULE_NAMES, builtinModule, DEFAULT_MODULES } from './builtin.js';
import { formatValue } from './format.js';
import { type Definition, type OidPart, type ParsedModule, parseModules, type RawSyntax } from './parser.js';
import { describeNode, printTree } from './report.js';
import {
  defaultMibDirs,
  indexDirectories,
  type ModuleLocation,
  resolveMibDirs,
  resolveMibModules,
  type SnmpConfMibSettings,
} from './search-path.js';
import { decodeIndex, formatOid, type OidFormat, type ParseOidOptions, parseOid } from './translate.js';
import { ANONYMOUS_PREFIX, type NodeData, TreeNode } from './tree.js';
import type { BaseType, MibDiagnostic, MibNode, TextualConvention } from './types.js';

export interface MibOptions {
  /**
   * Directories to search, like `-M`: a string is a `:`-separated list where a leading `+` adds to
   * the default path; an array replaces it. Without it, MIBDIRS (same syntax) and then the usual
   * system directories are used.
   */
  dirs?: string | string[];
  /**
   * Modules to load, like `-m`: `ALL`, a `:`-separated list (a leading `+` adds to the defaults) or
   * an array. Without it, the MIBS variable; without that, `DEFAULT_MODULES` (the core names).
   * They are read on first use, not by the constructor; any other module loads when a name asks
   * for it (`IF-MIB::ifDescr`).
   */
  modules?: string | string[];
  /**
   * Fall back to the built-in core modules (SNMPv2-MIB, IF-MIB, IP-MIB, HOST-RESOURCES-MIB, ...)
   * when a module is not found on the path. Default true. Turn off for exact Net-SNMP parity on a
   * machine whose MIB directories lack modules that others import.
   */
  builtins?: boolean;
  /** Environment to read MIBDIRS/MIBS/HOME from; default `process.env`. */
  env?: Record<string, string | undefined>;
  /**
   * Settings from snmp.conf (see `readSnmpConf()`), used where neither the option nor the
   * environment says anything, as Net-SNMP does: `-m` > MIBS > `mibs` directive > defaults.
   */
  conf?: SnmpConfMibSettings;
}

/** Net-SNMP's replacement table: which newer module to read when an old one is missing. */
const MODULE_REPLACEMENTS: ReadonlyArray<readonly [string, string, string | undefined, number]> = [
  ['RFC1065-SMI', 'RFC1155-SMI', undefined, 0],
  ['RFC1066-MIB', 'RFC1156-MIB', undefined, 0],
  ['RFC1156-MIB', 'RFC1158-MIB', undefined, 0],
  ['RFC1158-MIB', 'RFC1213-MIB', undefined, 0],
  ['RFC1155-SMI', 'SNMPv2-SMI', undefined, 0],
  ['RFC1213-MIB', 'SNMPv2-SMI', 'mib-2', 0],
  ['RFC1213-MIB', 'SNMPv2-MIB', 'sys', 3],
  ['RFC1213-MIB', 'IF-MIB', 'if', 2],
  ['RFC1213-MIB', 'IP-MIB', 'ip', 2],
  ['RFC1213-MIB', 'IP-MIB', 'icmp', 4],
  ['RFC1213-MIB', 'TCP-MIB', 'tcp', 3],
  ['RFC1213-MIB', 'UDP-MIB', 'udp', 3],
  ['RFC1213-MIB', 'SNMPv2-SMI', 'transmission', 0],
  ['RFC1213-MIB', 'SNMPv2-MIB', 'snmp', 4],
  ['RFC1231-MIB', 'TOKENRING-MIB', undefined, 0],
  ['RFC1271-MIB', 'RMON-MIB', undefined, 0],
  ['RFC1286-MIB', 'SOURCE-ROUTING-MIB', 'dot1dSr', 7],
  ['RFC1286-MIB', 'BRIDGE-MIB', undefined, 0],
  ['RFC1315-MIB', 'FRAME-RELAY-DTE-MIB', undefined, 0],
  ['RFC1316-MIB', 'CHARACTER-MIB', undefined, 0],
  ['RFC1406-MIB', 'DS1-MIB', undefined, 0],
  ['RFC-1213', 'RFC1213-MIB', undefined, 0],
];

/** A node waiting to be linked under its parent, as Net-SNMP's parse nodes are. */
interface PendingNode {
  label: string;
  parent: string;
  subid: number | undefined;
  module: string;
  data: NodeData;
}

interface ImportRef {
  label: string;
  /** Undefined when the module could not be found: the symbol is then looked up in any module. */
  module: string | undefined;
}

interface ModuleState {
  name: string;
  file: string;
  status: 'loading' | 'loaded' | 'failed';
  imports: ImportRef[];
}

/**
 * A set of loaded MIB modules: the OID tree, textual conventions and the module search path.
 * Nothing is read until a module is asked for (or `modules` was given), so creating one is cheap.
 */
export class Mib {
  readonly dirs: readonly string[];
  readonly useBuiltins: boolean;
  /** Problems met while loading (parse errors, missing modules, unlinked OIDs), oldest first. */
  readonly diagnostics: MibDiagnostic[] = [];
  private readonly root: TreeNode;
  /** Modules asked for at construction and not read yet (they load on first use). */
  private wanted: string[] | 'ALL' | undefined;
  /** `mibfile` files from snmp.conf, read with the initial modules. */
  private files: string[];
  private serial = 0;
  /** Net-SNMP's count of the anonymous arcs it has named (`anonymous#N`), one per process, from 0. */
  private anonymousSerial = 0;
  private locations: Map<string, ModuleLocation> | undefined;
  private locationOrder: ModuleLocation[] = [];
  private readonly modules = new Map<string, ModuleState>();
  private readonly tcs: TextualConvention[] = [];
  private readonly labels = new Map<string, TreeNode[]>();
  private orphans: PendingNode[] = [];

  constructor(options: MibOptions = {}) {
    const env = options.env ?? process.env;
    const conf = options.conf;
    const base = resolveMibDirs(conf?.mibdirs, defaultMibDirs(env.HOME));
    this.dirs = Array.isArray(options.dirs) ? options.dirs : resolveMibDirs(options.dirs ?? env.MIBDIRS, base);
    this.useBuiltins = options.builtins ?? true;
    this.root = new TreeNode('', -1, undefined, '', this.serial++);
    for (const [label, subid] of [
      ['ccitt', 0],
      ['iso', 1],
      ['joint-iso-ccitt', 2],
    ] as const) {
      const root = new TreeNode(label, subid, undefined, '', this.serial++);
      this.root.addChild(root);
      this.indexLabel(root);
    }
    const defaults = resolveMibModules(conf?.mibs, [...DEFAULT_MODULES]);
    const wanted = Array.isArray(options.modules)
      ? options.modules
      : resolveMibModules(options.modules ?? env.MIBS, defaults === 'ALL' ? ['ALL'] : defaults);
    this.files = conf?.mibfiles ?? [];
    this.wanted = wanted !== 'ALL' && wanted.includes('ALL') ? 'ALL' : wanted;
  }

  /** Reads the modules given at construction, if that has not happened yet. */
  load(): this {
    const wanted = this.wanted;
    if (wanted === undefined) return this;
    this.wanted = undefined;
    if (wanted === 'ALL') this.loadAll();
    else if (wanted.length > 0) this.loadModules(wanted);
    for (const file of this.files) this.loadFile(file);
    return this;
  }

  /** The three roots (ccitt, iso, joint-iso-ccitt) as children of a hidden top node. */
  get top(): TreeNode {
    if (this.wanted !== undefined) this.load();
    return this.root;
  }

  // ---------------------------------------------------------------- module loading

  /** Module names found on the search path, in the order `-m ALL` loads them. */
  availableModules(): string[] {
    this.ensureIndex();
    return this.locationOrder.map((l) => l.name);
  }

  /** The file a module would be read from, if it is on the path. */
  moduleFile(name: string): string | undefined {
    this.ensureIndex();
    return this.locations!.get(name)?.file;
  }

  /** Names of the modules loaded so far. */
  loadedModules(): string[] {
    this.load();
    return [...this.modules.values()].filter((m) => m.status === 'loaded').map((m) => m.name);
  }

  isLoaded(name: string): boolean {
    this.load();
    return this.modules.get(name)?.status === 'loaded';
  }

  /** Loads one module (and what it imports). Returns false when it was not found or did not parse. */
  loadModule(name: string): boolean {
    this.load();
    const ok = this.readModule(name);
    if (!ok) this.reportMissing([name]);
    this.adoptOrphans();
    return ok;
  }

  /**
   * Loads modules in order, like `-m A:B:C`; an entry with a `/` is a file path, as in Net-SNMP.
   * Returns the names that could not be loaded.
   */
  loadModules(names: readonly string[]): string[] {
    this.load();
    const missing: string[] = [];
    for (const name of names) {
      if (name === 'ALL') {
        this.loadAll();
        continue;
      }
      if (name.includes('/')) {
        if (this.loadFile(name).length === 0) missing.push(name);
        continue;
      }
      if (!this.readModule(name)) missing.push(name);
    }
    this.reportMissing(missing);
    this.adoptOrphans();
    return missing;
  }

  /** Loads every module on the search path, in Net-SNMP's `-m ALL` order, then the built-in ones not found there. */
  loadAll(): void {
    this.load();
    this.ensureIndex();
    // Net-SNMP prepends each module it finds to its list and then loads from the head: the reverse order.
    for (let i = this.locationOrder.length - 1; i >= 0; i--) this.readModule(this.locationOrder[i]!.name);
    // "Every module there is" includes the built-in core modules whose files are missing: a named module falls back
    // to them, and `-m ALL` on a machine without the IETF files would otherwise know less than `-m SNMPv2-MIB`.
    if (this.useBuiltins) for (const name of BUILTIN_MODULE_NAMES) this.readModule(name);
    this.adoptOrphans();
  }

  /** Reads a module file by path (snmp.conf's `mibfile`, or `-m /path/FILE`). Returns the modules it defined. */
  loadFile(path: string): string[] {
    let text: string;
    try {
      text = readFileSync(path, 'latin1');
    } catch (err) {
      this.diagnostics.push({ file: path, line: 0, message: String(err) });
      return [];
    }
    return this.loadText(text, path);
  }

  /** Parses a module file's text and loads what it defines, without the search path. */
  loadText(text: string, file: string): string[] {
    this.load();
    const result = parseModules(text, file);
    this.diagnostics.push(...result.errors);
    const names: string[] = [];
    for (const parsed of result.modules) {
      if (this.modules.get(parsed.name)?.status === 'loaded') continue;
      this.linkModule(parsed);
      names.push(parsed.name);
    }
    this.adoptOrphans();
    return names;
  }

  private reportMissing(names: string[]): void {
    for (const name of names) {
      if (this.modules.get(name)?.status === 'failed') continue; // its parse error is reported already
      this.diagnostics.push({ module: name, file: '(none)', line: 0, message: `Cannot find module (${name})` });
    }
  }

  private ensureIndex(): void {
    if (this.locations) return;
    this.locationOrder = indexDirectories(this.dirs);
    this.locations = new Map(this.locationOrder.map((l) => [l.name, l]));
  }

  private readModule(name: string): boolean {
    const state = this.modules.get(name);
    if (state) return state.status !== 'failed';
    this.ensureIndex();
    const location = this.locations!.get(name);
    let parsed: ParsedModule | undefined;
    if (location) {
      let text: string;
      try {
        text = readFileSync(location.file, 'latin1');
      } catch (err) {
        this.diagnostics.push({ module: name, file: location.file, line: 0, message: String(err) });
        return false;
      }
      const result = parseModules(text, location.file);
      this.diagnostics.push(...result.errors);
      parsed = result.modules.find((m) => m.name === name);
      if (!parsed) {
        this.modules.set(name, { name, file: location.file, status: 'failed', imports: [] });
        return false;
      }
    } else if (this.useBuiltins && BUILTIN_MODULE_NAMES.has(name)) {
      parsed = builtinModule(name);
    }
    if (!parsed) return false;
    this.linkModule(parsed);
    return true;
  }

  /**
   * Reads the replacement for a missing module (Net-SNMP's compatibility table): the module that
   * now holds `symbol` when the table says so, else the first replacement listed. `found` is false
   * when the table has nothing for the old name; `module` is set only for a symbol-specific match.
   */
  private readReplacement(oldName: string, symbol: string): { found: boolean; module?: string } {
    for (const [from, to, tag, tagLen] of MODULE_REPLACEMENTS) {
      if (from !== oldName) continue;
      const matches =
        (tagLen === 0 && (tag === undefined || tag === symbol)) ||
        (tagLen !== 0 && tag !== undefined && symbol.startsWith(tag.slice(0, tagLen)));
      if (matches) {
        this.readModule(to);
        return { found: true, module: to };
      }
    }
    const fallback = MODULE_REPLACEMENTS.find(([from]) => from === oldName);
    if (!fallback) return { found: false };
    this.readModule(fallback[1]);
    return { found: true };
  }

  // ---------------------------------------------------------------- linking

  private linkModule(parsed: ParsedModule): void {
    const state: ModuleState = { name: parsed.name, file: parsed.file, status: 'loading', imports: [] };
    this.modules.set(parsed.name, state);
    // Imports first, in the order they are written: that order decides which module owns a shared node.
    for (const group of parsed.imports) {
      if (group.symbols.length === 0) continue;
      const found = this.readModule(group.module) && this.modules.has(group.module);
      const known = found || this.moduleFile(group.module) !== undefined;
      let replaced = false;
      for (const label of group.symbols) {
        let module: string | undefined = known ? group.module : undefined;
        if (!found) {
          const replacement = this.readReplacement(group.module, label);
          if (replacement.module) module = replacement.module;
          replaced ||= replacement.found;
        }
        state.imports.push({ label, module });
      }
      if (!found && !replaced) {
        this.diagnostics.push({
          module: parsed.name,
          file: parsed.file,
          line: group.line,
          message: `Cannot find module (${group.module})`,
        });
      }
    }
    const pending: PendingNode[] = [];
    for (const item of parsed.items) {
      if ('typeAssignment' in item) {
        const ta = item.typeAssignment;
        if (!ta.syntax) continue;
        const type = this.resolveSyntaxType(ta.syntax, state);
        if (type === undefined) continue;
        const tc: TextualConvention = { name: ta.name, module: parsed.name, type };
        if (ta.hint !== undefined) tc.hint = ta.hint;
        if (ta.syntax.enums) tc.enums = ta.syntax.enums;
        if (ta.syntax.ranges) tc.ranges = ta.syntax.ranges;
        if (ta.description !== undefined) tc.description = ta.description;
        if (ta.status !== undefined) tc.status = ta.status;
        this.tcs.push(tc);
      } else {
        this.pendingFromDefinition(item.definition, state, parsed.file, pending);
      }
    }
    this.linkPending(state, parsed.file, pending);
    state.status = 'loaded';
  }

  /** The textual convention a name refers to from a module, as Net-SNMP's get_tc() finds it. */
  findTc(name: string, fromModule: string): TextualConvention | undefined {
    const state = this.modules.get(fromModule);
    let module: string | undefined = fromModule;
    if (state) {
      const imported = state.imports.find((i) => i.label === name);
      if (imported) module = imported.module;
    }
    return this.tcs.find((tc) => tc.name === name && (module === undefined || tc.module === module));
  }

  private resolveSyntaxType(syntax: RawSyntax, state: ModuleState): BaseType | undefined {
    if (syntax.base) return syntax.base;
    if (syntax.label) return this.findTc(syntax.label, state.name)?.type;
    return undefined;
  }

  private objectData(d: Definition, state: ModuleState, file: string): NodeData {
    const data: NodeData = { kind: d.kind, type: 'OTHER', file, line: d.line };
    const s = d.syntax;
    if (s) {
      if (s.base) data.type = s.base;
      else if (s.label && !s.structured) {
        const tc = this.findTc(s.label, state.name);
        if (tc) {
          data.type = tc.type;
          data.tc = tc;
          if (tc.enums) data.enums = tc.enums;
          if (tc.ranges) data.ranges = tc.ranges;
          if (tc.hint !== undefined) data.hint = tc.hint;
        }
      }
      if (s.enums) data.enums = s.enums;
      if (s.ranges) data.ranges = s.ranges;
    }
    if (d.units !== undefined) data.units = d.units;
    if (d.access !== undefined) data.access = d.access;
    if (d.status !== undefined) data.status = d.status;
    if (d.description !== undefined) data.description = d.description;
    if (d.reference !== undefined) data.reference = d.reference;
    if (d.defval !== undefined) data.defval = d.defval;
    if (d.indexes) data.indexes = d.indexes;
    if (d.augments !== undefined) data.augments = d.augments;
    if (d.objects) data.objects = d.objects;
    return data;
  }

  private pendingFromDefinition(d: Definition, state: ModuleState, file: string, out: PendingNode[]): void {
    const module = state.name;
    const data = this.objectData(d, state, file);
    if (d.trap) {
      // SMIv1 traps hang under a hidden "enterprise#" node with sub-identifier 0, as Net-SNMP does.
      const hidden = `${d.trap.enterprise}#`;
      out.push({ label: d.name, parent: hidden, subid: d.trap.number, module, data });
      out.push({
        label: hidden,
        parent: d.trap.enterprise,
        subid: 0,
        module,
        data: { kind: 'trap-enterprise', type: 'OTHER', file, line: d.line },
      });
      return;
    }
    const parts: OidPart[] = (d.oid ?? []).map((p) => ({ ...p }));
    const first = parts[0];
    if (!first) return;
    if (first.label === undefined) {
      // A numeric first arc names a root.
      const root = this.root.child(first.subid ?? -1);
      if (!root || parts.length === 1) {
        this.diagnostics.push({ module, file, line: d.line, message: `Attempt to define a root oid (${d.name})` });
        return;
      }
      first.label = root.label;
    }
    if (parts.length === 1) {
      out.push({ label: d.name, parent: first.label, subid: undefined, module, data });
      return;
    }
    for (let i = 0; i + 1 < parts.length; i++) {
      const parent = parts[i]!;
      const child = parts[i + 1]!;
      const last = i + 2 === parts.length;
      if (!last && child.label === undefined) child.label = `${ANONYMOUS_PREFIX}${this.anonymousSerial++}`;
      out.push({
        label: last ? d.name : child.label!,
        parent: parent.label!,
        subid: child.subid,
        module,
        data: last ? data : { kind: 'oid', type: 'OTHER', file, line: d.line },
      });
    }
  }

  private indexLabel(node: TreeNode): void {
    const list = this.labels.get(node.label);
    if (list) list.push(node);
    else this.labels.set(node.label, [node]);
  }

  /**
   * The node with a label: from a given module when `module` is set, else the most recently
   * created one (Net-SNMP's hash lookup order).
   */
  private findTreeNode(label: string, module: string | undefined): TreeNode | undefined {
    const list = this.labels.get(label);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const n = list[i]!;
      if (module === undefined || n.modules.includes(module)) return n;
    }
    return undefined;
  }

  private linkPending(state: ModuleState, file: string, pending: PendingNode[]): void {
    const byParent = new Map<string, PendingNode[]>();
    for (const p of pending) {
      const list = byParent.get(p.parent);
      if (list) list.push(p);
      else byParent.set(p.parent, [p]);
    }
    for (const imp of state.imports) {
      if (byParent.size === 0) break;
      if (this.tcs.some((tc) => tc.name === imp.label && (imp.module === undefined || tc.module === imp.module))) {
        continue;
      }
      const node = this.findTreeNode(imp.label, imp.module);
      if (!node) {
        this.diagnostics.push({
          module: state.name,
          file,
          line: 0,
          message: `Did not find '${imp.label}' in module ${imp.module ?? '#-1'}`,
        });
        continue;
      }
      this.attachChildren(node, byParent);
    }
    for (const root of this.root.children) this.attachChildren(root, byParent);
    for (const list of byParent.values()) this.orphans.push(...list);
  }

  /**
   * Links every pending node whose parent is named `label` under `node`, then their children,
   * depth first. Children are found by the pending node's own label: an anonymous arc
   * (`{ iso 3 6 1 }`) merged into an existing node still finds the arcs written after it.
   */
  private attachChildren(node: TreeNode, byParent: Map<string, PendingNode[]>, label = node.label): void {
    const list = byParent.get(label);
    if (!list) return;
    byParent.delete(label);
    // Children of a second name for an OID join the first-loaded node with that sub-identifier,
    // as Net-SNMP's do_subtree does: RFC1158-MIB's ipRoutingTable rows end up under ipRouteTable.
    const target = (node.parent ?? this.root).child(node.subid) ?? node;
    for (const p of list) {
      const child = this.attach(target, p);
      this.attachChildren(child, byParent, p.label);
    }
  }

  private attach(parent: TreeNode, p: PendingNode): TreeNode {
    let under = parent;
    let subid = p.subid;
    if (subid === undefined) {
      // "name ::= { parent }": an alias of the parent, a sibling with the same sub-identifier.
      subid = parent.subid;
      under = parent.parent ?? this.root;
    }
    let anonymous: TreeNode | undefined;
    for (const c of under.children) {
      if (c.subid !== subid) continue;
      if (c.label === p.label) {
        c.modules.push(p.module);
        return c;
      }
      if (c.isAnonymous) anonymous = c;
      else if (p.label.startsWith(ANONYMOUS_PREFIX)) return c;
    }
    if (anonymous) {
      // The named definition arrives for a node first seen as a bare number: it takes the node over.
      anonymous.label = p.label;
      anonymous.module = p.module;
      anonymous.modules = [p.module];
      anonymous.setData(p.data);
      this.indexLabel(anonymous);
      return anonymous;
    }
    const node = new TreeNode(p.label, subid, under === this.root ? undefined : under, p.module, this.serial++);
    node.setData(p.data);
    under.addChild(node);
    // A module's later name for an OID takes the node over (TreeNode.addChild): the subtree already linked under the
    // earlier name moves with it, so that OID lookups, which go through the first name, still reach it.
    if (under.child(subid) === node) {
      for (const twin of under.children) if (twin !== node && twin.subid === subid) node.adoptChildrenOf(twin);
    }
    this.indexLabel(node);
    return node;
  }

  /** Links nodes whose parent was not known when their module loaded (Net-SNMP's adopt_orphans). */
  private adoptOrphans(): void {
    let progress = true;
    while (progress && this.orphans.length > 0) {
      progress = false;
      const left: PendingNode[] = [];
      const byParent = new Map<string, PendingNode[]>();
      for (const p of this.orphans) {
        const list = byParent.get(p.parent);
        if (list) list.push(p);
        else byParent.set(p.parent, [p]);
      }
      for (const [label] of [...byParent]) {
        if (!byParent.has(label)) continue;
        const node = this.findTreeNode(label, undefined);
        if (node) {
          this.attachChildren(node, byParent);
          progress = true;
        }
      }
      for (const list of byParent.values()) left.push(...list);
      this.orphans = left;
    }
  }

  /** Nodes whose parent never appeared (Net-SNMP reports them as "Unlinked OID"). */
  unlinked(): ReadonlyArray<{ label: string; parent: string; module: string }> {
    this.load();
    return this.orphans.map((o) => ({ label: o.label, parent: o.parent, module: o.module }));
  }

  // ---------------------------------------------------------------- lookups

  /** The node with a label, from a module (loaded on demand) or from any loaded module. */
  findNode(label: string, module?: string): MibNode | undefined {
    this.load();
    if (module !== undefined) {
      if (!this.isLoaded(module)) this.loadModule(module);
      return this.findTreeNode(label, module);
    }
    return this.findTreeNode(label, undefined);
  }

  /** Every node carrying a label (several modules may define different nodes with one name). */
  findNodes(label: string): MibNode[] {
    this.load();
    return [...(this.labels.get(label) ?? [])];
  }

  /** The deepest node on an OID's path (with the arcs it covers), or undefined for an unknown root. */
  nodeForArcs(arcs: readonly number[]): { node: MibNode; depth: number } | undefined {
    let node: TreeNode | undefined;
    let current: TreeNode = this.top;
    let depth = 0;
    for (const arc of arcs) {
      const next = current.child(arc);
      if (!next) break;
      node = next;
      current = next;
      depth++;
    }
    return node ? { node, depth } : undefined;
  }

  /** All textual conventions registered so far. */
  textualConventions(): readonly TextualConvention[] {
    this.load();
    return this.tcs;
  }

  // ---------------------------------------------------------------- conveniences for a CLI

  /** An OID (dotted, with or without the leading dot, or arcs) as a name: `formatOid`. */
  nameOf(oid: string | readonly number[], format: OidFormat = 'module'): string {
    return formatOid(this, oid, format);
  }

  /** Any accepted input form (`SNMPv2-MIB::sysDescr.0`, `sysDescr.0`, `.1.3.6...`) as OID arcs: `parseOid`. */
  oidOf(input: string, options?: ParseOidOptions): number[] {
    return parseOid(this, input, options);
  }

  /**
   * A value's display text as `snmpget -Oqv` prints it: enumeration labels (`up`), DISPLAY-HINTs (`0:16:3e:a:1:c2`),
   * units (`100 milliseconds`), strings without a type prefix. With `nameOf` and `oidOf` this makes a `Mib` the name
   * source `@snmpkit/session`'s NamedSession takes (its `OidNames` interface, met structurally).
   */
  displayOf(oid: string, value: SnmpValue): string {
    return formatValue(this, oid, value, { quick: true });
  }

  /** A table instance's column node and decoded index parts (`decodeIndex`), undefined for a non-numeric OID. */
  indexOf(oid: string | readonly number[]): ReturnType<typeof decodeIndex> {
    return decodeIndex(this, oid);
  }

  /** `snmptranslate -Td` for any input form; its first line is the name in `format` (the -O flag). */
  describe(input: string, options?: ParseOidOptions & { format?: OidFormat }): string {
    const arcs = parseOid(this, input, options);
    return describeNode(this, arcs, formatOid(this, arcs, options?.format ?? 'module'));
  }

  /** `snmptranslate -Tp`, for the subtree an input names (the iso tree when omitted). */
  tree(input?: string, options?: ParseOidOptions): string {
    if (input === undefined) return printTree(this);
    const found = this.nodeForArcs(parseOid(this, input, options));
    return found ? printTree(this, found.node) : '';
  }

  /** @internal for the translators: the mutable tree node. */
  treeNode(node: MibNode): TreeNode {
    return node as TreeNode;
  }
}
