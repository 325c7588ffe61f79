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
export const VOICE_MODES = ['participant', 'organisation'] as const;
export type VoiceMode = (typeof VOICE_MODES)[number];

/** Consent: "d'accord", "des réserves", "je bloque" (a block needs a reason). */
export const CONSENT_CHOICES = ['agree', 'reservations', 'block'] as const;
export type ConsentChoice = (typeof CONSENT_CHOICES)[number];

/** Fist to five: 0 (fist) to 5 (open hand). */
export const GRADIENT_LEVELS = [0, 1, 2, 3, 4, 5] as const;

export const PROPOSAL_WORDING_MAX = 500;
export const PROPOSAL_RATIONALE_MAX = 2000;
/** A block's or a reservation's reason, an override's reason. */
export const VOTE_REASON_MAX = 500;
export const ROUND_PROPOSALS_MAX = 10;
export const DOTS_MAX = 10;

/**
 * The rule a round is judged by, fixed when it opens. Gradient: nobody below `minLevel` and a
 * mean of at least `minMean`. Consent: no block (or a block overridden with a reason). Dots: each
 * voter spreads `dots` dots; the proposal with the most, alone at the top, leads.
 */
export type ConsensusRule =
	| { kind: 'gradient'; minLevel: number; minMean: number }
	| { kind: 'consent' }
	| { kind: 'dots'; dots: number };

/** One voice's position on one proposal: a level (gradient), a choice (consent) or dots. */
export interface VotePosition {
	value: number | ConsentChoice;
	/** Required for a block; optional otherwise (a reservation, a concern). */
	reason?: string;
}

/** A ballot's positions, by proposal id. */
export type VotePositions = Record<string, VotePosition>;

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

/**
 * One voice's position on one proposal, in named rounds only (anonymous rounds have none).
 * Per organisation: `organisation` is the voice; per participant: the voter's organisation (or,
 * without one, their name) with `voter` naming them.
 */
export interface Endorsement {
	proposalId: string;
	organisation: string;
	/** The voter's name when each participant has a voice; null when organisations vote. */
	voter: string | null;
	/** Gradient level (0–5) as text, consent choice, or dots given. */
	position: string;
	reservation: string | null;
	/** Who entered it, when not the voter (a proxy, or a member without a phone). */
	enteredBy: string | null;
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
	/** The rule it is judged by (thresholds fixed when it opened). */
	rule: ConsensusRule;
	state: RoundState;
	openedAt: number;
	closedAt: number | null;
	revealedAt: number | null;
	results: RoundResults | null;
}

export interface RoundResults {
	/** How many voices counted. */
	voices: number;
	/** The rule as a short key (`ruleKey` in tally.ts: `gradient:2:3`, `consent`, `dots:3`). */
	rule: string;
	/** Whether the rule is met: by the round's proposal, or by at least one of several. */
	reached: boolean;
	/** A block overridden by the facilitator, with the recorded reason and the facilitator's name. */
	override: { reason: string; by: string } | null;
	/**
	 * Per proposal: `voices` and `met` (1 or 0) always; gradient `mean`, `min`, `level0`…`level5`;
	 * consent `agree`, `reservations`, `block`; dots `dots`.
	 */
	perProposal: Record<string, Record<string, number>>;
	/** Per proposal: the reasons given (blocks, reservations), sorted, never attributed. */
	notes: Record<string, string[]>;
	/** Ballots entered by someone other than the voter (proxies). */
	proxies: number;
	/** Positions by voice; always empty in an anonymous round. */
	endorsements: Endorsement[];
}

export function readProposals(doc: Y.Doc): Proposal[] {
	return [...doc.getMap('proposals').values()]
		.filter(
			(value): value is Proposal =>
				typeof value === 'object' && value !== null && 'wording' in value
		)
		.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

export function readRounds(doc: Y.Doc): Round[] {
	return [...doc.getMap('rounds').values()]
		.filter(
			(value): value is Round => typeof value === 'object' && value !== null && 'state' in value
		)
		.sort((a, b) => a.openedAt - b.openedAt || a.id.localeCompare(b.id));
}
