import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getServices } from '$lib/server/services';
import { updateOwnDetails } from '$lib/server/members';
import { validateMemberName, validateOrganisationName } from '$lib/server/joining';
import { deleteSessionCookie, invalidateSession } from '$lib/server/session';

/** A member's own name and organisation in each workshop, and "this is not me". */
export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) redirect(303, '/signin');
	const services = getServices();
	const memberships = await services.storage.listMemberships(locals.user.id);
	return {
		guest: locals.user.kind === 'guest',
		memberships: await Promise.all(
			memberships.map(async (membership) => ({
				workshopId: membership.workshopId,
				title: membership.workshopTitle,
				name: membership.name,
				organisation: membership.organisation ?? '',
				organisations: (await services.storage.listOrganisations(membership.workshopId)).map(
					(o) => o.name
				)
			}))
		)
	};
};

export const actions: Actions = {
	/** Only the signed-in member's own membership: the workshop comes from the form, the user from the session. */
	update: async ({ locals, request }) => {
		if (!locals.user) redirect(303, '/signin');
		const form = await request.formData();
		const workshopId = String(form.get('workshopId') ?? '').slice(0, 100);
		const name = validateMemberName(String(form.get('name') ?? '').slice(0, 200));
		const organisation = validateOrganisationName(
			String(form.get('organisation') ?? '').slice(0, 200)
		);
		if (!name || !organisation)
			return fail(400, {
				workshopId,
				error: !name ? ('name' as const) : ('organisation' as const)
			});
		const updated = await updateOwnDetails(getServices(), workshopId, locals.user.id, {
			name,
			organisation
		});
		if (!updated) return fail(404, { workshopId, error: 'membership' as const });
		return { workshopId, saved: true };
	},
	/** The device is someone else's: its session ends, the cookie goes, they join again with the code. */
	notMe: async (event) => {
		if (event.locals.session) await invalidateSession(getServices(), event.locals.session.id);
		deleteSessionCookie(event);
		redirect(303, '/join');
	}
};
