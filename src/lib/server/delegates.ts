/**
 * "One voice per organisation": each organisation speaks through its delegate. Until the
 * facilitator designates one, the delegate is the organisation's first member to join.
 */
import type { Services } from '../../../server/services';
import type { Membership } from '../../../server/storage/types';

type DelegateServices = Pick<Services, 'storage'>;

/** The delegate of each organisation of the workshop: organisation id -> member. */
export async function listDelegates(services: DelegateServices, workshopId: string): Promise<Map<string, Membership>> {
	const delegates = new Map<string, Membership>();
	for (const member of await services.storage.listMembers(workshopId)) {
		if (member.role === 'observer' || member.organisationId === null) continue;
		if (!delegates.has(member.organisationId)) delegates.set(member.organisationId, member);
	}
	return delegates;
}

export async function getDelegate(
	services: DelegateServices,
	workshopId: string,
	organisationId: string
): Promise<Membership | null> {
	return (await listDelegates(services, workshopId)).get(organisationId) ?? null;
}

export async function isDelegate(services: DelegateServices, member: Membership): Promise<boolean> {
	if (member.organisationId === null) return false;
	return (await getDelegate(services, member.workshopId, member.organisationId))?.userId === member.userId;
}
