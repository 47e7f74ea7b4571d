// `rbi aai-sim [--host 127.0.0.1] [--port N|0] [--persist <file>] [--users user:pass,...]`: the AAI simulator, a
// test double that lives outside the product tree (aai-sim/). Only its flags are declared here; its code is loaded
// by a computed path when the command runs, so the compiler does not pull it into a build that leaves it out (the
// production image), where the command says so in one line.
import type { Command } from 'commander';
import { UsageError } from './errors.js';

/** aai-resources listens on 8447. */
export const DEFAULT_AAI_SIM_PORT = 8447;

export interface AaiSimFlags {
  host?: string;
  port?: string;
  persist?: string;
  users?: string;
}

export interface AaiSimIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Resolves when the simulator should stop (default: SIGTERM or SIGINT). */
  untilStopped: () => Promise<void>;
}

interface AaiSimModule {
  runAaiSim(flags: AaiSimFlags, io: Partial<AaiSimIo>): Promise<void>;
}

/**
 * Where the simulator's command body is, relative to this file (same layout in the sources and in dist/). Not a
 * literal in import(): the compiler follows only literals.
 */
const SIMULATOR_MODULE: string = '../../aai-sim/cli.js';

async function loadSimulator(): Promise<AaiSimModule> {
  try {
    return (await import(SIMULATOR_MODULE)) as AaiSimModule;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND')
      throw new UsageError('the AAI simulator is not part of this build (a test double, left out of the image)', {
        cause: err,
      });
    throw err;
  }
}

/** Defines `rbi aai-sim`; `io` replaces stdout, stderr or the stop signal (tests). */
export function addAaiSimCommand(program: Command, io: Partial<AaiSimIo> = {}): void {
  program
    .command('aai-sim')
    .description('run an in-memory ONAP AAI simulator (REST, resource-version checks, edge rules, bulk, faults)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', String(DEFAULT_AAI_SIM_PORT))
    .option('--persist <file>', 'JSON file: loaded at start when present, written after every change')
    .option('--users <list>', 'basic-auth users as user:password[,user:password...] (default AAI:AAI)')
    .action(async (flags: AaiSimFlags) => (await loadSimulator()).runAaiSim(flags, io));
}
