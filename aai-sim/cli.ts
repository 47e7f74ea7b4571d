// The body of `rbi aai-sim` (declared in operator/cli/aai-sim-command.ts, which loads this file only when the
// command runs): runs the in-memory AAI simulator until SIGTERM/SIGINT. Prints exactly one line on stdout once
// listening ("aai-sim listening on http://HOST:PORT", what test harnesses wait for) and logs one line per request
// on stderr.
import { DEFAULT_AAI_SIM_PORT, type AaiSimFlags, type AaiSimIo } from '../operator/cli/aai-sim-command.js';
import { UsageError } from '../operator/cli/errors.js';
import { startAaiSimulator, type AaiSimulatorOptions } from './server.js';

function parseUsers(spec: string): Array<{ user: string; password: string }> {
  return spec.split(',').map((entry) => {
    const colon = entry.indexOf(':');
    const user = colon < 0 ? '' : entry.slice(0, colon).trim();
    if (!user) throw new UsageError(`--users: expected user:password[,user:password...], got ${JSON.stringify(entry)}`);
    return { user, password: entry.slice(colon + 1) };
  });
}

/** The simulator options the flags ask for; UsageError (one line) for bad ones. */
export function aaiSimOptions(flags: AaiSimFlags): AaiSimulatorOptions {
  const host = flags.host ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError('--host: expected a host name or address');
  const portText = flags.port ?? String(DEFAULT_AAI_SIM_PORT);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port: expected 0..65535, got ${JSON.stringify(portText)}`);
  if (flags.persist !== undefined && flags.persist.trim() === '')
    throw new UsageError('--persist: expected a file path');
  return {
    host,
    port,
    ...(flags.users !== undefined ? { users: parseUsers(flags.users) } : {}),
    ...(flags.persist !== undefined ? { persistFile: flags.persist } : {}),
  };
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

const defaultIo = (): AaiSimIo => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  untilStopped: untilSignal,
});

/** Runs the simulator until stopped, then closes it (and writes the persistence file). */
export async function runAaiSim(flags: AaiSimFlags, ioOverrides: Partial<AaiSimIo> = {}): Promise<void> {
  const io: AaiSimIo = { ...defaultIo(), ...ioOverrides };
  const opts = aaiSimOptions(flags);
  let sim;
  try {
    sim = await startAaiSimulator({ ...opts, log: io.err });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL')
      throw new UsageError(`cannot listen on ${opts.host}:${opts.port}: ${e.code}`, { cause: err });
    if (opts.persistFile && !e.code)
      throw new UsageError(`--persist ${opts.persistFile}: ${e.message}`, { cause: err });
    throw err;
  }
  const stopped = io.untilStopped();
  io.out(`aai-sim listening on ${sim.url}`);
  await stopped;
  io.err('aai-sim stopping');
  await sim.close();
}
