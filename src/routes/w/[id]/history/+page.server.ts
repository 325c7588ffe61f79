import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getServices } from '$lib/server/services';
import { requireFacilitator, requireMember } from '$lib/server/access';
import { loadTimeline, saveNamedVersion } from '$lib/server/history';

/** Any member: the workshop's timeline. */
export const load: PageServerLoad = async ({ params, locals }) => {
	const { workshop, membership } = await requireMember(locals.user, params.id);
	return {
		workshop: { id: workshop.id, title: workshop.title },
		facilitator: membership.role === 'facilitator',
		timeline: await loadTimeline(getServices(), workshop.id, workshop.createdAt)
	};
};

export const actions: Actions = {
	/** Facilitators only: saves the board as it stands now under a name. */
	save: async ({ params, locals, request }) => {
		const { workshop, membership } = await requireFacilitator(locals.user, params.id);
		const name = String((await request.formData()).get('name') ?? '');
		const saved = await saveNamedVersion(getServices(), workshop.id, membership, name);
		if (saved === null) return fail(400, { problem: 'name' as const, name });
		return { saved };
	}
};
