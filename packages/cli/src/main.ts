/**
 * The snmpkit command line: picks the command and loads only its module (startup time is most of what a one-shot
 * `snmpkit get` costs), turns usage errors into Net-SNMP's message + usage text, and never shows a stack trace.
 */
import { InfoRequest, UsageError } from './args.js';
import { CliExit, type Io } from './io.js';

export const VERSION = '0.1.0';

type CommandRunner = (argv: readonly string[], io: Io) => Promise<number>;

type RequestName = 'get' | 'getnext' | 'bulkget' | 'set';
type WalkName = 'walk' | 'bulkwalk';
const REQUESTS: readonly string[] = ['get', 'getnext', 'bulkget', 'set'] satisfies RequestName[];
const WALKS: readonly string[] = ['walk', 'bulkwalk'] satisfies WalkName[];
const OTHERS: Record<string, () => Promise<{ run: CommandRunner }>> = {
  table: () => import('./commands/table.js'),
  poll: () => import('./commands/poll.js'),
  translate: () => import('./commands/translate.js'),
  decode: () => import('./commands/decode.js'),
  simulate: () => import('./commands/simulate.js'),
  lab: () => import('./commands/lab.js'),
  record: () => import('./commands/record.js'),
  trapd: () => import('./commands/trapd.js'),
};

/** The command's runner, its module loaded on demand; undefined for an unknown command. */
async function loadCommand(command: string): Promise<CommandRunner | undefined> {
  if (REQUESTS.includes(command)) {
    const { run } = await import('./commands/request.js');
    return (argv, io) => run(command as RequestName, argv, io);
  }
  if (command === 'trap' || command === 'inform') {
    const { run } = await import('./commands/notify.js');
    return (argv, io) => run(command, argv, io);
  }
  if (WALKS.includes(command)) {
    const { run } = await import('./commands/walk.js');
    return (argv, io) => run(command as WalkName, argv, io);
  }
  return Object.hasOwn(OTHERS, command) ? (await OTHERS[command]!()).run : undefined;
}

/** Runs one snmpkit command line (without the program name); resolves with the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  // Usage texts load only when printed: the happy path of a one-shot command does not pay for them.
  const usage = () => import('./usage.js');
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    const { COMMANDS_HELP } = await usage();
    (command === undefined ? io.err : io.out)(`${COMMANDS_HELP}\n`);
    return command === undefined ? 1 : 0;
  }
  if (command === '--version' || command === '-V') {
    io.out(`snmpkit ${VERSION}\n`);
    return 0;
  }
  const notifications = command === 'trap' || command === 'inform';
  if (!REQUESTS.includes(command) && !WALKS.includes(command) && !notifications && !Object.hasOwn(OTHERS, command)) {
    const { COMMANDS_HELP } = await usage();
    io.err(`snmpkit: unknown command "${command}"\n${COMMANDS_HELP}\n`);
    return 1;
  }
  try {
    const runCommand = (await loadCommand(command))!;
    return await runCommand(rest, io);
  } catch (error) {
    if (error instanceof CliExit) return error.exitCode;
    if (error instanceof UsageError) {
      // getopt's own messages carry the program name; snmp_parse_args' do not.
      const getopt = /^(invalid option|option requires|unrecognized option)/.test(error.message);
      const message = getopt ? `snmpkit ${command}: ${error.message}` : error.message;
      io.err(error.showUsage ? `${message}\n${(await usage()).usageLine(command)}\n` : `${message}\n`);
      return 1;
    }
    if (error instanceof InfoRequest) {
      // --help and --version (not Net-SNMP's): stdout, exit 0. -h and -V: as Net-SNMP's tools, stderr (-h exit 1).
      const print = error.long ? io.out : io.err;
      if (error.what === 'version') {
        print(error.long ? `snmpkit ${VERSION}\n` : `snmpkit version: ${VERSION}\n`);
        return 0;
      }
      print(`${(await usage()).commandUsage(command)}\n`);
      return error.long ? 0 : 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`snmpkit ${command}: ${message}\n`);
    if (process.env.SNMPKIT_DEBUG && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
    return 1;
  }
}
