/** Where commands write: the process's streams in the binary, buffers in tests. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal. */
  readonly errIsTerminal: boolean;
  /**
   * True when stdout is a terminal. A walk shows its progress on stderr only while its lines go elsewhere (a file,
   * a pipe): on a terminal that shows both, the lines are the progress, and a count would land among them.
   */
  readonly outIsTerminal: boolean;
  /** Reads all of standard input (for `decode -`). */
  readStdin(): Promise<string>;
}

/** Thrown by a command after it printed its error: unwinds to main with the exit code. */
export class CliExit extends Error {
  override readonly name = 'CliExit';
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

export function processIo(): Io {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    // `snmpkit walk ... | head`: a closed pipe ends the command quietly, as SIGPIPE ends Net-SNMP's tools.
    if (error.code === 'EPIPE') process.exit(0);
    // Any other failure to write (a full disk: ENOSPC) loses output: say so in one line and fail, no stack trace.
    process.stderr.write(`snmpkit: cannot write the output: ${error.code ?? error.message}\n`);
    process.exit(1);
  });
  return {
    out: (text) => {
      process.stdout.write(text);
    },
    err: (text) => {
      process.stderr.write(text);
    },
    errIsTerminal: process.stderr.isTTY === true,
    outIsTerminal: process.stdout.isTTY === true,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/** An Io that keeps what is written, for tests and for callers that want the text. */
export function bufferIo(stdin = ''): Io & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    errIsTerminal: false,
    outIsTerminal: false,
    readStdin: async () => stdin,
    stdout: () => out,
    stderr: () => err,
  };
}
