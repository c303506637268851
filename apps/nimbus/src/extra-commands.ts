import type { Command } from 'commander';

/** Operator commands that services contribute (`nimbus identity ...`, `nimbus ring ...`). */
export function extraCommands(): Command[] {
  return [];
}
