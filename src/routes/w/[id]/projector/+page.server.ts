import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getServices } from '$lib/server/services';
import { getWorkshop } from '$lib/server/workshops';
import { getMembership, memberColour } from '$lib/server/joining';
import { getJoinDetails } from '$lib/server/join-details';
import { isValidDocName } from '$lib/shared/protocol';
import { m } from '$lib/paraglide/messages';

/** The projector shows the live board to the room: any member may open it (usually the facilitator). */
export const load: PageServerLoad = async ({ params, locals, url }) => {
	if (!locals.user) redirect(303, '/signin');
	const services = getServices();
	const workshop = isValidDocName(params.id) ? await getWorkshop(services, params.id) : null;
	if (!workshop) error(404, { message: m.error_not_found() });
	const membership = await getMembership(services, workshop.id, locals.user.id);
	if (!membership) error(403, { message: m.error_not_member(), code: 'not-member' });
	// The way in is the facilitators' to show: an observer's screen never gets the participant code.
	const join =
		membership.role === 'facilitator'
			? await getJoinDetails(services, workshop.id, url.origin, m.settings_qr_label())
			: null;
	return {
		workshop: { id: workshop.id, title: workshop.title },
		join: join && {
			code: join.joinCode,
			shortJoinUrl: join.shortJoinUrl,
			inviteUrl: join.inviteUrl,
			qrSvg: join.qrSvg
		},
		member: {
			userId: membership.userId,
			name: membership.name,
			organisation: membership.organisation,
			role: membership.role,
			colour: memberColour(membership.userId)
		}
	};
};
