/**
 * "An organisation endorses, a person votes." Once the group agreed the common objective, each
 * organisation endorses its wording — through its delegate from a phone, or the facilitator
 * recording it for them in the room — optionally with a reservation in words. Endorsements live in
 * the server-owned `endorsements` root, one per organisation (organisation id -> Endorsement),
 * written only by the `endorsement:set` command: they never name a voter, so an anonymous round
 * stays anonymous, and the charter names the organisations that endorsed.
 */
import type * as Y from 'yjs';
import type { Proposal } from './consensus';

export const ENDORSEMENT_RESERVATION_MAX = 500;

export interface OrganisationEndorsement {
	organisationId: string;
	/** The organisation's name when it endorsed (names can be merged or corrected later). */
	organisation: string;
	/** The wording it endorsed: a new final wording asks for a new endorsement. */
	proposalId: string;
	wording: string;
	reservation: string | null;
	/** Who recorded it: the delegate, or the facilitator in the room (then `recordedBy`). */
	by: string;
	byUserId: string;
	/** The facilitator's name when they recorded it for the organisation; null from the delegate. */
	recordedBy: string | null;
	at: number;
}

/** The common objective organisations endorse: the final wording (the latest if several). */
export function currentObjective(proposals: readonly Proposal[]): Proposal | null {
	const finals = proposals.filter((proposal) => proposal.final && proposal.mergedInto === null);
	return finals.sort((a, b) => b.updatedAt - a.updatedAt)[0] ?? null;
}

/** Whether the endorsement is of `proposal` as it is worded now. */
export function endorsesWording(
	endorsement: Pick<OrganisationEndorsement, 'proposalId' | 'wording'>,
	proposal: Pick<Proposal, 'id' | 'wording'>
): boolean {
	return endorsement.proposalId === proposal.id && endorsement.wording === proposal.wording;
}

/** Trims a reservation; '' is none; null when it is not text or too long. */
export function parseReservation(value: unknown): { reservation: string | null } | null {
	if (value === null || value === undefined) return { reservation: null };
	if (typeof value !== 'string') return null;
	const reservation = value.trim();
	if (reservation.length > ENDORSEMENT_RESERVATION_MAX) return null;
	return { reservation: reservation === '' ? null : reservation };
}

/** The `endorsements` root: organisation id -> endorsement (entries of another shape skipped). */
export function readEndorsements(doc: Y.Doc): Map<string, OrganisationEndorsement> {
	const endorsements = new Map<string, OrganisationEndorsement>();
	for (const [organisationId, value] of doc.getMap('endorsements')) {
		if (isEndorsement(value) && value.organisationId === organisationId)
			endorsements.set(organisationId, value);
	}
	return endorsements;
}

export function isEndorsement(value: unknown): value is OrganisationEndorsement {
	if (typeof value !== 'object' || value === null) return false;
	const entry = value as Partial<OrganisationEndorsement>;
	return (
		typeof entry.organisationId === 'string' &&
		typeof entry.organisation === 'string' &&
		typeof entry.proposalId === 'string' &&
		typeof entry.wording === 'string' &&
		(entry.reservation === null || typeof entry.reservation === 'string') &&
		typeof entry.by === 'string' &&
		typeof entry.at === 'number'
	);
}
