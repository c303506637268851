import { ConfigError } from '@nimbus/config';
import { Command } from 'commander';
import { configCommand } from './commands/config-command';
import { dbCommand } from './commands/db-command';
import { serveCommand } from './commands/serve-command';
import { statusCommand } from './commands/status-command';
import { upCommand } from './commands/up-command';
import { extraCommands } from './extra-commands';

/** Builds the `nimbus` command line. */
export function buildProgram(): Command {
  const program = new Command('nimbus')
    .description('Nimbus: an OpenStack-compatible cloud. `nimbus up` runs all of it in one process.')
    .showHelpAfterError()
    .addCommand(upCommand())
    .addCommand(serveCommand())
    .addCommand(statusCommand())
    .addCommand(configCommand())
    .addCommand(dbCommand());
  for (const c of extraCommands()) program.addCommand(c);
  return program;
}

/** Runs the command line; start-up configuration errors print one clear line, not a stack. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`nimbus: configuration error: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    const e = err as { code?: string; message?: string };
    if (e.code === 'EADDRINUSE') {
      process.stderr.write(
        `nimbus: ${e.message}: another process holds that port (is a cloud already running?)\n`,
      );
      process.exitCode = 1;
      return;
    }
    throw err;
  }
}
