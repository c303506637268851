import type { Command } from 'commander';
import { identityCommand } from './commands/identity-command';

/** Operator commands that services contribute (`nimbus identity ...`, `nimbus ring ...`). */
export function extraCommands(): Command[] {
  return [identityCommand()];
}
