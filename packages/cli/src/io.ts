import { fstatSync } from 'node:fs';

/** Where commands write: the process's streams in the binary, buffers in tests. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal. */
  readonly errIsTerminal: boolean;
  /**
   * True when stdout is a regular file (`> out.txt`). A walk shows its progress on stderr only then: on a terminal
   * the lines themselves are the progress, and into a pipe (`| grep`, `| head`) the reader's output goes to the same
   * terminal, where a count would garble it (snmpwalk prints none at all).
   */
  readonly outIsFile: boolean;
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

/** Whether file descriptor `fd` is a regular file (not a terminal, pipe, socket or device). */
function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    // A closed descriptor: nothing to show progress beside.
    return false;
  }
}

/**
 * Ends the process by SIGPIPE, as a C program that writes to a closed pipe ends. Node ignores SIGPIPE; adding and
 * removing a listener puts back the default action, which kills. 141 (128 + 13, what a shell reports) if the signal
 * could not be sent.
 */
function dieOfSigpipe(): never {
  try {
    const restoreDefault = () => {};
    process.on('SIGPIPE', restoreDefault);
    process.removeListener('SIGPIPE', restoreDefault);
    process.kill(process.pid, 'SIGPIPE');
  } catch {
    // No SIGPIPE on this platform: the exit code alone.
  }
  process.exit(128 + 13);
}

export function processIo(): Io {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    // `snmpkit walk ... | head`: a closed pipe ends the command as it ends Net-SNMP's tools, killed by SIGPIPE (the
    // shell's 141, which `set -o pipefail` sees), without a word.
    if (error.code === 'EPIPE') dieOfSigpipe();
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
    outIsFile: isRegularFile(1),
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
    outIsFile: false,
    readStdin: async () => stdin,
    stdout: () => out,
    stderr: () => err,
  };
}
