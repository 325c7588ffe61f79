/**
 * The common objective's shapes in the document: proposals and voting rounds, both in server-owned
 * roots (plain values written by the server's commands). The voting code writes them; the charter
 * (the lock) and the projector read them. Votes themselves live only in the database.
 */
import * as Y from 'yjs';

export const VOTE_MODES = ['gradient', 'consent', 'dots'] as const;
export type VoteMode = (typeof VOTE_MODES)[number];

export const ROUND_STATES = ['open', 'closed', 'revealed'] as const;
export type RoundState = (typeof ROUND_STATES)[number];

/** Who counts: every participant, or each organisation through its delegate (or a proxy). */
export type VoiceMode = 'participant' | 'organisation';

/** `proposals` root: proposal id -> Proposal. */
export interface Proposal {
	id: string;
	wording: string;
	rationale: string;
	authorId: string;
	authorName: string;
	createdAt: number;
	updatedAt: number;
	/** Set when the facilitator merged it into another proposal (the final wording). */
	mergedInto: string | null;
	/** The facilitator's final wording, the one the charter takes. */
	final: boolean;
}

/** An organisation's (or, per participant, a member's organisation's) position in a round. */
export interface Endorsement {
	organisation: string;
	/** Gradient level (0–5) as text, consent choice, or dots given. */
	position: string;
	reservation: string | null;
}

/** `rounds` root: round id -> Round. Results appear only once revealed (or live, named rounds). */
export interface Round {
	id: string;
	proposalIds: string[];
	mode: VoteMode;
	anonymous: boolean;
	/** Results visible while open (named rounds only). */
	live: boolean;
	voice: VoiceMode;
	state: RoundState;
	openedAt: number;
	closedAt: number | null;
	revealedAt: number | null;
	results: RoundResults | null;
}

export interface RoundResults {
	/** How many voices counted. */
	voices: number;
	/** The consensus rule as shown, and whether the result meets it. */
	rule: string;
	reached: boolean;
	/** A block overridden by the facilitator, with the recorded reason. */
	override: { reason: string; by: string } | null;
	/** Per proposal: the mode's summary (gradient mean/min/levels, consent counts, dots). */
	perProposal: Record<string, Record<string, number>>;
	/** Positions by organisation; never names a voter in an anonymous round. */
	endorsements: Endorsement[];
}

export function readProposals(doc: Y.Doc): Proposal[] {
	return [...doc.getMap('proposals').values()]
		.filter((value): value is Proposal => typeof value === 'object' && value !== null && 'wording' in value)
		.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

export function readRounds(doc: Y.Doc): Round[] {
	return [...doc.getMap('rounds').values()]
		.filter((value): value is Round => typeof value === 'object' && value !== null && 'state' in value)
		.sort((a, b) => a.openedAt - b.openedAt || a.id.localeCompare(b.id));
}
