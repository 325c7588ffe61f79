import type { PageServerLoad } from './$types';
import { getServices } from '$lib/server/services';
import { requireMember } from '$lib/server/access';
import { loadRecord } from '$lib/server/record';
import { isArchived } from '$lib/shared/archive';
import { readFollowUpPeriod } from '$lib/shared/follow-up';
import { isDelegate } from '$lib/server/delegates';

/** The coalition's record: any member (an observer's link after the forum lands here). */
export const load: PageServerLoad = async ({ params, locals }) => {
	const { workshop, membership } = await requireMember(locals.user, params.id);
	const services = getServices();
	const { record, organisations } = await loadRecord(services, workshop.id);
	const { archived, followUp } = await services.registry.readDocument(workshop.id, (doc) => ({
		archived: isArchived(doc),
		followUp: readFollowUpPeriod(doc)
	}));
	const { id, title, date, place, language, issue } = workshop;
	return {
		workshop: { id, title, date, place, language, issue },
		record,
		archived,
		followUp,
		organisations: [...organisations].map(([organisationId, name]) => ({
			id: organisationId,
			name
		})),
		member: {
			name: membership.name,
			role: membership.role,
			organisationId: membership.organisationId,
			delegate: await isDelegate(services, membership)
		}
	};
};
