/**
 * Votes: stored in the database only, one ballot per voice (the latest counts, once). Keys are
 * scoped to the round and forgotten when it closes. The document hears of a vote only in a live
 * named round; the facilitators get the progress over their own sockets.
 */
import { defineCommand, refuse } from './command';
import {
	connectedIn,
	getRound,
	notifyFacilitators,
	parseRoundId,
	publishRound
} from './round-updates';
import { checkPositions } from '../../shared/tally';
import type { OnBehalf } from '../../shared/events';
import { resultsVisible } from '../voting';
import { resolveVoice } from '../voices';

const NAME_MAX = 120;

export const castVote = defineCommand<'vote:cast'>({
	roles: ['facilitator', 'participant'],
	parse(payload) {
		const roundId = parseRoundId(payload);
		if (!roundId) return null;
		const { positions, onBehalf, key } = payload as {
			positions?: unknown;
			onBehalf?: unknown;
			key: string;
		};
		const behalf = onBehalf === undefined || onBehalf === null ? null : parseOnBehalf(onBehalf);
		if (behalf === undefined) return null;
		return { roundId, positions: positions as never, ...(behalf ? { onBehalf: behalf } : {}), key };
	},
	async run(context, { roundId, positions, onBehalf }) {
		const round = await getRound(context, roundId);
		if (!round) refuse('not_found', 'round');
		if (round.state !== 'open') refuse('conflict', 'round_not_open');
		const checked = checkPositions(round, positions);
		if (!checked.ok) refuse('invalid', checked.reason);
		const decision = await resolveVoice(
			context.services,
			round,
			context.membership,
			onBehalf ?? null,
			connectedIn(context)
		);
		if (!decision.ok) refuse(decision.error, decision.reason);
		const { voice, proxy } = decision;
		const cast = await context.services.storage.votes.castBallot({
			roundId,
			workshopId: context.workshopId,
			voterKey: voice.key,
			voterId: voice.voterId,
			voterName: voice.name,
			organisationId: voice.organisationId,
			organisation: voice.organisation,
			positions: checked.positions,
			enteredBy: context.userId,
			enteredByName: proxy ? context.membership.name : null,
			updatedAt: Date.now()
		});
		if (!cast) refuse('conflict', 'round_not_open');
		if (resultsVisible(round)) await publishRound(context, round);
		await notifyFacilitators(context, round);
		return { roundId, proxy };
	},
	idempotent: { scope: (payload) => payload.roundId }
});

/** Whether and as whom the sender votes, and their own ballot: never anyone else's. */
export const myVote = defineCommand<'vote:mine'>({
	roles: ['facilitator', 'participant', 'observer'],
	parse(payload) {
		const roundId = parseRoundId(payload);
		return roundId ? { roundId } : null;
	},
	async run(context, { roundId }) {
		const round = await getRound(context, roundId);
		if (!round) refuse('not_found', 'round');
		const decision = await resolveVoice(
			context.services,
			round,
			context.membership,
			null,
			connectedIn(context)
		);
		if (!decision.ok) {
			return {
				seat: null,
				reason: decision.reason === 'not_delegate' ? 'not_delegate' : 'not_a_voter',
				positions: null
			};
		}
		const ballot = await context.services.storage.votes.getBallot(
			context.workshopId,
			roundId,
			decision.voice.key
		);
		return {
			seat: { voice: round.voice, name: decision.voice.name },
			reason: null,
			positions: ballot?.positions ?? null
		};
	}
});

/** A proxy's target; `undefined` when malformed. */
function parseOnBehalf(value: unknown): OnBehalf | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const input = value as Record<string, unknown>;
	if (input.kind === 'member' && isId(input.userId))
		return { kind: 'member', userId: input.userId };
	if (input.kind === 'organisation' && isId(input.organisationId)) {
		return { kind: 'organisation', organisationId: input.organisationId };
	}
	if (input.kind === 'offline' && typeof input.name === 'string') {
		const name = input.name.trim();
		const organisation = typeof input.organisation === 'string' ? input.organisation.trim() : '';
		if (name === '' || name.length > NAME_MAX || organisation.length > NAME_MAX) return undefined;
		if (
			input.organisation !== undefined &&
			input.organisation !== null &&
			typeof input.organisation !== 'string'
		)
			return undefined;
		return { kind: 'offline', name, organisation: organisation === '' ? null : organisation };
	}
	return undefined;
}

function isId(value: unknown): value is string {
	return typeof value === 'string' && value.length > 0 && value.length <= 100;
}
