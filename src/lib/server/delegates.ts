/**
 * "One voice per organisation": each organisation speaks through its delegate, the member the
 * facilitator designated (src/lib/server/organisations.ts) while they still belong to it, otherwise
 * its first member to join. Observers are never anyone's voice.
 */
import type { CoreServices } from './ports/services';
import type { Membership, Organisation } from './ports/storage';

type DelegateServices = Pick<CoreServices, 'storage'>;

/** The delegate of each organisation of the workshop: organisation id -> member. */
export async function listDelegates(
	services: DelegateServices,
	workshopId: string
): Promise<Map<string, Membership>> {
	const [organisations, members] = await Promise.all([
		services.storage.listOrganisations(workshopId),
		services.storage.listMembers(workshopId)
	]);
	const delegates = new Map<string, Membership>();
	for (const organisation of organisations) {
		const delegate = delegateAmong(organisation, members);
		if (delegate) delegates.set(organisation.id, delegate);
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
	return (
		(await getDelegate(services, member.workshopId, member.organisationId))?.userId ===
		member.userId
	);
}

/** The organisation's delegate among the workshop's `members` (in joining order), or null. */
export function delegateAmong(
	organisation: Organisation,
	members: Membership[]
): Membership | null {
	const voices = members.filter(
		(member) => member.organisationId === organisation.id && member.role !== 'observer'
	);
	return (
		voices.find((member) => member.userId === organisation.delegateUserId) ?? voices[0] ?? null
	);
}

/** Who may be designated: a member of that organisation who is not an observer. */
export function mayBeDelegate(member: Membership | null, organisationId: string): boolean {
	return member !== null && member.organisationId === organisationId && member.role !== 'observer';
}
