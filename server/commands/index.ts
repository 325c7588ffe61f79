/** Every command, by event name: bound on each command socket once it is authorised. */
import type { CommandEvent } from '../../src/lib/shared/events';
import type { Services } from '../services';
import { bindCommand, type CommandDefinition, type CommandSocket } from './command';
import { setCountdown, setStep } from './facilitation';
import { lockCharter, unlockCharter } from './charter';
import { archiveWorkshop, unarchiveWorkshop } from './archive';

type CommandTable = { [E in CommandEvent]: CommandDefinition<E> };

export const COMMANDS: CommandTable = {
	'facilitation:step': setStep,
	'facilitation:countdown': setCountdown,
	'charter:lock': lockCharter,
	'charter:unlock': unlockCharter,
	'workshop:archive': archiveWorkshop,
	'workshop:unarchive': unarchiveWorkshop
};

export function bindCommands(socket: CommandSocket, services: Services, commands: Partial<CommandTable> = COMMANDS): void {
	for (const [event, definition] of Object.entries(commands) as [CommandEvent, CommandDefinition<CommandEvent>][]) {
		bindCommand(socket, services, event, definition);
	}
}
