/**
 * An organisation endorses the agreed objective: its delegate from a phone, or a facilitator
 * recording it for them in the room (src/lib/shared/endorsements.ts). Stored per organisation in
 * the server-owned `endorsements` root, never per voter: a person's vote stays as secret as its
 * round, the organisation's endorsement is public.
 */
import { defineCommand, refuse } from './command';
import { asRecord, isId } from './inputs';
import { isDelegate } from '../delegates';
import { findLockable } from '../../shared/charter';
import { readProposals, readRounds } from '../../shared/consensus';
import { parseReservation, type OrganisationEndorsement } from '../../shared/endorsements';

export const setEndorsement = defineCommand<'endorsement:set'>({
	roles: ['facilitator', 'participant'],
	parse(raw) {
		const payload = asRecord(raw);
		if (!payload || !isId(payload.organisationId) || typeof payload.endorse !== 'boolean')
			return null;
		const parsed = parseReservation(payload.reservation);
		if (!parsed) return null;
		return {
			organisationId: payload.organisationId,
			endorse: payload.endorse,
			reservation: parsed.reservation,
			key: payload.key as string
		};
	},
	idempotent: { scope: (payload) => `endorsement:${payload.organisationId}` },
	async run(context, { organisationId, endorse, reservation }) {
		const { services, membership: member } = context;
		const organisation = (await services.storage.listOrganisations(context.workshopId)).find(
			(entry) => entry.id === organisationId
		);
		if (!organisation) refuse('not_found', 'organisation');
		const facilitator = member.role === 'facilitator';
		if (
			!facilitator &&
			(member.organisationId !== organisationId || !(await isDelegate(services, member)))
		) {
			refuse('forbidden', 'not_delegate');
		}
		const at = Date.now();
		await context.changeDocument((doc) => {
			const root = doc.getMap('endorsements');
			if (!endorse) {
				root.delete(organisationId);
				return;
			}
			// What is endorsed is the objective the group agreed: the wording the lock would take.
			const lockable = findLockable(readProposals(doc), readRounds(doc));
			if (!lockable.ok) refuse('conflict', lockable.reason);
			const endorsement: OrganisationEndorsement = {
				organisationId,
				organisation: organisation.name,
				proposalId: lockable.proposal.id,
				wording: lockable.proposal.wording,
				reservation: reservation ?? null,
				by: member.name,
				byUserId: member.userId,
				recordedBy: facilitator ? member.name : null,
				at
			};
			root.set(organisationId, endorsement);
		});
		return { organisationId, endorsed: endorse };
	}
});
