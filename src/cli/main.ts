/**
 * The `mmae` command line. Each command is a record in its own file beside this one
 * (train-command.ts, retrieve-command.ts, …); errors from mmae are typed and already say what to
 * do, so they are printed as one line and exit non-zero.
 */
import { MmaeError } from '../errors/errors.js';
import type { Command } from './command.js';
import { doctorCommand } from './doctor-command.js';
import { evalCommand } from './eval-command.js';
import { generateCommand } from './generate-command.js';
import { indexCommand } from './index-command.js';
import { pluginsCommand } from './plugins-command.js';
import { retrieveCommand } from './retrieve-command.js';
import { serveCommand } from './serve-command.js';
import { trainCommand } from './train-command.js';

const commands: readonly Command[] = [
  trainCommand,
  evalCommand,
  indexCommand,
  retrieveCommand,
  generateCommand,
  serveCommand,
  doctorCommand,
  pluginsCommand,
];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const list = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `usage: mmae COMMAND [options]\n\ncommands:\n${list}\n\nmmae COMMAND --help shows a command's options.\n`;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`mmae: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    return report(error);
  }
}

function report(error: unknown): number {
  if (error instanceof MmaeError) {
    process.stderr.write(`mmae: ${error.message}\n`);
    return error.code === 'USAGE' || error.code === 'CONFIG' ? 2 : 1;
  }
  const code = (error as { code?: string }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    process.stderr.write(`mmae: ${(error as Error).message}\n`);
    return 2;
  }
  process.stderr.write(`mmae: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
  return 70;
}
