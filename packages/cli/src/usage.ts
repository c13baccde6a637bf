/** Usage texts, laid out like Net-SNMP's so that its users find the options where they expect them. */

/** -O, shared by every command that prints OIDs or values. */
const OUTPUT_OPTIONS = `  -O OUTOPTS		Toggle various defaults controlling output display:
			  0:  print leading 0 for single-digit hex characters
			  a:  print all strings in ascii format
			  b:  do not break OID indexes down
			  e:  print enums numerically
			  E:  escape quotes in string indices
			  f:  print full OIDs on output
			  n:  print OIDs numerically
			  q:  quick print for easier parsing
			  Q:  quick print with equal-signs
			  s:  print only last symbolic element of OID
			  S:  print MIB module-id plus last element
			  t:  print timeticks unparsed as numeric integers
			  T:  print human-readable text along with hex strings
			  u:  print OIDs using UCD-style prefix suppression
			  U:  don't print units
			  v:  print values only (not OID = value)
			  x:  print all strings in hex format
			  X:  extended index format`;

/** The agent commands' options, in Net-SNMP's order; record leaves out those about printing (see commandUsage). */
const HELP = `OPTIONS:
  -h, --help		display this help message
  -v 1|2c|3		specifies SNMP version to use (default 3, as Net-SNMP)
  -V, --version		display package version number`;

const JSON_OPTION = `  --json		print one JSON object per varbind instead of Net-SNMP's text`;

const SESSION_OPTIONS = `SNMP Version 1 or 2c specific
  -c COMMUNITY		set the community string
SNMP Version 3 specific
  -a PROTOCOL		set authentication protocol (MD5|SHA|SHA-224|SHA-256|SHA-384|SHA-512)
  -A PASSPHRASE		set authentication protocol pass phrase
  -e ENGINE-ID		set security engine ID (e.g. 800000020109840301)
  -E ENGINE-ID		set context engine ID (e.g. 800000020109840301)
  -l LEVEL		set security level (noAuthNoPriv|authNoPriv|authPriv)
  -n CONTEXT		set context name (e.g. bridge1)
  -u USER-NAME		set security name (e.g. bert)
  -x PROTOCOL		set privacy protocol (DES|AES|AES-192|AES-256|AES-192-C|AES-256-C)
  -X PASSPHRASE		set privacy protocol pass phrase
  -3m|-3M KEY		set the authentication|privacy master key, hex (instead of -A|-X)
  -3k|-3K KEY		set the authentication|privacy key localized to the agent, hex
General communication options
  -r RETRIES		set the number of retries (default 5)
  -t TIMEOUT		set the request timeout (in seconds, default 1)`;

const PRINTING_OPTIONS = `Debugging
  -d			dump input/output packets in hexadecimal
General options
  -m MIB[:...]		load given list of MIBs (ALL loads everything)
  -M DIR[:...]		look in given list of directories for MIBs
${OUTPUT_OPTIONS}`;

const COMMON = [HELP, JSON_OPTION, SESSION_OPTIONS, PRINTING_OPTIONS].join('\n');

/** record prints .snmprec lines, whatever -O, -m or --json say, and has no packet dump: it refuses --json and -d. */
const RECORD_COMMON = [HELP, SESSION_OPTIONS].join('\n');

const APP_OPTIONS: Record<string, string> = {
  record: `  -C APPOPTS		Set various application specific behaviours:
			  r<NUM>:  set max-repetitions of the walk's GETBULK requests (default 25)`,
  get: `  -C APPOPTS		Set various application specific behaviours:
			  f:  do not fix errors and retry the request`,
  getnext: `  -C APPOPTS		Set various application specific behaviours:
			  f:  do not fix errors and retry the request`,
  bulkget: `  -C APPOPTS		Set various application specific behaviours:
			  n<NUM>:  set non-repeaters to <NUM>
			  r<NUM>:  set max-repeaters to <NUM>`,
  walk: `  -C APPOPTS		Set various application specific behaviours:
			  p:  print the number of variables found
			  i:  include given OID in the search range
			  I:  don't include the given OID, even if no results are returned
			  c:  do not check returned OIDs are increasing
			  t:  Display wall-clock time to complete the walk
			  T:  Display wall-clock time to complete each request
			  E {OID}:  End the walk at the specified OID`,
  bulkwalk: `  -C APPOPTS		Set various application specific behaviours:
			  c:       do not check returned OIDs are increasing
			  i:       include given OIDs in the search range
			  n<NUM>:  set non-repeaters to <NUM>
			  p:       print the number of variables found
			  r<NUM>:  set max-repeaters to <NUM>`,
  set: `  -C APPOPTS		Set various application specific behaviours:
			  q:  don't print results on success

  TYPE: one of i, u, t, a, o, s, x, d, b, n, U, I, F, D
	i: INTEGER, u: unsigned INTEGER, t: TIMETICKS, a: IPADDRESS
	o: OBJID, s: STRING, x: HEX STRING, d: DECIMAL STRING, b: BITS
	n: NULL, U: unsigned int64, I: signed int64, F: float, D: double`,
  trap: `  -C APPOPTS		Set various application specific behaviour:
			  i:  send an INFORM instead of a TRAP

  -v 1 TRAP-PARAMETERS:
	 enterprise-oid agent trap-type specific-type uptime [OID TYPE VALUE]...
  or
  -v 2 TRAP-PARAMETERS:
	 uptime trapoid [OID TYPE VALUE] ...`,
  table: `  -C APPOPTS		Set various application specific behaviours:
			  b:       brief field names
			  c<NUM>:  print table in columns of <NUM> chars width (the next word)
			  f<STR>:  print table delimitied with <STR> (the next word)
			  h:       print only the column headers
			  H:       print no column headers
			  i:       print index values
			  l:       left justify output
			  r<NUM>:  for GETBULK: set max-repeaters to <NUM> (the next word)
			  w<NUM>:  print table in parts of <NUM> chars width (the next word)`,
};

const SYNOPSIS: Record<string, string> = {
  get: 'AGENT OID [OID]...',
  getnext: 'AGENT OID [OID]...',
  bulkget: 'AGENT OID [OID]...',
  walk: 'AGENT [OID]',
  bulkwalk: 'AGENT [OID]...',
  set: 'AGENT OID TYPE VALUE [OID TYPE VALUE]...',
  table: 'AGENT TABLE-OID',
  record: 'AGENT [OID]',
  trap: 'AGENT TRAP-PARAMETERS',
  inform: 'AGENT TRAP-PARAMETERS',
};

export const COMMANDS_HELP = `USAGE: snmpkit COMMAND [OPTIONS] AGENT [ARGS]

Commands (Net-SNMP's options and output):
  get        GET the given OIDs                      (snmpget)
  getnext    GETNEXT the given OIDs                  (snmpgetnext)
  bulkget    GETBULK the given OIDs                  (snmpbulkget)
  walk       walk a subtree with GETNEXT             (snmpwalk)
  bulkwalk   walk a subtree with GETBULK             (snmpbulkwalk)
  set        SET values                              (snmpset)
  table      print a conceptual table                (snmptable)
  translate  translate between OID forms             (snmptranslate)
  decode     pretty-print an SNMP message: decode HEX|-
  simulate   serve .snmprec data as an agent: simulate --data PATH --listen udp:127.0.0.1:PORT
  lab        many simulated devices, each at its own address, from a lab file: lab FILE
  record     record a live agent as .snmprec: record [options] AGENT [OID] > device.snmprec
  trap       send a notification                     (snmptrap; -Ci: an inform)
  inform     send an inform and wait for its answer  (snmpinform)
  trapd      print the notifications received       (snmptrapd): trapd --listen udp:127.0.0.1:PORT
  poll       poll many agents at once: poll [OPTIONS] --targets FILE [OID]... [--walk OID]... [--table OID]...

Run "snmpkit COMMAND --help" for a command's options.`;

/**
 * Commands that are not Net-SNMP agent commands and take their own (long) options: their
 * whole usage text, rather than the agent commands' option list, most of which they do not read.
 */
const OWN_USAGE: Record<string, string> = {
  simulate: `USAGE: snmpkit simulate --data PATH [--listen EP]... [OPTIONS]

Serves .snmprec or snmpwalk data as an SNMP agent (v1, v2c, v3), until SIGINT or SIGTERM.
Prints "listening on EP" for each endpoint once it answers.

OPTIONS:
  -h, --help		display this help message
  --data PATH		a data file (.snmprec, .snmpwalk, .walk, .sapwalk, .dump, .MVC), or a directory searched as
			  snmpsim does: one device per data file, its community and v3 context the file's path
			  relative to PATH without extension (other files ignored); the mapping is printed
  --strict		refuse data with a record that cannot be served (default: warn, and answer it noSuchInstance
			  as snmpsim does)
  --recorded-uptime	serve sysUpTime.0 as recorded (default: it counts up from the recorded value)
  --allow-subprocess	let snmpsim's subprocess records run the programs they name (default: refused)
  --listen EP		endpoint to serve, repeatable: udp:HOST:PORT, udp6:[HOST]:PORT, tcp:HOST:PORT
			  (port 0 picks a free port; default udp:127.0.0.1:1161)
  --community NAME	read-only community, repeatable (one data file: default public, and private read-write)
  --rw-community NAME	read-write community, repeatable
  --user SPEC		read-only v3 user (snmpd's rouser), repeatable: NAME[:AUTHPROTO:AUTHPASS[:PRIVPROTO:PRIVPASS]]
			  (protocols as -a and -x take them: SHA-256, SHA-2, AES-256-C, ...; also 3DES)
  --rw-user SPEC		read-write v3 user (snmpd's rwuser), repeatable, the same form
  --engine-id HEX	the agent's snmpEngineID (default: the one kept in --state-dir, else a fresh random one)
  --state-dir DIR	keep the engine ID there, and count engine boots up by one at every start and restart
			  (as snmpd's persistent directory; without it every start is a new engine at boots 1)
  --max-getbulk-repeats N	cap a GETBULK's max-repetitions (snmpd's maxGetbulkRepeats; default 0: none)
  --max-getbulk-responses N	cap a GETBULK's repeated varbinds (snmpd's maxGetbulkResponses; default 100, 0: none)
  --tcp-max-connections N	TCP connections open at once (default 256; one more closes the one silent the longest)
  --tcp-idle-timeout S	close a TCP connection silent this many seconds (default 120; 0: never)
  --fault SPEC		faults to inject, repeatable; rules separated by commas:
			  drop=P, delay=MS[+JITTER], duplicate=P, reorder=P, corrupt=P, truncate=P,
			  wrong-id=P, error=STATUS@OID, boots-jump=N[@K], time-jump=S[@K], restart[@K]
			  (P: 0.1, 10% or first:N)
  --seed N		seed of the fault generator (default 1: the same seed, the same faults) and of --live-counters
  --view LINE		a MIB view as snmpd's view line, repeatable: "NAME included|excluded SUBTREE [MASK]"
  --view-for WHO=VIEW	the view a community or v3 user reads (and writes) through, repeatable
  --sink LINE		where notifications go, repeatable, as snmpd's lines: "trapsink HOST [COMMUNITY [PORT]]",
			  "trap2sink ...", "informsink ...", "trapsess [-Ci] -v 3 -u USER -l LEVEL -a .. -A .. HOST"
  --authtrap		send authenticationFailure for bad communities (snmpd's authtrapenable 1)
  --live-counters	counters grow as time passes (seeded by --seed), reset by a reboot
  --scenario FILE	timed actions, one per line: "TIME DEVICE ACTION [NAME=VALUE]..." (DEVICE: "device" for
			  one data file, a file's name in a directory, or *), e.g. "10s * linkDown ifIndex=2"
  --control		a control endpoint on loopback (prints "control on URL"): POST /action
			  {"device": "*", "action": "reboot"}; see the simulator's README`,
  lab: `USAGE: snmpkit lab [--strict] [--quiet] [--socket-per-device] FILE

Starts the devices a lab file describes (groups of devices from templates, each at its own loopback address or
port, with per-device overrides, communities, users, views and sinks), until SIGINT or SIGTERM. Prints
"group NAME: N devices, WHERE" for each group, "control URL" when the file has a control line, and "lab ready: N
devices in S s" once all answer; progress and the scenario steps as they run go to stderr. The UDP devices of a
port share one socket where it can be had (WHERE ends "(udp: one socket)"), else each device holds a socket per
transport: a lab larger than the open-file limit (ulimit -n) is refused before anything binds, with the numbers
and how to raise it.
The lab file format is in @snmpkit/simulator's README ("Device lab").

OPTIONS:
  -h, --help		display this help message
  --strict		refuse a template with a record that cannot be served (default: answer it noSuchInstance)
  --quiet		no progress lines
  --socket-per-device	a UDP socket per device, not one per port (which holds the port on every loopback address)`,
  translate: `USAGE: snmpkit translate [OPTIONS] OID [OID]...

Translates OIDs between their forms and prints the MIB reports, as snmptranslate does.

OPTIONS:
  -h, --help		display this help message
  -m MIB[:...]		load given list of MIBs (ALL loads everything)
  -M DIR[:...]		look in given list of directories for MIBs
  -T TRANSOPTS		Set various options controlling report produced:
			  d:  print full details of the given OID
			  p:  print tree format symbol table (under each OID given, or all of it)
			  l:  enable labeled OID report
			  o:  enable OID report
			  s:  enable dotted symbolic report
			  z:  enable MIB child OID report
			  t:  enable alternate format symbolic suffix report
			  (l, o, s, z, t: without OID arguments; snmptranslate's B and a are not supported)
  -I R			find a label anywhere in the MIB tree (random access), not only from a root
${OUTPUT_OPTIONS}`,
  decode: `USAGE: snmpkit decode [OPTIONS] HEX|-

Prints an SNMP message (v1, v2c, v3) given in hex, or read from stdin (-): plain hex, or a whole -d dump of
snmpkit or of Net-SNMP's tools, message by message. With the user's credentials a v3 message is checked and
decrypted.

OPTIONS:
  -h, --help		display this help message
  -u USER-NAME		the v3 user (with -l, -a, -A, -x, -X as the other commands take them)
  -l LEVEL		security level (noAuthNoPriv|authNoPriv|authPriv)
  -a PROTOCOL		authentication protocol (MD5|SHA|SHA-224|SHA-256|SHA-384|SHA-512)
  -A PASSPHRASE		authentication protocol pass phrase
  -x PROTOCOL		privacy protocol (DES|AES|AES-192|AES-256|AES-192-C|AES-256-C)
  -X PASSPHRASE		privacy protocol pass phrase
  -3k|-3K KEY		authentication|privacy key localized to the engine, hex (-3m|-3M: master keys)
  -m MIB[:...]		load given list of MIBs (ALL loads everything)
  -M DIR[:...]		look in given list of directories for MIBs
${OUTPUT_OPTIONS}`,
  poll: `USAGE: snmpkit poll [OPTIONS] --targets FILE [OID]... [--walk OID]... [--table OID]...

Polls many agents at once over a few sockets: a GET of the OIDs given, each --walk subtree and each --table of every
agent in FILE. Prints one JSON object per agent (--json), or Net-SNMP's lines prefixed with the agent; an agent's
error goes to stderr. Progress on stderr every second, and a summary at the end. Exit 0 when every agent answered
everything, 1 otherwise.

FILE (- for stdin): one agent per line, after its own Net-SNMP options (-v -c -u -l -a -A -x -X -e -E -n -r -t,
quoted as in a shell), e.g. "-v2c -c public 127.1.0.5:161"; blank lines and lines starting with # are skipped.
Options on the command line are every agent's defaults; a line's own win.

OPTIONS:
  -h, --help		display this help message
  -v 1|2c|3 -c COMMUNITY -u USER -l LEVEL -a PROTOCOL -A PASSPHRASE -x PROTOCOL -X PASSPHRASE -n CONTEXT
  -e ENGINE-ID -E ENGINE-ID -r RETRIES -t TIMEOUT	as for the other commands (snmpkit get --help)
  --targets FILE		the agents, one per line
  --walk OID		walk this subtree of every agent, repeatable
  --table OID		read this table of every agent, repeatable
  --max-in-flight N	requests in flight in all (default 100; also the agents polled at once)
  --per-target N		requests in flight at one agent (default 2)
  --rate N		requests per second in all (default: no limit)
  --json		one JSON object per agent: {agent, line, ok, varbinds | error, tables}
  -m MIB[:...]		load given list of MIBs (ALL loads everything)
  -M DIR[:...]		look in given list of directories for MIBs
  -O OUTOPTS		toggle the display of the varbinds, as for the other commands`,
  trapd: `USAGE: snmpkit trapd [--listen EP]... [OPTIONS] [EP]...

Prints each notification received as snmptrapd prints it by default, until SIGINT or SIGTERM.
Prints "listening on EP" for each endpoint first.

OPTIONS:
  -h, --help		display this help message
  --listen EP		endpoint to receive on, repeatable (also as arguments): udp:HOST:PORT, udp6:[HOST]:PORT,
			  tcp:HOST:PORT (port 0 picks a free port; default udp:0.0.0.0:162)
  --community NAME	accept v1/v2c notifications with this community, repeatable (default: any)
  --user SPEC		v3 user, repeatable: NAME[:AUTHPROTO:AUTHPASS[:PRIVPROTO:PRIVPASS]][@ENGINEID]
			  (@ENGINEID: traps from that sending engine, as snmptrapd's createUser -e; without it:
			  informs to this receiver's engine)
  --engine-id HEX	this receiver's snmpEngineID, for informs (default: random per run)
  --json		print one JSON object per notification instead of snmptrapd's text
  -m MIB[:...]		load given list of MIBs (ALL loads everything)
  -M DIR[:...]		look in given list of directories for MIBs
  -O OUTOPTS		toggle the display of the varbinds, as for the other commands (snmpkit get --help)`,
};

/** The usage text of a command: its own (simulate, trapd), or the agent commands' (get, walk...). */
/**
 * What follows a usage error's reason: the synopsis line Net-SNMP's usage starts with (scripts and the golden tests
 * look for it) and where the options are described, instead of Net-SNMP's fifty lines of options. Net-SNMP
 * compatibility does not need them: its tools print the same lines before `USAGE:`, which is what callers parse.
 */
export function usageLine(command: string): string {
  const first = commandUsage(command).split('\n', 1)[0]!;
  return `${first}   (snmpkit ${command} --help lists the options)`;
}

export function commandUsage(command: string): string {
  const own = OWN_USAGE[command];
  if (own !== undefined) return own;
  const synopsis = SYNOPSIS[command] ?? '[ARGS]';
  const app = APP_OPTIONS[command];
  const options = command === 'record' ? RECORD_COMMON : COMMON;
  return `USAGE: snmpkit ${command} [OPTIONS] ${synopsis}\n\n${options}${app ? `\n${app}` : ''}`;
}
