/** Every command, by event name: bound on each command socket once it is authorised. */
import type { CommandEvent } from '../../src/lib/shared/events';
import type { Services } from '../services';
import { bindCommand, type CommandDefinition, type CommandSocket } from './command';
import { setStep } from './facilitation';

type CommandTable = { [E in CommandEvent]: CommandDefinition<E> };

export const COMMANDS: CommandTable = {
	'facilitation:step': setStep
};

export function bindCommands(socket: CommandSocket, services: Services, commands: Partial<CommandTable> = COMMANDS): void {
	for (const [event, definition] of Object.entries(commands) as [CommandEvent, CommandDefinition<CommandEvent>][]) {
		bindCommand(socket, services, event, definition);
	}
}
