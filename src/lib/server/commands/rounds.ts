/**
 * Voting rounds, run by facilitators: open, close, reveal, override a block. State moves
 * open -> closed -> revealed only, by a conditional UPDATE; with commands of a workshop running one
 * at a time, two facilitators acting at once get one success and one clear refusal.
 */
import { defineCommand, refuse } from './command';
import { getRound, notifyFacilitators, parseRoundId, publishRound } from './round-updates';
import { isIdList } from './proposals';
import {
	VOICE_MODES,
	VOTE_MODES,
	VOTE_REASON_MAX,
	type Proposal,
	type VoiceMode,
	type VoteMode
} from '../../shared/consensus';
import type { RoundOptions } from '../../shared/events';
import { newId } from '../../shared/ids';
import { hasBlock, parseRule } from '../../shared/tally';
import { roundProgress, tallyStored } from '../voting';
import type { NewRound, StoredRound } from '../ports/storage';

export const openRound = defineCommand<'round:open'>({
	roles: ['facilitator'],
	parse(payload) {
		if (typeof payload !== 'object' || payload === null) return null;
		const options = payload as Record<keyof RoundOptions, unknown>;
		if (!isIdList(options.proposalIds)) return null;
		if (!(VOTE_MODES as readonly unknown[]).includes(options.mode)) return null;
		if (!(VOICE_MODES as readonly unknown[]).includes(options.voice)) return null;
		if (typeof options.anonymous !== 'boolean' || typeof options.live !== 'boolean') return null;
		return options as unknown as RoundOptions;
	},
	async run(context, options) {
		const rule = parseRule(options.mode, options);
		if (!rule) refuse('invalid', 'rule');
		if (options.live && options.anonymous) refuse('invalid', 'live_needs_named');
		if (options.mode === 'dots' && options.proposalIds.length < 2)
			refuse('invalid', 'dots_need_two');
		const existing = await context.readDocument((doc) => doc.getMap('proposals').toJSON());
		for (const id of options.proposalIds) {
			const proposal = existing[id] as Proposal | undefined;
			if (!proposal || typeof proposal !== 'object') refuse('not_found', 'proposal');
			if (proposal.mergedInto !== null) refuse('conflict', 'merged');
		}
		const votes = context.services.storage.votes;
		// The quick answer; the database's one-open-round index is the guarantee (below).
		if ((await votes.listRounds(context.workshopId)).some((round) => round.state === 'open')) {
			refuse('conflict', 'round_open');
		}
		const round: NewRound = {
			id: newId(),
			workshopId: context.workshopId,
			proposalIds: options.proposalIds,
			mode: options.mode as VoteMode,
			rule,
			anonymous: options.anonymous,
			live: options.live,
			voice: options.voice as VoiceMode,
			openedBy: context.userId,
			openedAt: Date.now()
		};
		if (!(await votes.createRound(round))) refuse('conflict', 'round_open');
		const stored = (await getRound(context, round.id))!;
		await publishRound(context, stored);
		await notifyFacilitators(context, stored);
		return { roundId: round.id };
	}
});

export const closeRound = defineCommand<'round:close'>({
	roles: ['facilitator'],
	parse: (payload) => withRoundId(payload),
	async run(context, { roundId }) {
		const round = await move(context, roundId, 'closed');
		// Retries of this round's votes now meet a closed round, not a remembered answer.
		await context.services.storage.commandResults.deleteScope(context.workshopId, roundId);
		await publishRound(context, round);
		await notifyFacilitators(context, round);
		return { roundId, state: round.state };
	}
});

export const revealRound = defineCommand<'round:reveal'>({
	roles: ['facilitator'],
	parse: (payload) => withRoundId(payload),
	async run(context, { roundId }) {
		const round = await move(context, roundId, 'revealed');
		await publishRound(context, round);
		await notifyFacilitators(context, round);
		return { roundId, state: round.state };
	}
});

/** A block stands unless a facilitator overrides it, and the reason is recorded with the results. */
export const overrideBlock = defineCommand<'round:override'>({
	roles: ['facilitator'],
	parse(payload) {
		const roundId = parseRoundId(payload);
		const reason = (payload as { reason?: unknown }).reason;
		return roundId && typeof reason === 'string' ? { roundId, reason: reason.trim() } : null;
	},
	async run(context, { roundId, reason }) {
		if (reason === '') refuse('invalid', 'reason_empty');
		if (reason.length > VOTE_REASON_MAX) refuse('invalid', 'reason_too_long');
		const round = await getRound(context, roundId);
		if (!round) refuse('not_found', 'round');
		if (round.mode !== 'consent') refuse('invalid', 'not_consent');
		if (round.state === 'open') refuse('conflict', 'round_open');
		if (round.override) refuse('conflict', 'already_overridden');
		const ballots = await context.services.storage.votes.listBallots(context.workshopId, roundId);
		if (!hasBlock(tallyStored(round, ballots))) refuse('conflict', 'no_block');
		const entry = { reason, byId: context.userId, byName: context.membership.name, at: Date.now() };
		if (!(await context.services.storage.votes.overrideRound(context.workshopId, roundId, entry))) {
			refuse('conflict', 'already_overridden');
		}
		const updated = (await getRound(context, roundId))!;
		await publishRound(context, updated);
		await notifyFacilitators(context, updated);
		return { roundId };
	}
});

export const roundStatus = defineCommand<'round:status'>({
	roles: ['facilitator'],
	parse: (payload) => withRoundId(payload),
	async run(context, { roundId }) {
		const round = await getRound(context, roundId);
		if (!round) refuse('not_found', 'round');
		const ballots = await context.services.storage.votes.listBallots(context.workshopId, roundId);
		return roundProgress(context.services, round, ballots);
	}
});

function withRoundId(payload: unknown): { roundId: string } | null {
	const roundId = parseRoundId(payload);
	return roundId ? { roundId } : null;
}

/** The conditional state change; a refusal names where the round already is. */
async function move(
	context: Parameters<typeof getRound>[0],
	roundId: string,
	to: 'closed' | 'revealed'
): Promise<StoredRound> {
	const votes = context.services.storage.votes;
	if (!(await votes.moveRound(context.workshopId, roundId, to, Date.now()))) {
		const round = await getRound(context, roundId);
		if (!round) refuse('not_found', 'round');
		refuse(
			'conflict',
			round.state === 'open'
				? 'round_open'
				: round.state === 'closed'
					? 'round_closed'
					: 'round_revealed'
		);
	}
	return (await getRound(context, roundId))!;
}
