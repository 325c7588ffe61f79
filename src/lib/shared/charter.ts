/**
 * The coalition charter: what the facilitator's lock copies into the server-owned `charter` root —
 * the final wording, the round that agreed it, the organisations that endorsed it with their
 * reservations, who does what at that moment, when and by whom. Plain values only, one key per
 * field. Unlocking keeps the last locked version in place and marks it unlocked (with who, when and
 * why): the charter shows what was agreed until a new lock replaces it with version + 1.
 */
import * as Y from 'yjs';
import type { Endorsement, Proposal, Round, RoundResults, VoteMode } from './consensus';

export const CHARTER_STATUSES = ['locked', 'unlocked'] as const;
export type CharterStatus = (typeof CHARTER_STATUSES)[number];

/** A reason (unlock, archive) as typed by the facilitator. */
export const REASON_MAX = 1000;

export interface Charter {
	/** 1 for the first lock, + 1 for each lock after an unlock. */
	version: number;
	status: CharterStatus;
	proposal: { id: string; wording: string; rationale: string };
	round: {
		id: string;
		mode: VoteMode;
		anonymous: boolean;
		voice: Round['voice'];
		revealedAt: number | null;
		results: RoundResults;
	};
	/** The organisations whose position endorses the wording, with their reservations. */
	endorsedBy: Endorsement[];
	/** Step 4 as it stood at the lock. */
	tasks: CharterTask[];
	lockedAt: number;
	/** The facilitator's name. */
	lockedBy: string;
	/** Set while the charter is unlocked. */
	unlock: { at: number; by: string; reason: string } | null;
}

export interface CharterTask {
	id: string;
	title: string;
	description: string;
	/** `YYYY-MM-DD`, or null when none was set. */
	deadline: string | null;
	status: string | null;
	roles: { allyId: string; ally: string; role: string; accepted: boolean }[];
}

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
	const finals = proposals.filter((proposal) => proposal.final && proposal.mergedInto === null);
	const proposal = finals.sort((a, b) => b.updatedAt - a.updatedAt)[0];
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

/** Builds the charter for `proposal` and `round` from the document as it is now. */
export function buildCharter(
	doc: Y.Doc,
	input: {
		proposal: Proposal;
		round: Round & { results: RoundResults };
		version: number;
		lockedAt: number;
		lockedBy: string;
	}
): Charter {
	const { proposal, round } = input;
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
		endorsedBy: round.results.endorsements.filter(
			(entry) => entry.proposalId === proposal.id && endorses(round.mode, entry.position)
		),
		tasks: readWhoDoesWhat(doc),
		lockedAt: input.lockedAt,
		lockedBy: input.lockedBy,
		unlock: null
	});
}

/**
 * Step 4's tasks as plain values. Tolerant of any shape a task may have (another engineer builds
 * them, older documents may lack fields): Y.Text or string texts, a Y.Map or object of roles.
 */
export function readWhoDoesWhat(doc: Y.Doc): CharterTask[] {
	const allies = doc.getMap('allies');
	const acceptances = doc.getMap('acceptances');
	const tasks: (CharterTask & { createdAt: number })[] = [];
	for (const [id, task] of doc.getMap('tasks')) {
		if (!(task instanceof Y.Map)) continue;
		const roles: CharterTask['roles'] = [];
		for (const [allyId, role] of entriesOf(task.get('roles'))) {
			if (typeof role !== 'string') continue;
			const ally = allies.get(allyId);
			roles.push({
				allyId,
				ally: ally instanceof Y.Map ? textOf(ally.get('name')) : '',
				role,
				accepted: acceptances.has(`${id}:${allyId}`)
			});
		}
		const deadline = task.get('deadline');
		const status = task.get('status');
		const createdAt = task.get('createdAt');
		tasks.push({
			id,
			title: textOf(task.get('title')),
			description: textOf(task.get('description')),
			deadline: typeof deadline === 'string' && deadline !== '' ? deadline : null,
			status: typeof status === 'string' ? status : null,
			roles: roles.sort((a, b) => a.ally.localeCompare(b.ally) || a.allyId.localeCompare(b.allyId)),
			createdAt: typeof createdAt === 'number' ? createdAt : 0
		});
	}
	return tasks
		.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
		.map(({ createdAt: _createdAt, ...task }) => task);
}

/** Server only (inside `changeDocument`): writes every field of the charter, one key each. */
export function writeCharter(doc: Y.Doc, charter: Charter): void {
	const root = doc.getMap('charter');
	for (const [key, value] of Object.entries(charter)) root.set(key, value);
}

/** The charter in the document, or null before the first lock (or if its shape is not one). */
export function readCharter(doc: Y.Doc): Charter | null {
	const root = doc.getMap('charter');
	const version = root.get('version');
	const status = root.get('status');
	if (typeof version !== 'number' || !(CHARTER_STATUSES as readonly unknown[]).includes(status))
		return null;
	return root.toJSON() as Charter;
}

/** Trims a facilitator's reason; null when empty or too long. */
export function parseReason(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const reason = value.trim();
	return reason.length > 0 && reason.length <= REASON_MAX ? reason : null;
}

function textOf(value: unknown): string {
	if (value instanceof Y.Text) return value.toString();
	return typeof value === 'string' ? value : '';
}

function entriesOf(value: unknown): [string, unknown][] {
	if (value instanceof Y.Map) return [...value.entries()];
	if (
		value &&
		typeof value === 'object' &&
		!(value instanceof Y.AbstractType) &&
		!Array.isArray(value)
	) {
		return Object.entries(value);
	}
	return [];
}

/** A deep copy with only JSON values (no undefined, no shared references into the document). */
function plain<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}
