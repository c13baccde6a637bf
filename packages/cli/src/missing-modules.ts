/**
 * Net-SNMP's report of a MIB module it cannot find: every command that loads modules prints it on stderr before its
 * output, so that a mistyped `-m IF-MIBB` does not go unnoticed (snmpkit would otherwise print numeric OIDs without
 * saying why).
 */
import type { Mib } from '@snmpkit/mib';
import type { Io } from './io.js';
import type { Presenter } from './presenter.js';

/** An argument that names its module: `IF-MIB::ifIndex.1`. */
export const MODULE_PREFIX = /^([^.:]+)::/;

/**
 * One asked for with -m (or MIBS, or snmp.conf's mibs) or the MODULE of a MODULE::name argument: the search path
 * (the first time), then "Cannot find module (X): At line N in (none)", before the output it concerns. A module is
 * reported again each time it is looked for, except right after the same module was looked for last. A module that
 * snmpkit has built in is not missing, even where its file is.
 */
export class MissingModules {
  private last: string | undefined;
  private line: number | undefined;

  constructor(
    private readonly mib: Mib | undefined,
    private readonly io: Io,
  ) {}

  /**
   * Loads the modules the presenter was asked for, as Net-SNMP does before anything else, and reports those not
   * found. `mibs`: the -m list (the last module named counts as the last looked for).
   */
  static async atStart(presenter: Presenter, mibs: string | undefined, io: Io): Promise<MissingModules> {
    const missing = new MissingModules(presenter.mib, io);
    presenter.mib?.load();
    await missing.afterLoad(mibs);
    return missing;
  }

  /** After the -m modules loaded: those that were not found, in order. */
  async afterLoad(mibs: string | undefined): Promise<void> {
    const mib = this.mib;
    if (!mib) return;
    for (const d of mib.diagnostics) {
      const name = /^Cannot find module \((.*)\)$/.exec(d.message)?.[1];
      if (name !== undefined && d.file === '(none)') await this.report(name);
    }
    this.last = mibs
      ?.split(/[:;]/)
      .filter((m) => m.trim() !== '')
      .at(-1);
  }

  /** After an OID argument was looked up: its module, if it names one that is not loaded. */
  async afterLookup(text: string): Promise<void> {
    const module = MODULE_PREFIX.exec(text)?.[1];
    if (!this.mib || module === undefined) return;
    if (module !== this.last && !this.mib.isLoaded(module)) await this.report(module);
    this.last = module;
  }

  private async report(module: string): Promise<void> {
    const mib = this.mib as Mib;
    if (this.line === undefined) {
      const { scanEndLine } = await import('@snmpkit/mib');
      this.line = scanEndLine(mib.dirs);
      this.io.err(`MIB search path: ${mib.dirs.join(':')}\n`);
    }
    this.last = module;
    this.io.err(`Cannot find module (${module}): At line ${this.line} in (none)\n`);
  }
}
