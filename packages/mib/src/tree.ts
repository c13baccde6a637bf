import type { MibNode, NodeDetails } from './types.js';

/** Net-SNMP's label for sub-identifiers named only by number inside an OID value (`{ foo 0 4 }`). */
export const ANONYMOUS_PREFIX = 'anonymous#';

/** The details a definition gives a node, apart from where it sits. */
export type NodeData = NodeDetails;

/** The mutable node behind the read-only `MibNode` view; this interface declares the detail fields setData() fills. */
export interface TreeNode extends NodeDetails {}

// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above.
export class TreeNode implements MibNode {
  label: string;
  readonly subid: number;
  /** Changes only when a later twin takes over its place (adoptChildrenOf). */
  parent: TreeNode | undefined;
  readonly children: TreeNode[] = [];
  /** First child for each sub-identifier: the one OID-to-name lookups use. */
  private byArc: Map<number, TreeNode> | undefined;
  module: string;
  modules: string[];
  // The definition's details (NodeDetails) arrive through setData(); the interface below declares them.
  /** Creation order, used where Net-SNMP's "most recently created node" wins a label lookup. */
  readonly serial: number;

  constructor(label: string, subid: number, parent: TreeNode | undefined, module: string, serial: number) {
    this.label = label;
    this.subid = subid;
    this.parent = parent;
    this.module = module;
    this.modules = module ? [module] : [];
    this.serial = serial;
    this.kind = 'oid';
    this.type = 'OTHER';
  }

  setData(data: NodeData): void {
    Object.assign(this, data);
  }

  child(subid: number): TreeNode | undefined {
    if (this.byArc) return this.byArc.get(subid);
    for (const c of this.children) if (c.subid === subid) return c;
    return undefined;
  }

  childByLabel(label: string): TreeNode | undefined {
    for (const c of this.children) if (c.label === label) return c;
    return undefined;
  }

  /**
   * Inserts after every child with a sub-identifier not greater than the new one's, except that a module's second
   * name for an OID goes before the names that module gave it already: Net-SNMP lists and names them so (ISDN-MIB
   * gives `{ isdnMib 2 }` two names, and isdnMibConformance, the later, names the node and holds both's children).
   * Names from modules loaded later still come after.
   */
  addChild(node: TreeNode): void {
    const list = this.children;
    let at = list.length;
    while (at > 0 && list[at - 1]!.subid > node.subid) at--;
    while (at > 0 && list[at - 1]!.subid === node.subid && list[at - 1]!.module === node.module) at--;
    list.splice(at, 0, node);
    const first = at === 0 || list[at - 1]!.subid !== node.subid;
    if (this.byArc) {
      if (first) this.byArc.set(node.subid, node);
    } else if (list.length > 8) {
      // Wide nodes (enterprises, big tables) get a map; small ones are faster scanned.
      this.byArc = new Map();
      for (const c of list) if (!this.byArc.has(c.subid)) this.byArc.set(c.subid, c);
    }
  }

  /** Moves every child of `twin` (another name for this node's OID) under this node. */
  adoptChildrenOf(twin: TreeNode): void {
    const moved = twin.children.splice(0);
    twin.byArc = undefined;
    for (const child of moved) {
      child.parent = this;
      this.addChild(child);
    }
  }

  get isAnonymous(): boolean {
    return this.label.startsWith(ANONYMOUS_PREFIX);
  }

  /** Numeric OID arcs from the root to this node. */
  arcs(): number[] {
    const out: number[] = [];
    for (let n: TreeNode | undefined = this; n; n = n.parent) out.push(n.subid);
    return out.reverse();
  }
}
