import type { CliCommand } from '../command';
import { signCommand } from './sign';
import { verifyCommand } from './verify';
import { digestCommand } from './digest';
import { scanCommand } from './scan';
import { scanModelCommand } from './scanModel';

/**
 * Every subcommand of `trustlens`. Each lives in its own module; add a line here to expose it.
 */
export const COMMANDS: CliCommand[] = [signCommand, verifyCommand, digestCommand, scanCommand, scanModelCommand];
