/** Every command, by event name: bound on each command socket once it is authorised. */
import type { CommandEvent } from '../../src/lib/shared/events';
import type { Services } from '../services';
import { bindCommand, type CommandDefinition, type CommandSocket } from './command';
import { setCountdown, setStep } from './facilitation';
import { lockCharter, unlockCharter } from './charter';
import { archiveWorkshop, unarchiveWorkshop } from './archive';
import { addProposal, editProposal, mergeProposals } from './proposals';
import { closeRound, openRound, overrideBlock, revealRound, roundStatus } from './rounds';
import { castVote, myVote } from './votes';

type CommandTable = { [E in CommandEvent]: CommandDefinition<E> };

export const COMMANDS: CommandTable = {
	'facilitation:step': setStep,
	'facilitation:countdown': setCountdown,
	'charter:lock': lockCharter,
	'charter:unlock': unlockCharter,
	'workshop:archive': archiveWorkshop,
	'workshop:unarchive': unarchiveWorkshop,
	'proposal:add': addProposal,
	'proposal:edit': editProposal,
	'proposal:merge': mergeProposals,
	'round:open': openRound,
	'round:close': closeRound,
	'round:reveal': revealRound,
	'round:override': overrideBlock,
	'round:status': roundStatus,
	'vote:cast': castVote,
	'vote:mine': myVote
};

export function bindCommands(socket: CommandSocket, services: Services, commands: Partial<CommandTable> = COMMANDS): void {
	for (const [event, definition] of Object.entries(commands) as [CommandEvent, CommandDefinition<CommandEvent>][]) {
		bindCommand(socket, services, event, definition);
	}
}
