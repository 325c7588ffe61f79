/** Every command, by event name: the transport binds them on each command socket once authorised. */
import type { CommandEvent } from '../../shared/events';
import type { CommandDefinition } from './command';
import {
	decideCandidate,
	myScores,
	revealScores,
	scoresStatus,
	setScores,
	setVoiceMode
} from './scores';
import { mapStatus, myPlacements, placeAlly, revealMap } from './ally-map';
import { getContacts, setContact } from './contacts';
import { acceptAssignment, listOrganisations } from './acceptances';
import { setCountdown, setPath, setScreen, setStep } from './facilitation';
import { lockCharter, unlockCharter } from './charter';
import { setEndorsement } from './endorsements';
import { archiveWorkshop, unarchiveWorkshop } from './archive';
import { addProposal, editProposal, mergeProposals } from './proposals';
import { closeRound, openRound, overrideBlock, revealRound, roundStatus } from './rounds';
import { castVote, myVote } from './votes';
import { addFollowUpEntry, setFollowUpPeriod, setFollowUpTask } from './follow-up';

export type CommandTable = { [E in CommandEvent]: CommandDefinition<E> };

export const COMMANDS: CommandTable = {
	'facilitation:step': setStep,
	'facilitation:path': setPath,
	'facilitation:screen': setScreen,
	'scores:set': setScores,
	'scores:mine': myScores,
	'scores:status': scoresStatus,
	'scores:reveal': revealScores,
	'scores:mode': setVoiceMode,
	'candidate:decide': decideCandidate,
	'map:place': placeAlly,
	'map:mine': myPlacements,
	'map:status': mapStatus,
	'map:reveal': revealMap,
	'contacts:get': getContacts,
	'contacts:set': setContact,
	'organisations:list': listOrganisations,
	'tasks:accept': acceptAssignment,
	'facilitation:countdown': setCountdown,
	'charter:lock': lockCharter,
	'charter:unlock': unlockCharter,
	'endorsement:set': setEndorsement,
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
	'vote:mine': myVote,
	'followup:period': setFollowUpPeriod,
	'followup:task': setFollowUpTask,
	'followup:log': addFollowUpEntry
};
