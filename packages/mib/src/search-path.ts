import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { moduleNameOf } from './parser.js';

/**
 * The directories searched when nothing else is said: Net-SNMP's defaults plus the places Debian's
 * snmp-mibs-downloader and other distributions put IETF/IANA modules.
 */
export function defaultMibDirs(home = homedir()): string[] {
  return [
    join(home, '.snmp', 'mibs'),
    '/usr/share/snmp/mibs',
    '/usr/share/snmp/mibs/iana',
    '/usr/share/snmp/mibs/ietf',
    '/usr/share/mibs',
    '/usr/share/mibs/iana',
    '/usr/share/mibs/ietf',
  ];
}

/**
 * Resolves a directory list the way Net-SNMP does for `-M` and MIBDIRS: a list that starts with `+`
 * is put in front of the base list, any other list replaces it. Entries are separated by `:`.
 */
export function resolveMibDirs(spec: string | undefined, base: string[]): string[] {
  if (spec === undefined || spec === '') return base;
  if (spec.startsWith('+')) return [...splitList(spec.slice(1)), ...base];
  return splitList(spec);
}

/**
 * Resolves a module list the way Net-SNMP does for `-m` and MIBS: `ALL` means every module on the
 * path, a list that starts with `+` is added to the base list, any other list replaces it.
 */
export function resolveMibModules(spec: string | undefined, base: string[]): string[] | 'ALL' {
  if (spec === undefined) return base;
  const add = spec.startsWith('+');
  const list = splitList(add ? spec.slice(1) : spec);
  if (list.includes('ALL')) return 'ALL';
  return add ? [...base, ...list] : list;
}

function splitList(spec: string): string[] {
  return spec
    .split(/[:;]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The start of a file: enough to find "NAME DEFINITIONS" after a comment header, read in chunks. */
function readModuleName(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const chunk = Buffer.allocUnsafe(8192);
    let text = '';
    for (let offset = 0; offset < 1 << 20; ) {
      const n = readSync(fd, chunk, 0, chunk.length, offset);
      if (n <= 0) break;
      offset += n;
      text += chunk.toString('latin1', 0, n);
      const name = moduleNameOf(text);
      if (name) return name;
      // Past the comment header with enough text to see a name: this is not a module.
      if (text.replace(/^\s*(?:--[^\n]*\n\s*)*/, '').length > 256) return undefined;
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

export interface ModuleLocation {
  name: string;
  file: string;
}

/**
 * Lists the modules in the directories, in the order Net-SNMP keeps them: files are read in name
 * order, directory after directory; a module found again in a later directory keeps its place in
 * the list but takes the later file (Net-SNMP "uses the new one in preference").
 */
export function indexDirectories(dirs: readonly string[]): ModuleLocation[] {
  const byName = new Map<string, ModuleLocation>();
  for (const file of candidateFiles(dirs)) {
    const name = readModuleName(file);
    if (!name) continue;
    const known = byName.get(name);
    if (known) known.file = file;
    else byName.set(name, { name, file });
  }
  return [...byName.values()];
}

/** The files Net-SNMP looks into for a module name: in name order, directory after directory. */
function candidateFiles(dirs: readonly string[]): string[] {
  const files: string[] = [];
  for (const dir of dirs) {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    entries.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const entry of entries) {
      // Net-SNMP skips dot files and editor backups (#name#, name~).
      if (entry.startsWith('.') || entry.startsWith('#') || entry.endsWith('#') || entry.endsWith('~')) continue;
      const file = join(dir, entry);
      try {
        if (statSync(file).isFile()) files.push(file);
      } catch {}
    }
  }
  return files;
}

/**
 * The line number Net-SNMP gives a module missing from the path ("Cannot find module (X): At line N in (none)"):
 * its reader's line counter as the directory scan left it. The scan reads each file up to its second token (the
 * DEFINITIONS of "NAME DEFINITIONS"), so N is the line that token (or the end of a shorter file) starts on in
 * the last file looked into; 0 when there was no file at all.
 */
export function scanEndLine(dirs: readonly string[]): number {
  const last = candidateFiles(dirs).at(-1);
  if (last === undefined) return 0;
  let text: string;
  try {
    text = readFileSync(last, 'latin1').slice(0, 1 << 16);
  } catch {
    return 0;
  }
  let line = 1;
  let i = 0;
  const skipSpaceAndComments = (): void => {
    while (i < text.length) {
      if (text.startsWith('--', i)) {
        // An ASN.1 comment ends at the line's end or at the next "--".
        const end = text.indexOf('--', i + 2);
        const eol = text.indexOf('\n', i + 2);
        if (end >= 0 && (eol < 0 || end < eol)) i = end + 2;
        else i = eol < 0 ? text.length : eol;
      } else if (/\s/.test(text[i]!)) {
        if (text[i] === '\n') line++;
        i++;
      } else {
        return;
      }
    }
  };
  skipSpaceAndComments();
  // The first token: a name, or else one character of punctuation (after which the next token starts at once).
  if (/[\w-]/.test(text[i] ?? '')) {
    while (i < text.length && /[\w-]/.test(text[i]!) && !text.startsWith('--', i)) i++;
  } else {
    i++;
  }
  skipSpaceAndComments();
  return line;
}

/** One directive of Net-SNMP's client configuration files, as read: the token, its value, and where it stood. */
export interface SnmpConfLine {
  /** The file, spelled as Net-SNMP names it in its messages (`DIR/snmp.conf`). */
  file: string;
  /** 1-based. */
  line: number;
  /** The token as written (`defVersion`); Net-SNMP matches tokens without regard to case. */
  token: string;
  /** The rest of the line, without the spaces around it; may be empty. */
  value: string;
}

/** Debian's multiarch directory names: Net-SNMP's library directory (/usr/lib/x86_64-linux-gnu/snmp) is one. */
const MULTIARCH: Readonly<Record<string, string>> = {
  x64: 'x86_64-linux-gnu',
  arm64: 'aarch64-linux-gnu',
  ia32: 'i386-linux-gnu',
  arm: 'arm-linux-gnueabihf',
};

/**
 * The files Net-SNMP's tools read their client settings from, in order: snmp.conf then snmp.local.conf in each
 * directory of SNMPCONFPATH; without it /etc/snmp, /usr/share/snmp, the library's directory and ~/.snmp, then the
 * persistent directory (SNMP_PERSISTENT_DIR, else Debian's /var/lib/snmp), which SNMPCONFPATH leaves out.
 */
export function snmpConfFiles(env: Record<string, string | undefined> = process.env): string[] {
  let dirs: string[];
  if (env.SNMPCONFPATH !== undefined) {
    dirs = env.SNMPCONFPATH.split(':').filter(Boolean);
  } else {
    const home = env.HOME ?? homedir();
    const arch = process.platform === 'linux' ? MULTIARCH[process.arch] : undefined;
    const libDir = arch === undefined ? '/usr/lib/snmp' : `/usr/lib/${arch}/snmp`;
    dirs = ['/etc/snmp', '/usr/share/snmp', libDir, join(home, '.snmp'), env.SNMP_PERSISTENT_DIR ?? '/var/lib/snmp'];
  }
  // Joined with a plain '/' (not path.join): a message names the file as Net-SNMP does, even for "dir/".
  return dirs.flatMap((dir) => [`${dir}/snmp.conf`, `${dir}/snmp.local.conf`]);
}

/**
 * Every directive of the client configuration files (see `snmpConfFiles()`), file after file, line after line:
 * comments (`#` first on the line) and empty lines left out. One pass that both the MIB settings and a client's
 * session defaults are taken from.
 */
export function readSnmpConfLines(env: Record<string, string | undefined> = process.env): SnmpConfLine[] {
  const lines: SnmpConfLine[] = [];
  for (const file of snmpConfFiles(env)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    text.split('\n').forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const match = /^(\S+)\s*(.*)$/.exec(line)!;
      lines.push({ file, line: index + 1, token: match[1]!, value: match[2]! });
    });
  }
  return lines;
}

/** The MIB directives of Net-SNMP's snmp.conf files. */
export interface SnmpConfMibSettings {
  /** The `mibs` list as written (`:`-separated, may start with `+`), after all files are read. */
  mibs?: string;
  /** The `mibdirs` list as written. */
  mibdirs?: string;
  /** `mibfile` paths, in order. */
  mibfiles: string[];
}

/**
 * The `mibs`, `mibdirs` and `mibfile` directives of the lines `readSnmpConfLines()` read: a later one overrides an
 * earlier one, and a value that starts with `+` extends the one before it. Debian's /etc/snmp/snmp.conf says
 * `mibs :` (load none), which is why its snmpget prints numeric names.
 */
export function mibSettingsOf(lines: readonly SnmpConfLine[]): SnmpConfMibSettings {
  const settings: SnmpConfMibSettings = { mibfiles: [] };
  const extend = (before: string | undefined, value: string) =>
    value.startsWith('+') && before !== undefined ? `${before}:${value.slice(1)}` : value;
  for (const { token, value } of lines) {
    // A token without a value is an error to Net-SNMP, which then ignores the line.
    if (value === '') continue;
    const name = token.toLowerCase();
    if (name === 'mibs') settings.mibs = extend(settings.mibs, value);
    else if (name === 'mibdirs') settings.mibdirs = extend(settings.mibdirs, value);
    else if (name === 'mibfile') settings.mibfiles.push(value);
  }
  return settings;
}

/** The MIB settings of Net-SNMP's client configuration files (`mibSettingsOf(readSnmpConfLines(env))`). */
export function readSnmpConf(env: Record<string, string | undefined> = process.env): SnmpConfMibSettings {
  return mibSettingsOf(readSnmpConfLines(env));
}
