import type { Command } from 'commander';
import { identityCommand } from './commands/identity-command';
import { policyCommand } from './commands/policy-command';
import { ringCommand } from './commands/ring-command';

/** Operator commands that services contribute (`nimbus identity ...`, `nimbus ring ...`). */
export function extraCommands(): Command[] {
  return [identityCommand(), ringCommand(), policyCommand()];
}
