/**
 * Names in and out of a session, without the session knowing about MIB modules: `NamedSession` wraps a `Session`
 * and an `OidNames`, an interface any name source can satisfy. `@snmpkit/mib`'s `Mib` satisfies it as it is
 * (structural typing: this package does not import the MIB package, and the MIB package does not import this one),
 * so `new NamedSession(session, new Mib())` gives requests by name and varbinds with their names and display text.
 */
import type { SnmpValue, VarBind } from '@snmpkit/ber';
import { GeneralError } from './errors.js';
import type { GetBulkOptions, RequestOptions, Session, WalkOptions } from './session.js';

/** One decoded part of a table row's index (the shape of `@snmpkit/mib`'s `IndexValue`). */
export interface IndexPart {
  /** The INDEX object's name (`ipAddressAddr`). */
  readonly name: string;
  /** Numbers for integer indexes, bytes for strings and addresses, dotted text for IpAddress and OIDs. */
  readonly value: number | Uint8Array | string;
  readonly implied: boolean;
  /** The part as Net-SNMP writes it in a name: `ipv4`, `"127.0.0.1"`, `'eth0'`, `7`. */
  readonly text: string;
  /** An enumeration's label (`ipv4`). */
  readonly label?: string;
  /** An InetAddress part as an address: `127.0.0.1`, `fe80::1%2`. */
  readonly address?: string;
}

/** A table instance OID taken apart: the column's node and the index parts after it. */
export interface NamedIndex {
  readonly node: { readonly label: string; readonly module: string };
  readonly indexes: readonly IndexPart[];
  /** Arcs the INDEX clause could not account for. */
  readonly rest: readonly number[];
}

/**
 * What a session needs from a name source. `@snmpkit/mib`'s `Mib` has these methods; any other object with them
 * works too (a fixed table of names, a remote MIB service...).
 */
export interface OidNames {
  /**
   * Any OID text (`IF-MIB::ifDescr.3`, `ifDescr.3`, `sysUpTime.0`, `ipAddressIfIndex.ipv4."127.0.0.1"`,
   * `.1.3.6.1...`) as OID arcs. Throws for a name it cannot resolve; the error's message is shown as it is.
   */
  oidOf(text: string): readonly number[];
  /** An OID's name: `IF-MIB::ifDescr.3`. */
  nameOf(oid: string): string;
  /** A value's text as the name source shows it (enumeration labels, DISPLAY-HINTs, units). */
  displayOf(oid: string, value: SnmpValue): string;
  /** A table instance's column and decoded index parts, undefined when the OID is under no known table. */
  indexOf(oid: string): NamedIndex | undefined;
}

/** A varbind with its name and display text beside the numeric OID and the typed value (both unchanged). */
export interface NamedVarBind extends VarBind {
  readonly name: string;
  readonly display: string;
}

/** One row of `NamedSession.table()`. */
export interface NamedRow {
  /** The index as OID arcs after the column, dotted (the key of `Session.table()`'s rows). */
  readonly index: string;
  /** The index decoded by the table's INDEX clause (empty when the name source does not know the table). */
  readonly indexes: readonly IndexPart[];
  /** The row's values by column name (`ifDescr`); a column the name source does not know is keyed by number. */
  readonly columns: Readonly<Record<string, NamedVarBind>>;
}

/** An OID name that does not resolve: raised before anything is sent. `message` is the name source's. */
export class UnknownNameError extends GeneralError {
  override readonly code = 'ERR_SNMP_UNKNOWN_NAME';
  /** The text given. */
  readonly input: string;
  constructor(input: string, cause: unknown) {
    super('SNMPERR_UNKNOWN_OBJID', { detail: input, cause });
    this.name = 'UnknownNameError';
    this.input = input;
    // The name source's own words (`foo.0: Unknown Object Identifier (Sub-id not found: (top) -> foo)` from a Mib).
    if (cause instanceof Error && cause.message !== '') this.message = cause.message;
  }
}

const NUMERIC = /^\.?\d+(\.\d+)*$/;

/**
 * A session that takes names wherever it takes OIDs and gives varbinds their names and display texts. The wrapped
 * session stays usable as it is (`session`); closing either closes both.
 */
export class NamedSession {
  constructor(
    readonly session: Session,
    readonly names: OidNames,
  ) {}

  /** An OID argument as dotted decimal: numbers go through as they are, names through the name source. */
  resolve(text: string): string {
    if (typeof text === 'string' && NUMERIC.test(text)) return text.startsWith('.') ? text.slice(1) : text;
    try {
      return this.names.oidOf(text).join('.');
    } catch (error) {
      throw new UnknownNameError(String(text), error);
    }
  }

  /** A varbind with its name and display text. */
  describe(vb: VarBind): NamedVarBind {
    return { ...vb, name: this.names.nameOf(vb.oid), display: this.names.displayOf(vb.oid, vb.value) };
  }

  private resolveAll(oids: readonly string[]): string[] {
    if (!Array.isArray(oids)) return oids as string[]; // the session words the error
    return oids.map((oid) => this.resolve(oid));
  }

  private async run(request: () => Promise<VarBind[]>): Promise<NamedVarBind[]> {
    return (await request()).map((vb) => this.describe(vb));
  }

  get(oids: readonly string[], options?: RequestOptions): Promise<NamedVarBind[]> {
    return this.guard(() => this.run(() => this.session.get(this.resolveAll(oids), options)));
  }

  getNext(oids: readonly string[], options?: RequestOptions): Promise<NamedVarBind[]> {
    return this.guard(() => this.run(() => this.session.getNext(this.resolveAll(oids), options)));
  }

  getBulk(oids: readonly string[], options?: GetBulkOptions): Promise<NamedVarBind[]> {
    return this.guard(() => this.run(() => this.session.getBulk(this.resolveAll(oids), options)));
  }

  /** SET by name: `{ oid: 'sysContact.0', value }`. */
  set(varbinds: readonly VarBind[], options?: RequestOptions): Promise<NamedVarBind[]> {
    return this.guard(() =>
      this.run(() =>
        this.session.set(
          Array.isArray(varbinds) ? varbinds.map((vb) => ({ ...vb, oid: this.resolve(vb.oid) })) : varbinds,
          options,
        ),
      ),
    );
  }

  /** Walks a subtree given by name or number (`'IF-MIB::ifTable'`, `'system'`). */
  async *walk(root = '1.3.6.1.2.1', options?: WalkOptions): AsyncGenerator<NamedVarBind, void, undefined> {
    for await (const vb of this.session.walk(this.resolve(root), options)) yield this.describe(vb);
  }

  /**
   * A table by name or number (`'IP-MIB::ipAddressTable'`): its rows in the agent's order, each with its index
   * decoded part by part (InetAddress indexes as addresses) and its values keyed by column name.
   */
  async table(table: string, options?: WalkOptions): Promise<NamedRow[]> {
    const tableOid = this.resolve(table);
    const rows = await this.session.table(tableOid, options);
    const out: NamedRow[] = [];
    for (const [index, cells] of rows) {
      const columns: Record<string, NamedVarBind> = {};
      let indexes: readonly IndexPart[] | undefined;
      for (const [column, value] of cells) {
        const oid = `${tableOid}.1.${column}.${index}`;
        const decoded = this.names.indexOf(oid);
        const known = decoded !== undefined && decoded.rest.length === 0;
        if (known && indexes === undefined) indexes = decoded.indexes;
        columns[known ? decoded.node.label : String(column)] = this.describe({ oid, value });
      }
      out.push({ index, indexes: indexes ?? [], columns });
    }
    return out;
  }

  close(): Promise<void> {
    return this.session.close();
  }

  private guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return run();
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
