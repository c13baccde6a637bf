/**
 * The base types a MIB object can have after its textual conventions are resolved. The names follow
 * Net-SNMP's TYPE_* constants because its output (`-Tp`, `-Td`, value display) is keyed on them.
 */
export type BaseType =
  | 'OTHER'
  | 'OBJECT IDENTIFIER'
  | 'OCTET STRING'
  | 'INTEGER'
  | 'NetworkAddress'
  | 'IpAddress'
  | 'Counter32'
  | 'Gauge32'
  | 'TimeTicks'
  | 'Opaque'
  | 'NULL'
  | 'Counter64'
  | 'BITS'
  | 'NsapAddress'
  | 'UInteger32'
  | 'Unsigned32'
  | 'Integer32';

/** Which macro (or plain assignment) defined a node. */
export type NodeKind =
  | 'oid' // OBJECT IDENTIFIER assignment, or an intermediate node named inside an OID value
  | 'object-type'
  | 'object-identity'
  | 'module-identity'
  | 'notification-type'
  | 'trap-type'
  | 'trap-enterprise' // the hidden "enterprise#" node under which SMIv1 traps hang (Net-SNMP's convention)
  | 'object-group'
  | 'notification-group'
  | 'module-compliance'
  | 'agent-capabilities';

export type Access =
  | 'read-only'
  | 'read-write'
  | 'write-only'
  | 'not-accessible'
  | 'accessible-for-notify'
  | 'read-create';

export type Status = 'mandatory' | 'optional' | 'obsolete' | 'deprecated' | 'current';

export interface Range {
  low: bigint;
  high: bigint;
}

export interface EnumItem {
  label: string;
  value: number;
}

export interface IndexItem {
  name: string;
  implied: boolean;
}

/** A textual convention (or plain type assignment) as registered by its module. */
export interface TextualConvention {
  name: string;
  module: string;
  type: BaseType;
  hint?: string;
  enums?: EnumItem[];
  ranges?: Range[];
  description?: string;
  status?: Status;
}

/** The clauses of an OBJECT-TYPE (and NOTIFICATION-TYPE / TRAP-TYPE) kept with a node. */
export interface ObjectClauses {
  units?: string;
  access?: Access;
  status?: Status;
  description?: string;
  reference?: string;
  defval?: string;
  indexes?: IndexItem[];
  augments?: string;
  /** OBJECTS of a NOTIFICATION-TYPE or VARIABLES of a TRAP-TYPE. */
  objects?: string[];
}

/** What a definition says about a node, apart from where the node sits. */
export interface NodeDetails extends ObjectClauses {
  kind: NodeKind;
  type: BaseType;
  /** The textual convention the syntax refers to, when it resolved to one. */
  tc?: TextualConvention;
  enums?: EnumItem[];
  ranges?: Range[];
  hint?: string;
  file?: string;
  line?: number;
}

/** One node of the OID tree. Several modules can define the same node; the first to load owns its details. */
export interface MibNode extends Readonly<NodeDetails> {
  readonly label: string;
  readonly subid: number;
  readonly parent: MibNode | undefined;
  /** Children sorted by sub-identifier; same sub-identifier in load order. */
  readonly children: MibNode[];
  /** The module whose definition was loaded first: it names the node in `MODULE::label` output. */
  readonly module: string;
  /** Every module that defines the node, in load order. */
  readonly modules: string[];
}

/** A problem found while reading a module: where, and what. */
export interface MibDiagnostic {
  module?: string;
  file: string;
  line: number;
  message: string;
}
