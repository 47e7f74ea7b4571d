// `rbi tree <instance> [-n NS] [--kubeconfig X] [--context C] [--color auto|always|never]` (`kubectl rbi tree`): the
// instance, its listed objects, a Deployment's ReplicaSets and the pods, each with the operator's verdict
// (mappers/instance/tree.ts draws it).
import type { Command } from 'commander';
import { renderTree } from '../../mappers/instance/tree.js';
import { colorOption } from './color.js';
import { declareClusterFlags } from './live-instance.js';
import { processTerminal, showLive, type LiveViewFlags } from './live-view.js';

export function addTreeCommand(program: Command): void {
  declareClusterFlags(
    program
      .command('tree')
      .description("draw an instance's objects, ReplicaSets and pods with their status and reason, from the cluster")
      .argument('<instance>', 'the ResourceBundleInstance name'),
  )
    .addOption(colorOption())
    .action((name: string, flags: LiveViewFlags) =>
      showLive(
        name,
        flags,
        ({ instance, replicaSets }, style) => renderTree(instance, replicaSets, style),
        processTerminal(),
      ),
    );
}
