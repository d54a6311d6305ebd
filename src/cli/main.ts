#!/usr/bin/env node
import { COMMANDS } from './commands';
import { ExitCode, UsageError, type CliIO } from './command';

const VERSION = '0.1.0';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 4);
  return [
    'trustlens: sign and verify ML models (OpenSSF Model Signing), check model files, scan code.',
    '',
    'Usage: trustlens <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `trustlens <command> --help` for the options of one command.',
    'Exit codes: 0 ok / valid / signed, 1 verification failed or findings, 2 usage or input error.',
  ].join('\n');
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help() + '\n');
    return name ? ExitCode.Ok : ExitCode.Usage;
  }
  if (name === '--version' || name === '-V') {
    io.out(VERSION + '\n');
    return ExitCode.Ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`trustlens: unknown command '${name}'\n\n${help()}\n`);
    return ExitCode.Usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage + '\n');
    return ExitCode.Ok;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) {
      io.err(`trustlens ${name}: ${(e as Error).message}\n\n${command.usage}\n`);
      return ExitCode.Usage;
    }
    const code = (e as { code?: unknown }).code;
    io.err(`trustlens ${name}: error${typeof code === 'string' ? ` [${code}]` : ''}: ${(e as Error)?.message ?? String(e)}\n`);
    return ExitCode.Usage;
  }
}

if (require.main === module) {
  const io: CliIO = {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    cwd: process.cwd(),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`trustlens: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = ExitCode.Usage;
    },
  );
}
