/**
 * The coalition charter: the agreement as a whole, as the facilitator's lock copies it into the
 * server-owned `charter` root — the common objective the group agreed by consensus (its wording and
 * the round that agreed it), the organisations that endorsed it with their reservations, who does
 * what (with acceptances), step 5's principles and rhythm, and in Option 1 the decision on each
 * coalition; when and by whom. Plain values only, one key per field. Each lock is a version: the
 * facilitator locks again as the forum progresses (version + 1, the earlier one kept in history).
 * Unlocking keeps the last locked version in place and marks it unlocked (with who, when and why).
 */
import type * as Y from 'yjs';
import type { Proposal, Round, RoundResults, VoteMode } from './consensus';
import { REASON_MAX, type Charter } from './charter-read';
import { currentObjective } from './endorsements';
import { readPathOption } from './steps';
import {
	assembleEndorsements,
	readCoalitionDecisions,
	readAdoptedPrinciples,
	readRhythm,
	readWhoDoesWhat,
	type CharterOrganisation
} from './charter-sections';

export type {
	CharterCoalition,
	CharterEndorsement,
	CharterOrganisation,
	CharterPrinciple,
	CharterTask
} from './charter-sections';
export { readWhoDoesWhat } from './charter-sections';
export { CHARTER_STATUSES, readCharter, REASON_MAX } from './charter-read';
export type { Charter, CharterStatus } from './charter-read';

/** Why a lock is refused (the command's `reason`). */
export type LockRefusal = 'no_final_proposal' | 'no_revealed_round' | 'no_consensus';

/**
 * The lock rule: there is a final proposal (`final`, not merged away; the latest updated if
 * several), and the LATEST revealed consensus round on it (gradient or consent; dot voting ranks
 * proposals, it does not decide) reached consensus or had its block overridden with a reason. A
 * later failed round outweighs an earlier success: the group's latest position is the one locked.
 */
export function findLockable(
	proposals: readonly Proposal[],
	rounds: readonly Round[]
):
	| { ok: true; proposal: Proposal; round: Round & { results: RoundResults } }
	| { ok: false; reason: LockRefusal } {
	const proposal = currentObjective(proposals);
	if (!proposal) return { ok: false, reason: 'no_final_proposal' };
	const revealed = rounds
		.filter(
			(round): round is Round & { results: RoundResults } =>
				round.state === 'revealed' &&
				round.results !== null &&
				round.mode !== 'dots' &&
				round.proposalIds.includes(proposal.id)
		)
		.sort((a, b) => (b.revealedAt ?? b.openedAt) - (a.revealedAt ?? a.openedAt));
	const round = revealed[0];
	if (!round) return { ok: false, reason: 'no_revealed_round' };
	// A round may hold several proposals: what counts is whether THIS one met the rule.
	const met = round.results.perProposal[proposal.id]?.met === 1;
	if (!met && round.results.override === null) return { ok: false, reason: 'no_consensus' };
	return { ok: true, proposal, round };
}

/**
 * Whether a position supports the wording: gradient 2 and above ("I can live with it"; the rule
 * is "nobody below 2"), consent anything but a block, dots any dot given.
 */
export function endorses(mode: VoteMode, position: string): boolean {
	if (mode === 'consent') return position !== 'block';
	const value = Number(position);
	if (!Number.isFinite(value)) return false;
	return mode === 'gradient' ? value >= 2 : value > 0;
}

/**
 * Builds the charter for `proposal` and `round` from the document as it is now. `organisations`:
 * the workshop's organisations (the server's records), to name those that have not endorsed.
 */
export function buildCharter(
	doc: Y.Doc,
	input: {
		proposal: Proposal;
		round: Round & { results: RoundResults };
		version: number;
		lockedAt: number;
		lockedBy: string;
		organisations?: readonly CharterOrganisation[];
	}
): Charter {
	const { proposal, round } = input;
	const endorsements = assembleEndorsements(doc, proposal, round, input.organisations ?? []);
	return plain({
		version: input.version,
		status: 'locked',
		proposal: { id: proposal.id, wording: proposal.wording, rationale: proposal.rationale },
		round: {
			id: round.id,
			mode: round.mode,
			anonymous: round.anonymous,
			voice: round.voice,
			revealedAt: round.revealedAt,
			results: round.results
		},
		endorsedBy: endorsements.endorsedBy,
		notEndorsed: endorsements.notEndorsed,
		tasks: readWhoDoesWhat(doc),
		principles: readAdoptedPrinciples(doc),
		rhythm: readRhythm(doc),
		path: readPathOption(doc),
		coalitions: readCoalitionDecisions(doc),
		lockedAt: input.lockedAt,
		lockedBy: input.lockedBy,
		unlock: null
	});
}

/** Whether two charters say the same thing (who locked it, when and its version aside). */
export function sameAgreement(a: Charter, b: Charter): boolean {
	return JSON.stringify(agreementOf(a)) === JSON.stringify(agreementOf(b));
}

function agreementOf(charter: Charter) {
	const { proposal, round, endorsedBy, notEndorsed, tasks, principles, rhythm, path, coalitions } =
		charter;
	const endorsers = endorsedBy.map(({ at: _at, ...rest }) => rest);
	return [proposal, round.id, endorsers, notEndorsed, tasks, principles, rhythm, path, coalitions];
}

/** Server only (inside `changeDocument`): writes every field of the charter, one key each. */
export function writeCharter(doc: Y.Doc, charter: Charter): void {
	const root = doc.getMap('charter');
	for (const [key, value] of Object.entries(charter)) root.set(key, value);
}

/** Trims a facilitator's reason; null when empty or too long. */
export function parseReason(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const reason = value.trim();
	return reason.length > 0 && reason.length <= REASON_MAX ? reason : null;
}

/** A deep copy with only JSON values (no undefined, no shared references into the document). */
function plain<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}
