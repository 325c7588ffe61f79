/**
 * The charter's shape and its reader: all the board's first load needs (the charter shows once
 * locked), kept apart from the lock's assembly (charter.ts) so the first load does not carry it.
 */
import type * as Y from 'yjs';
import type { Round, RoundResults, VoteMode } from './consensus';
import type { PathOption } from './steps';
import type {
	CharterCoalition,
	CharterEndorsement,
	CharterPrinciple,
	CharterTask
} from './charter-sections';

export const CHARTER_STATUSES = ['locked', 'unlocked'] as const;
export type CharterStatus = (typeof CHARTER_STATUSES)[number];

/** A reason (unlock, archive) as typed by the facilitator. */
export const REASON_MAX = 1000;

export interface Charter {
	/** 1 for the first lock, + 1 for each lock after it. */
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
	/** The organisations that endorsed this wording, with their reservations. */
	endorsedBy: CharterEndorsement[];
	/** The workshop's organisations that had not endorsed it at the lock. */
	notEndorsed: string[];
	/** Step 4 as it stood at the lock. */
	tasks: CharterTask[];
	/** Step 5: the principles the group adopted, and its meeting rhythm ('' when none). */
	principles: CharterPrinciple[];
	rhythm: string;
	/** What the workshop ran: which sections belong to this charter. */
	path: PathOption;
	/** Option 1: each candidate coalition and the decision on it (null: none yet). */
	coalitions: CharterCoalition[];
	lockedAt: number;
	/** The facilitator's name. */
	lockedBy: string;
	/** Set while the charter is unlocked. */
	unlock: { at: number; by: string; reason: string } | null;
}

/**
 * The charter in the document, or null before the first lock (or if its shape is not one). A
 * charter locked before the charter held the whole agreement lacks its later sections: they read
 * as empty, and its endorsements (positions of a named round) as endorsements by vote.
 */
export function readCharter(doc: Y.Doc): Charter | null {
	const root = doc.getMap('charter');
	const version = root.get('version');
	const status = root.get('status');
	if (typeof version !== 'number' || !(CHARTER_STATUSES as readonly unknown[]).includes(status))
		return null;
	const stored = root.toJSON() as Partial<Charter>;
	return {
		...(stored as Charter),
		endorsedBy: (stored.endorsedBy ?? []).map((entry) => ({
			organisation: entry.organisation,
			organisationId: entry.organisationId ?? null,
			reservation: entry.reservation ?? null,
			via: entry.via ?? 'vote',
			by: entry.by ?? null,
			recordedBy: entry.recordedBy ?? null,
			at: entry.at ?? null
		})),
		notEndorsed: stored.notEndorsed ?? [],
		tasks: stored.tasks ?? [],
		principles: stored.principles ?? [],
		rhythm: stored.rhythm ?? '',
		path: stored.path ?? 'both',
		coalitions: stored.coalitions ?? [],
		unlock: stored.unlock ?? null
	};
}
