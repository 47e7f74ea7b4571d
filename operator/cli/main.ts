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
import { addStatusCommand } from './status-command.js';
import { addTreeCommand } from './tree-command.js';

function buildProgram(
  name: string,
  exit: (code: number) => void,
  out: (line: string) => void = (l) => process.stdout.write(l + '\n'),
): Command {
  const program = new Command(name)
    .description('rbi-operator: status of ONAP k8splugin resource-bundle instances, and their AAI inventory')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: () => undefined });

  addStatusCommand(program, out);
  addTreeCommand(program);

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

/** Runs the CLI as `name` (rbi, or kubectl rbi for the kubectl plugin); resolves to the process exit code. */
async function main(argv: string[], name = 'rbi'): Promise<number> {
  let code = 0;
  const program = buildProgram(name, (c) => (code = c));
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

/** The process around main() for the package's bin scripts: a closed pipe (`rbi … | head`) ends quietly. */
export function runProcess(name: string): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  main(process.argv.slice(2), name).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
