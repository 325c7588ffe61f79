import type { PageServerLoad } from './$types';
import { getServices } from '$lib/server/services';
import { requireMember } from '$lib/server/access';
import { loadTimeline } from '$lib/server/history';

/** Any member: the workshop's timeline. */
export const load: PageServerLoad = async ({ params, locals }) => {
	const { workshop } = await requireMember(locals.user, params.id);
	return {
		workshop: { id: workshop.id, title: workshop.title },
		timeline: await loadTimeline(getServices(), workshop.id, workshop.createdAt)
	};
};
