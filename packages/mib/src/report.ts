/**
 * snmptranslate's reports: `-Td` (a node's details) and `-Tp` (an ASCII tree), in its layout.
 */
import type { Mib } from './mib.js';
import type { TreeNode } from './tree.js';
import type { BaseType, MibNode, NodeKind, Range } from './types.js';

/** Net-SNMP's numbering of types (-Tt prints the number): OTHER is 0, then 1 to 16 in this order. */
const TYPE_NUMBERS: readonly BaseType[] = [
  'OTHER',
  'OBJECT IDENTIFIER',
  'OCTET STRING',
  'INTEGER',
  'NetworkAddress',
  'IpAddress',
  'Counter32',
  'Gauge32',
  'TimeTicks',
  'Opaque',
  'NULL',
  'Counter64',
  'BITS',
  'NsapAddress',
  'UInteger32',
  'Unsigned32',
  'Integer32',
];

/** The types that are a syntax rather than OTHER: -Tp and -Td choose their layout by them. */
const SIMPLE_TYPES = new Set<BaseType>(TYPE_NUMBERS.slice(1));

/** The numbers Net-SNMP gives nodes typed by their macro (after the syntax types, from 20 on). */
const MACRO_TYPE_NUMBERS: Partial<Record<NodeKind, number>> = {
  'trap-enterprise': 20,
  'notification-type': 21,
  'object-group': 22,
  'notification-group': 23,
  'module-identity': 24,
  'agent-capabilities': 25,
  'module-compliance': 26,
  'object-identity': 27,
};

/** Nodes Net-SNMP types by their macro (TYPE_NOTIFTYPE and friends) rather than by a syntax. */
function isMacroTyped(node: MibNode): boolean {
  switch (node.kind) {
    case 'notification-type':
    case 'trap-enterprise':
    case 'object-group':
    case 'notification-group':
    case 'module-identity':
    case 'object-identity':
    case 'agent-capabilities':
    case 'module-compliance':
      return true;
    default:
      return false;
  }
}

function isUntyped(node: MibNode): boolean {
  return node.type === 'OTHER' && !isMacroTyped(node);
}

function macroName(node: MibNode): string {
  if (!isMacroTyped(node)) return 'OBJECT-TYPE';
  switch (node.kind) {
    case 'trap-enterprise':
      return 'TRAP-TYPE';
    case 'notification-type':
      return 'NOTIFICATION-TYPE';
    case 'object-group':
      return 'OBJECT-GROUP';
    case 'agent-capabilities':
      return 'AGENT-CAPABILITIES';
    case 'module-identity':
      return 'MODULE-IDENTITY';
    case 'module-compliance':
      return 'MODULE-COMPLIANCE';
    case 'object-identity':
      return 'OBJECT-IDENTITY';
    default:
      // NOTIFICATION-GROUP has no name in snmptranslate's table: it prints the type number.
      return 'type_23';
  }
}

const RANGE_TYPES = new Set<BaseType>([
  'INTEGER',
  'Integer32',
  'Unsigned32',
  'UInteger32',
  'Gauge32',
  'Counter32',
  'OCTET STRING',
]);

function rangeText(ranges: readonly Range[]): string {
  return ranges.map((r) => (r.low === r.high ? `${r.low}` : `${r.low}..${r.high}`)).join(' | ');
}

/** Like `snmptranslate -Td OID`: the first line is the name, then the node's definition. */
export function describeNode(mib: Mib, arcs: readonly number[], name: string): string {
  const found = mib.nodeForArcs(arcs);
  // Under an unknown root snmptranslate has no node to describe, and says so its way.
  if (!found) return `${name}\n [TRUNCATED]\n`;
  const node = found.node;
  const lines: string[] = [name, `${node.label} ${macroName(node)}`];
  const modules: string[] = [];
  for (const m of node.modules) if (modules[modules.length - 1] !== m) modules.push(m);
  lines.push(`  -- FROM\t${modules.length > 0 ? modules.join(', ') : '#-1'}`);
  if (node.tc) lines.push(`  -- TEXTUAL CONVENTION ${node.tc.name}`);
  // snmptranslate 5.9 prints range text for numeric and string types only. For others its buffer
  // still holds the last module name of the FROM line, which is what appears; and with no SYNTAX
  // keyword (unresolved type) that text starts the next line. Reproduced for identical output.
  const simple = SIMPLE_TYPES.has(node.type) && !isMacroTyped(node);
  let syntax = simple ? `  SYNTAX\t${node.type}` : '';
  if (node.ranges) {
    syntax += ` (${RANGE_TYPES.has(node.type) ? rangeText(node.ranges) : modules[modules.length - 1]}) `;
  }
  if (node.enums) syntax += ` {${node.enums.map((e) => `${e.label}(${e.value})`).join(', ')}} `;
  let carry = '';
  if (simple) lines.push(syntax);
  else carry = syntax;
  const push = (line: string) => {
    lines.push(carry + line);
    carry = '';
  };
  if (node.hint !== undefined) push(`  DISPLAY-HINT\t"${node.hint}"`);
  if (node.units !== undefined) push(`  UNITS\t\t"${node.units}"`);
  if (node.access) push(`  MAX-ACCESS\t${node.access}`);
  // Net-SNMP keeps STATUS for OBJECT-TYPE only.
  if (node.status && node.kind === 'object-type') push(`  STATUS\t${node.status}`);
  if (node.augments) push(`  AUGMENTS\t{ ${node.augments} }`);
  if (node.indexes) {
    push(`  INDEX\t\t{ ${node.indexes.map((i) => (i.implied ? `IMPLIED ${i.name}` : i.name)).join(', ')} }`);
  }
  if (node.objects) push(`  OBJECTS\t{ ${node.objects.join(', ')} }`);
  // Net-SNMP keeps at most 4095 characters of a description (its MAXQUOTESTR buffer).
  if (node.description !== undefined) push(`  DESCRIPTION\t"${node.description.slice(0, 4095)}"`);
  if (node.defval !== undefined) push(`  DEFVAL\t{ ${node.defval} }`);
  const path: string[] = [];
  let n: TreeNode | undefined = mib.treeNode(node);
  const known: TreeNode[] = [];
  for (; n; n = n.parent) known.unshift(n);
  for (let i = 0; i < arcs.length - 1; i++) {
    const k = known[i];
    if (k && i < found.depth) path.push(k.isAnonymous ? `${k.subid}` : `${k.label}(${k.subid})`);
    else path.push(String(arcs[i]));
  }
  path.push(`${arcs[arcs.length - 1]} }`);
  push(`::= { ${path.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

const ACCESS_CODES: Record<string, string> = {
  'not-accessible': '----',
  'read-only': '-R--',
  'write-only': '--W-',
  'read-write': '-RW-',
  'accessible-for-notify': '---N',
  'read-create': 'CR--',
};

const TREE_TYPES: Partial<Record<BaseType, string>> = {
  'OBJECT IDENTIFIER': 'ObjID    ',
  'OCTET STRING': 'String   ',
  NetworkAddress: 'NetAddr  ',
  IpAddress: 'IpAddr   ',
  Counter32: 'Counter  ',
  Gauge32: 'Gauge    ',
  TimeTicks: 'TimeTicks',
  Opaque: 'Opaque   ',
  NULL: 'Null     ',
  Counter64: 'Counter64',
  BITS: 'BitString',
  NsapAddress: 'NsapAddr ',
  Unsigned32: 'Unsigned ',
  UInteger32: 'UInteger ',
  Integer32: 'Integer32',
};

/** Like `snmptranslate -Tp [OID]`: the subtree under a node (the iso subtree when omitted). */
export function printTree(mib: Mib, from?: MibNode): string {
  const out: string[] = [];
  let indent = ' ';
  let wasSimple = true;
  const visit = (tp: TreeNode): void => {
    const head = indent.slice(0, -1);
    const last = indent[indent.length - 1]!;
    const simple = SIMPLE_TYPES.has(tp.type) && !isMacroTyped(tp);
    if (!simple) {
      out.push(`${head}+--${tp.label}(${tp.subid})`);
      if (tp.indexes) out.push(`${head}${last}  |  Index: ${tp.indexes.map((i) => i.name).join(', ')}`);
    } else {
      const acc = tp.access ? (ACCESS_CODES[tp.access] ?? '    ') : '    ';
      const typ = tp.type === 'INTEGER' ? (tp.enums ? 'EnumVal  ' : 'INTEGER  ') : (TREE_TYPES[tp.type] ?? '         ');
      out.push(`${head}+-- ${acc} ${typ} ${tp.label}(${tp.subid})`);
      const pad = `${head}${last}        `;
      if (tp.tc) out.push(`${pad}Textual Convention: ${tp.tc.name}`);
      if (tp.enums) out.push(`${pad}Values: ${tp.enums.map((e) => `${e.label}(${e.value})`).join(', ')}`);
      if (tp.ranges) {
        const size = tp.type === 'OCTET STRING' || tp.type === 'Opaque';
        // As in -Td, Net-SNMP prints no range text for Opaque.
        out.push(`${pad}${size ? 'Size' : 'Range'}: ${RANGE_TYPES.has(tp.type) ? rangeText(tp.ranges) : ''}`);
      }
    }
    const saved = indent;
    indent += '  |';
    // Net-SNMP's "simple" here means "has a type at all": macro-typed nodes count, OTHER does not.
    wasSimple = !isUntyped(tp);
    const children = tp.children;
    children.forEach((child, i) => {
      if (!wasSimple || isUntyped(child)) out.push(indent);
      if (i === children.length - 1) indent = `${indent.slice(0, -1)} `;
      visit(child);
    });
    if (children.length > 0) wasSimple = false;
    indent = saved;
  };
  // Without a starting node snmptranslate prints the iso subtree only.
  const start = from ? mib.treeNode(from) : mib.top.child(1);
  if (start) visit(start);
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

/**
 * The per-node reports of snmptranslate: `-Tl` labeled (`.iso(1).org(3)`), `-To` numeric, `-Ts` symbolic,
 * `-Tz` child OIDs (`"org"\t\t\t"1.3"`) and `-Tt` typed (`  org(3) type=0`, indented by depth).
 */
export type NodeListStyle = 'labeled' | 'numeric' | 'symbolic' | 'child' | 'typed';

/** Several letters print one line each per node, always in this order whatever order they were given in. */
const REPORT_ORDER: readonly NodeListStyle[] = ['labeled', 'numeric', 'symbolic', 'child', 'typed'];

/** Net-SNMP's type number of a node: its macro's, or its syntax's. */
function typeNumber(node: MibNode): number {
  return (isMacroTyped(node) ? MACRO_TYPE_NUMBERS[node.kind] : undefined) ?? TYPE_NUMBERS.indexOf(node.type);
}

/**
 * Like `snmptranslate -To`, `-Ts`, `-Tl`, `-Tz`, `-Tt` (one style or several at once): lines for every node
 * under the roots, depth first; with several styles each node's lines follow one another. Net-SNMP keeps a
 * later-loaded second name for an OID ahead of the first in its child list, so twins list in reverse load
 * order here (its lookups still use the first-loaded name).
 */
export function reportNodes(mib: Mib, styles: readonly NodeListStyle[]): string[] {
  const wanted = REPORT_ORDER.filter((style) => styles.includes(style));
  // -Tt numbers a node's textual convention by its place in the list of every convention loaded.
  const tcNumbers = new Map(mib.textualConventions().map((tc, i) => [tc, i]));
  const out: string[] = [];
  interface Paths {
    numeric: string;
    symbolic: string;
    labeled: string;
  }
  const line = (node: TreeNode, paths: Paths, depth: number, style: NodeListStyle): string => {
    switch (style) {
      case 'labeled':
      case 'numeric':
      case 'symbolic':
        return paths[style];
      case 'child':
        return `"${node.label}"\t\t\t"${paths.numeric.slice(1)}"`;
      case 'typed': {
        let text = `${'  '.repeat(depth)}${node.label}(${node.subid}) type=${typeNumber(node)}`;
        const tc = node.tc ? tcNumbers.get(node.tc) : undefined;
        if (tc !== undefined) text += ` tc=${tc}`;
        if (node.hint !== undefined) text += ` hint=${node.hint}`;
        if (node.units !== undefined) text += ` units=${node.units}`;
        return text;
      }
    }
  };
  const visit = (node: TreeNode, paths: Paths, depth: number): void => {
    const children = node.children;
    for (let i = 0; i < children.length; ) {
      let j = i;
      while (j < children.length && children[j]!.subid === children[i]!.subid) j++;
      for (let k = j - 1; k >= i; k--) {
        const child = children[k]!;
        const childPaths = {
          numeric: `${paths.numeric}.${child.subid}`,
          symbolic: `${paths.symbolic}.${child.label}`,
          labeled: `${paths.labeled}.${child.label}(${child.subid})`,
        };
        for (const style of wanted) out.push(line(child, childPaths, depth, style));
        visit(child, childPaths, depth + 1);
      }
      i = j;
    }
  };
  // Net-SNMP's root list starts with iso, then ccitt and joint-iso-ccitt; roots themselves are not listed.
  for (const subid of [1, 0, 2]) {
    const root = mib.top.child(subid);
    if (!root) continue;
    visit(root, { numeric: `.${subid}`, symbolic: `.${root.label}`, labeled: `.${root.label}(${subid})` }, 1);
  }
  return out;
}

/** Like `snmptranslate -To`, `-Ts`, `-Tl`, `-Tz` or `-Tt` alone: see reportNodes. */
export function listNodes(mib: Mib, style: NodeListStyle): string[] {
  return reportNodes(mib, [style]);
}

/** Net-SNMP's MAX_BAD: "no match" in compute_match. */
const NO_MATCH = 0xffffff;

/**
 * `snmptranslate -TB PATTERN`: the nodes whose labels match a POSIX extended regular expression (case-insensitive),
 * in the order Net-SNMP's find_best_tree_node() reports them. It walks the tree depth first, each list of siblings
 * from the last defined to the first (Net-SNMP links a new node at the head of its parent's list), looking at each
 * node once; every round returns the best match seen (the one matching earliest in its label) and stops at a match
 * at position 0, so a node that matched later in its label and was passed over in a round is not reported at all:
 * Net-SNMP's quirk, kept for parity. Each reported label is then looked up again by name, as get_node() does.
 * An invalid expression matches nothing, as regcomp() failing does.
 */
export function matchingNodes(mib: Mib, pattern: string): MibNode[] {
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'i');
  } catch {
    return [];
  }
  if (pattern === '') return [];
  const reported = new Set<TreeNode>();
  const peers = (node: TreeNode): TreeNode[] => [...node.children].sort((a, b) => b.serial - a.serial);
  const compute = (label: string): number => {
    const m = re.exec(label);
    return m ? m.index : NO_MATCH;
  };
  const findBest = (list: TreeNode[]): { node: TreeNode | undefined; match: number } => {
    let best: TreeNode | undefined;
    let old = NO_MATCH;
    // Not reset per node, as in Net-SNMP: a node seen in an earlier round keeps the previous node's result.
    let current = NO_MATCH;
    for (const node of list) {
      if (!reported.has(node) && node.label) current = compute(node.label);
      reported.add(node);
      if (current < old) {
        best = node;
        old = current;
      }
      if (current === 0) break;
      if (node.children.length > 0) {
        const deeper = findBest(peers(node));
        current = deeper.match;
        if (current < old) {
          best = deeper.node;
          old = current;
        }
        if (current === 0) break;
      }
    }
    return { node: best, match: old };
  };
  const found: MibNode[] = [];
  const roots = peers(mib.top);
  const returned = new Set<TreeNode>();
  for (;;) {
    const { node } = findBest(roots);
    // Every node is looked at once, so each round returns a new one; the check only guards against a loop.
    if (!node || returned.has(node)) break;
    returned.add(node);
    found.push(mib.findNode(node.label) ?? node);
  }
  return found;
}
