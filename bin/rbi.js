#!/usr/bin/env node
// Entry point of the `rbi` command (package bin). The code is compiled into dist/ by `npm run build`, which
// `npm install` runs through the prepare script.
import { main } from '../dist/operator/cli/main.js';

// A closed pipe (`rbi ... | head`) is not an error worth a stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
