// Structured JSON logs (winston). Values go in fields, not in the message; a reconcile logs through a child
// logger carrying the instance key.
import winston from 'winston';

export type Logger = winston.Logger;
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export function createLogger(level: LogLevel = 'info', stream: NodeJS.WritableStream = process.stderr): Logger {
  return winston.createLogger({
    level,
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.errors({ stack: false }),
      winston.format.json(),
    ),
    defaultMeta: { logger: 'rbi-operator' },
    transports: [new winston.transports.Stream({ stream })],
  });
}

/** A logger that drops everything (tests, library use). */
export const silentLogger = (): Logger =>
  winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
