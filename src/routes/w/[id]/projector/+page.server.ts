import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getServices } from '$lib/server/services';
import { getWorkshop } from '$lib/server/workshops';
import { getMembership, memberColour } from '$lib/server/memberships';
import { isValidDocName } from '$lib/shared/protocol';
import { m } from '$lib/paraglide/messages';

/** The projector shows the live board to the room: any member may open it (usually the facilitator). */
export const load: PageServerLoad = async ({ params, locals }) => {
	if (!locals.user) redirect(303, '/signin');
	const services = getServices();
	const workshop = isValidDocName(params.id) ? await getWorkshop(services, params.id) : null;
	if (!workshop) error(404, { message: m.error_not_found() });
	const membership = await getMembership(services, workshop.id, locals.user.id);
	if (!membership) error(403, { message: m.error_access_ended() });
	return {
		workshop: { id: workshop.id, title: workshop.title },
		member: {
			userId: membership.userId,
			name: membership.name,
			organisation: membership.organisation,
			role: membership.role,
			colour: memberColour(membership.userId)
		}
	};
};
