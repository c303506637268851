import type { Command } from 'commander';

/** Flags every command that starts services accepts. */
export interface CloudFlags {
  configFile?: string;
  dataDir?: string;
  logLevel?: string;
}

/** Adds `--config-file`, `--data-dir` and `--log-level`. */
export function commonCloudOptions(command: Command): Command {
  return command
    .option(
      '--config-file <path>',
      'INI configuration file with oslo-style sections',
      process.env.NIMBUS_CONFIG_FILE,
    )
    .option('--data-dir <path>', 'data directory (default ./.nimbus)')
    .option('--log-level <level>', 'trace, debug, info, warn, error or silent');
}

/** Turns flags into configuration overrides. */
export function cloudOverrides(flags: CloudFlags): Record<string, Record<string, unknown>> {
  const d: Record<string, unknown> = {};
  if (flags.dataDir) d.data_dir = flags.dataDir;
  if (flags.logLevel) d.log_level = flags.logLevel;
  return { DEFAULT: d };
}
