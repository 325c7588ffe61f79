/** The common objective's proposals: anyone proposes; the author or a facilitator edits; a facilitator merges. */
import type * as Y from 'yjs';
import { defineCommand, refuse, type CommandContext } from './command';
import {
	PROPOSAL_RATIONALE_MAX,
	PROPOSAL_WORDING_MAX,
	ROUND_PROPOSALS_MAX,
	type Proposal
} from '../../shared/consensus';
import type { ProposalText } from '../../shared/events';
import { newId } from '../../shared/ids';

export const addProposal = defineCommand<'proposal:add'>({
	roles: ['facilitator', 'participant'],
	parse(payload) {
		const text = parseText(payload);
		return text && { ...text, key: (payload as { key: string }).key };
	},
	async run({ changeDocument, membership }, { wording, rationale }) {
		checkText({ wording, rationale });
		const now = Date.now();
		const proposal: Proposal = {
			id: newId(),
			wording,
			rationale,
			authorId: membership.userId,
			authorName: membership.name,
			createdAt: now,
			updatedAt: now,
			mergedInto: null,
			final: false
		};
		await changeDocument((doc) => proposals(doc).set(proposal.id, proposal));
		return { proposalId: proposal.id };
	},
	idempotent: { scope: () => null }
});

export const editProposal = defineCommand<'proposal:edit'>({
	roles: ['facilitator', 'participant'],
	parse(payload) {
		const text = parseText(payload);
		const proposalId = (payload as { proposalId?: unknown }).proposalId;
		return text && typeof proposalId === 'string' ? { ...text, proposalId } : null;
	},
	async run(context, { proposalId, wording, rationale }) {
		checkText({ wording, rationale });
		const proposal = await getProposal(context, proposalId);
		if (context.membership.role !== 'facilitator' && proposal.authorId !== context.userId) {
			refuse('forbidden', 'not_author');
		}
		if (proposal.mergedInto !== null) refuse('conflict', 'merged');
		await refuseIfVoting(context, [proposalId]);
		const edited: Proposal = { ...proposal, wording, rationale, updatedAt: Date.now() };
		await context.changeDocument((doc) => proposals(doc).set(proposalId, edited));
		return { proposalId };
	}
});

/**
 * The facilitator's final wording: a new proposal (`final`), the sources marked merged into it.
 * One final wording at a time: an earlier one stops being final.
 */
export const mergeProposals = defineCommand<'proposal:merge'>({
	roles: ['facilitator'],
	parse(payload) {
		const text = parseText(payload);
		const ids = (payload as { proposalIds?: unknown }).proposalIds;
		if (!text || !isIdList(ids)) return null;
		return { ...text, proposalIds: ids, key: (payload as { key: string }).key };
	},
	async run(context, { proposalIds, wording, rationale }) {
		checkText({ wording, rationale });
		const sources = await Promise.all(proposalIds.map((id) => getProposal(context, id)));
		if (sources.some((source) => source.mergedInto !== null)) refuse('conflict', 'merged');
		await refuseIfVoting(context, proposalIds);
		const now = Date.now();
		const id = newId();
		const merged: Proposal = {
			id,
			wording,
			rationale,
			authorId: context.userId,
			authorName: context.membership.name,
			createdAt: now,
			updatedAt: now,
			mergedInto: null,
			final: true
		};
		await context.changeDocument((doc) => {
			const root = proposals(doc);
			for (const [otherId, other] of root) {
				const value = other as Proposal;
				if (value.final) root.set(otherId, { ...value, final: false, updatedAt: now });
			}
			for (const source of sources)
				root.set(source.id, { ...source, mergedInto: id, final: false, updatedAt: now });
			root.set(id, merged);
		});
		return { proposalId: id };
	},
	idempotent: { scope: () => null }
});

function proposals(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap('proposals');
}

async function getProposal(context: CommandContext, id: string): Promise<Proposal> {
	const proposal = (await context.readDocument((doc) => proposals(doc).get(id))) as
		Proposal | undefined;
	if (!proposal || typeof proposal !== 'object') refuse('not_found', 'proposal');
	return proposal;
}

/** A proposal people are voting on keeps its wording until the round closes. */
async function refuseIfVoting(context: CommandContext, ids: string[]): Promise<void> {
	const rounds = await context.services.storage.votes.listRounds(context.workshopId);
	const open = rounds.filter((round) => round.state === 'open');
	if (open.some((round) => round.proposalIds.some((id) => ids.includes(id))))
		refuse('conflict', 'in_open_round');
}

/** Wording and rationale (optional), trimmed; null when not text. Limits: `checkText`. */
function parseText(payload: unknown): ProposalText | null {
	if (typeof payload !== 'object' || payload === null) return null;
	const { wording, rationale } = payload as { wording?: unknown; rationale?: unknown };
	if (typeof wording !== 'string' || (rationale !== undefined && typeof rationale !== 'string'))
		return null;
	return { wording: wording.trim(), rationale: (rationale ?? '').trim() };
}

/** Refused with a reason the form can show: an empty wording, a text over its limit. */
function checkText({ wording, rationale }: ProposalText): void {
	if (wording === '') refuse('invalid', 'wording_empty');
	if (wording.length > PROPOSAL_WORDING_MAX) refuse('invalid', 'wording_too_long');
	if (rationale.length > PROPOSAL_RATIONALE_MAX) refuse('invalid', 'rationale_too_long');
}

export function isIdList(value: unknown): value is string[] {
	return (
		Array.isArray(value) &&
		value.length >= 1 &&
		value.length <= ROUND_PROPOSALS_MAX &&
		value.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 100) &&
		new Set(value).size === value.length
	);
}
