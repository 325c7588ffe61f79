/**
 * A workshop's organisations: server records that members point to. The facilitator merges
 * duplicates ("CARE Mali" / "Care-Mali") and designates each one's delegate (delegates.ts says
 * who speaks for an organisation).
 */
import type { CoreServices } from './ports/services';
import { delegateAmong, mayBeDelegate } from './delegates';

type OrganisationServices = Pick<CoreServices, 'storage'>;

/** Every organisation with its members (in joining order) and its delegate. */
export async function listOrganisationsWithMembers(
	services: OrganisationServices,
	workshopId: string
) {
	const [organisations, members] = await Promise.all([
		services.storage.listOrganisations(workshopId),
		services.storage.listMembers(workshopId)
	]);
	return organisations.map((organisation) => {
		const delegate = delegateAmong(organisation, members);
		return {
			organisation,
			members: members.filter((member) => member.organisationId === organisation.id),
			delegate,
			/** Whether the delegate is the facilitator's choice rather than the default. */
			designated: delegate !== null && delegate.userId === organisation.delegateUserId
		};
	});
}

/** Members of `mergedId` move to `keptId`, which keeps its name and delegate; `mergedId` goes. */
export async function mergeOrganisations(
	services: Pick<CoreServices, 'storage' | 'live'>,
	workshopId: string,
	keptId: string,
	mergedId: string
): Promise<boolean> {
	const merged = await services.storage.mergeOrganisations(workshopId, keptId, mergedId);
	if (merged) await services.live.refreshPresence(workshopId);
	return merged;
}

/** Designates `userId`, a member of that organisation (not an observer); null restores the default. */
export async function setDelegate(
	services: OrganisationServices,
	workshopId: string,
	organisationId: string,
	userId: string | null
): Promise<boolean> {
	if (
		userId !== null &&
		!mayBeDelegate(await services.storage.getMembership(workshopId, userId), organisationId)
	) {
		return false;
	}
	return services.storage.setOrganisationDelegate(workshopId, organisationId, userId);
}
