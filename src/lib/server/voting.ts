/**
 * What of a round the document and the facilitators may see (who votes, and for whom, is
 * voices.ts). Votes live in the database only; `roundView` is the one place that decides what of a
 * round reaches the document: nothing of its votes while hidden, and never a voter in an
 * anonymous round.
 */
import type { CoreServices } from './ports/services';
import type { StoredBallot, StoredRound } from './ports/storage';
import type { Round, RoundResults } from '../shared/consensus';
import type { RoundProgress } from '../shared/events';
import { tallyRound, type TallyBallot } from '../shared/tally';
import { expectedVoices } from './voices';

export function toTallyBallot(ballot: StoredBallot): TallyBallot {
	return {
		voterKey: ballot.voterKey,
		voterName: ballot.voterName,
		organisation: ballot.organisation,
		positions: ballot.positions,
		enteredByName: ballot.enteredByName,
		updatedAt: ballot.updatedAt
	};
}

export function tallyStored(round: StoredRound, ballots: readonly StoredBallot[]): RoundResults {
	const override = round.override
		? { reason: round.override.reason, by: round.override.byName }
		: null;
	return tallyRound(round, ballots.map(toTallyBallot), override);
}

/** Whether the document may show the round's results now: revealed, or live in a named round. */
export function resultsVisible(round: StoredRound): boolean {
	return round.state === 'revealed' || (round.live && !round.anonymous);
}

/** The round as the document holds it: its options and state, results only once visible. */
export function roundView(round: StoredRound, ballots: readonly StoredBallot[]): Round {
	return {
		id: round.id,
		proposalIds: [...round.proposalIds],
		mode: round.mode,
		anonymous: round.anonymous,
		live: round.live,
		voice: round.voice,
		rule: { ...round.rule },
		state: round.state,
		openedAt: round.openedAt,
		closedAt: round.closedAt,
		revealedAt: round.revealedAt,
		results: resultsVisible(round) ? tallyStored(round, ballots) : null
	};
}

/** The facilitators' view of a round: counts, who has not voted, and the tally even while hidden. */
export async function roundProgress(
	services: Pick<CoreServices, 'storage'>,
	round: StoredRound,
	ballots: readonly StoredBallot[]
): Promise<RoundProgress> {
	const voted = new Set(ballots.map((ballot) => ballot.voterKey));
	const expected = await expectedVoices(services, round.workshopId, round.voice);
	return {
		roundId: round.id,
		state: round.state,
		voices: ballots.length,
		expected: expected.length,
		notVoted: expected.filter((entry) => !voted.has(entry.key)),
		tally: tallyStored(round, ballots)
	};
}
