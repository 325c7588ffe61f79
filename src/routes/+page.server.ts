import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getServices } from '$lib/server/services';
import { createWorkshop, listWorkshopsOwnedBy, validateWorkshopTitle } from '$lib/server/workshops';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) redirect(303, '/signin');
	if (locals.user.kind === 'guest') {
		// A participant's device: the workshops it joined ("my workshops").
		const memberships = await getServices().storage.listMemberships(locals.user.id);
		return {
			guest: true as const,
			workshops: [],
			memberships: memberships.map((membership) => ({
				id: membership.workshopId,
				title: membership.workshopTitle,
				name: membership.name,
				organisation: membership.organisation
			}))
		};
	}
	const workshops = await listWorkshopsOwnedBy(getServices(), locals.user.id);
	return { guest: false as const, workshops: workshops.map(({ id, title, createdAt }) => ({ id, title, createdAt })), memberships: [] };
};

export const actions: Actions = {
	create: async ({ request, locals }) => {
		if (!locals.user || locals.user.kind !== 'facilitator') redirect(303, '/signin');
		const form = await request.formData();
		const title = validateWorkshopTitle(form.get('title'));
		if (!title) return fail(400, { error: 'title' as const, title: String(form.get('title') ?? '') });
		let id: string;
		try {
			id = (await createWorkshop(getServices(), { title, ownerId: locals.user.id, ownerName: locals.user.login })).id;
		} catch (error) {
			getServices().log.error({ err: error }, 'workshop creation failed');
			return fail(503, { error: 'storage' as const, title });
		}
		redirect(303, `/w/${id}`);
	}
};
