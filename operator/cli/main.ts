// The `rbi` command line. Every failure the user can fix is one line on stderr and exit code 2; nothing prints a
// stack trace.
import { Command, CommanderError } from 'commander';
import { DEFAULT_AAI_VERSION, DEFAULT_DATA_OWNER } from '../../mappers/aai/settings.js';
import { EXIT_USAGE, UsageError } from './errors.js';
import { runAaiPlan } from './aai-plan-command.js';
import { addAaiDiffCommand } from './aai-diff-command.js';
import { addAaiSimCommand } from './aai-sim-command.js';
import { runImport } from './import-command.js';
import { addOperatorCommand } from './operator-command.js';
import { runStatus } from './status-command.js';

function buildProgram(
  exit: (code: number) => void,
  out: (line: string) => void = (l) => process.stdout.write(l + '\n'),
): Command {
  const program = new Command('rbi')
    .description('rbi-operator: status of ONAP k8splugin resource-bundle instances, and their AAI inventory')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: () => undefined });

  program
    .command('status')
    .description('summarize Kubernetes objects to Ready | Pending | Failed (one JSON line per object)')
    .requiredOption('-f, --filename <path>', 'YAML or JSON objects (multi-document, List); "-" reads standard input')
    .option('--now <RFC3339>', 'pin the clock used by time-based rules')
    .option('--instance <path>', 'a ResourceBundleInstance: adds one last line for the whole instance')
    .action((opts: { filename: string; now?: string; instance?: string }) => runStatus(opts, out));

  program
    .command('aai-plan')
    .description('print, as JSON lines {method, path, body}, what one sync of an instance writes into an empty AAI')
    .requiredOption('--instance <path>', 'the ResourceBundleInstance')
    .requiredOption(
      '-f, --filename <path>',
      'the cluster objects (YAML or JSON, as for rbi status); "-" reads standard input',
    )
    .option('--mapping <mapping>', 'k8s-resource | vserver | all (default: spec.aai.mapping, else k8s-resource)')
    .option('--aai-version <vNN>', 'AAI API version', DEFAULT_AAI_VERSION)
    .option('--cloud-owner <owner>', 'cloud owner (default: spec.aai.cloudOwner)')
    .option('--tenant-id <id>', 'tenant id (default: spec.aai.tenantId)')
    .option('--data-owner <name>', 'data-owner of the records', DEFAULT_DATA_OWNER)
    .option('--selflink-base <url>', 'base URL of the operator query API, for selflinks')
    .action((opts) => runAaiPlan(opts, out));

  program
    .command('import')
    .description('turn a k8splugin instance (InstanceResponse JSON) into a ResourceBundleInstance (YAML on stdout)')
    .argument('[file]', 'the JSON file, or "-" for standard input', '-')
    .option('--namespace <ns>', "namespace of the ResourceBundleInstance (default: the instance's namespace)")
    .option('--name <name>', 'name of the ResourceBundleInstance (default: derived from the instance id)')
    .action((file: string, opts: { namespace?: string; name?: string }) =>
      runImport({ file, ...opts }, (t) => process.stdout.write(t)),
    );

  addOperatorCommand(program);
  addAaiDiffCommand(program, exit);
  addAaiSimCommand(program);

  return program;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
        return 0;
      process.stderr.write(`error: ${err.message.replace(/^error: /, '')}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
