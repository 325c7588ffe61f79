import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getServices } from '$lib/server/services';
import {
	getMembership,
	joinWorkshop,
	resolveLinkToken,
	validateMemberName,
	validateOrganisationName
} from '$lib/server/joining';
import { setSessionCookie } from '$lib/server/session';
import { getWorkshop, isWorkshopArchived } from '$lib/server/workshops';
import { m } from '$lib/paraglide/messages';

async function resolve(token: string) {
	const services = getServices();
	const link = await resolveLinkToken(services, token);
	const workshop = link ? await getWorkshop(services, link.workshopId) : null;
	if (!link || !workshop) error(404, { message: m.join_link_invalid(), code: 'link-invalid' });
	// Observers (the member organisations reading the result) still come in after the forum.
	if (link.role === 'participant' && (await isWorkshopArchived(services, workshop.id))) {
		error(410, { message: m.join_archived(), code: 'workshop-archived' });
	}
	return { link, workshop };
}

/** The invite (or observer) link: name and organisation, then the board. */
export const load: PageServerLoad = async ({ params, locals }) => {
	const { link, workshop } = await resolve(params.token);
	const services = getServices();
	if (locals.user && (await getMembership(services, workshop.id, locals.user.id)))
		redirect(303, `/w/${workshop.id}`);
	const organisations = await services.storage.listOrganisations(workshop.id);
	return {
		title: workshop.title,
		role: link.role,
		organisations: organisations.map((o) => o.name)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { link, workshop } = await resolve(event.params.token);
		const form = await event.request.formData();
		const rawName = String(form.get('name') ?? '').slice(0, 200);
		const rawOrganisation = String(form.get('organisation') ?? '').slice(0, 200);
		const name = validateMemberName(rawName);
		const organisation = validateOrganisationName(rawOrganisation);
		if (!name || !organisation) {
			return fail(400, {
				name: rawName,
				organisation: rawOrganisation,
				error: !name ? ('name' as const) : ('organisation' as const)
			});
		}
		const joined = await joinWorkshop(getServices(), {
			workshopId: workshop.id,
			role: link.role,
			grantedBy: link.role === 'observer' ? 'observer-link' : 'invite-link',
			userId: event.locals.user?.id ?? null,
			name,
			organisation
		});
		if (joined.token && joined.expiresAt) setSessionCookie(event, joined.token, joined.expiresAt);
		redirect(303, `/w/${workshop.id}`);
	}
};
