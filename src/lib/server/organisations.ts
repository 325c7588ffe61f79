/**
 * A workshop's organisations: server records that members point to. The facilitator merges
 * duplicates ("CARE Mali" / "Care-Mali") and designates each one's delegate, by default its
 * first member to join: the one voice of that organisation where the method wants one.
 */
import type { Services } from '../../../server/services';
import type { Membership, Organisation } from '../../../server/storage/types';

type OrganisationServices = Pick<Services, 'storage'>;

/**
 * The organisation's delegate: the member the facilitator designated while they still belong to
 * it, otherwise its first member to join. Null for an unknown organisation or one with no member.
 */
export async function getDelegate(
	services: OrganisationServices,
	workshopId: string,
	organisationId: string
): Promise<Membership | null> {
	const organisations = await services.storage.listOrganisations(workshopId);
	const organisation = organisations.find((candidate) => candidate.id === organisationId);
	if (!organisation) return null;
	const members = (await services.storage.listMembers(workshopId)).filter((m) => m.organisationId === organisationId);
	return delegateOf(organisation, members);
}

/** `members`: the organisation's members in the order they joined. */
function delegateOf(organisation: Organisation, members: Membership[]): Membership | null {
	const designated = members.find((member) => member.userId === organisation.delegateUserId);
	return designated ?? members[0] ?? null;
}

/** Every organisation with its members (in joining order) and its delegate. */
export async function listOrganisationsWithMembers(services: OrganisationServices, workshopId: string) {
	const [organisations, members] = await Promise.all([
		services.storage.listOrganisations(workshopId),
		services.storage.listMembers(workshopId)
	]);
	return organisations.map((organisation) => {
		const own = members.filter((member) => member.organisationId === organisation.id);
		return {
			organisation,
			members: own,
			delegate: delegateOf(organisation, own),
			designated: own.some((member) => member.userId === organisation.delegateUserId)
		};
	});
}

/** Members of `mergedId` move to `keptId`, which keeps its name and delegate; `mergedId` goes. */
export async function mergeOrganisations(
	services: OrganisationServices,
	workshopId: string,
	keptId: string,
	mergedId: string
): Promise<boolean> {
	return services.storage.mergeOrganisations(workshopId, keptId, mergedId);
}

/** Designates `userId`, who must be a member of that organisation; null restores the default. */
export async function setDelegate(
	services: OrganisationServices,
	workshopId: string,
	organisationId: string,
	userId: string | null
): Promise<boolean> {
	if (userId !== null) {
		const membership = await services.storage.getMembership(workshopId, userId);
		if (membership?.organisationId !== organisationId) return false;
	}
	return services.storage.setOrganisationDelegate(workshopId, organisationId, userId);
}
