import type { CliCommand } from '../command';

/**
 * Every subcommand of `trustlens`. Each lives in its own module; add a line here to expose it.
 */
export const COMMANDS: CliCommand[] = [];
