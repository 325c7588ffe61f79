/**
 * A workshop's members as the facilitator manages them (removing someone, adding someone without
 * a phone) and as a member corrects their own name and organisation.
 */
import type { CoreServices } from './ports/services';
import type { Membership } from './ports/storage';
import { CloseCode } from '../shared/close-codes';
import { newId } from '../shared/ids';

type MemberServices = Pick<CoreServices, 'storage' | 'live'>;

/**
 * Ends the membership and closes the member's sockets with 4403. Coming back takes a new join
 * (with a link or code that still works).
 */
export async function removeMember(
	services: MemberServices,
	workshopId: string,
	userId: string
): Promise<boolean> {
	const removed = await services.storage.deleteMembership(workshopId, userId);
	services.live.disconnectMember(
		workshopId,
		userId,
		CloseCode.forbidden,
		'removed from the workshop'
	);
	return removed;
}

/**
 * A participant without a phone, whose input the facilitator enters for them: a guest user with
 * no session (no device can act as them) and a membership.
 */
export async function addMemberWithoutDevice(
	services: Pick<CoreServices, 'storage'>,
	workshopId: string,
	input: { name: string; organisation: string },
	now = Date.now()
): Promise<Membership> {
	const userId = newId();
	await services.storage.createUser({
		id: userId,
		kind: 'guest',
		login: `guest:${userId}`,
		passwordHash: '',
		createdAt: now
	});
	return services.storage.upsertMembership({
		workshopId,
		userId,
		role: 'participant',
		name: input.name,
		organisation: input.organisation,
		grantedBy: 'added',
		joinedAt: now
	});
}

/** A member corrects their own name and organisation (never their role). */
export async function updateOwnDetails(
	services: Pick<CoreServices, 'storage' | 'live'>,
	workshopId: string,
	userId: string,
	input: { name: string; organisation: string }
): Promise<Membership | null> {
	const updated = await services.storage.updateMembership(workshopId, userId, input);
	if (updated) await services.live.refreshPresence(workshopId, userId);
	return updated;
}

export async function listMembers(
	services: Pick<CoreServices, 'storage'>,
	workshopId: string
): Promise<Membership[]> {
	return services.storage.listMembers(workshopId);
}
