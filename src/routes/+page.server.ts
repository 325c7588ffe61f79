import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getServices } from '$lib/server/services';
import { createWorkshop, listWorkshopsOf, validateWorkshopDetails } from '$lib/server/workshops';

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
	// The workshops they created and those they were made co-facilitator (or member) of.
	return {
		guest: false as const,
		workshops: await listWorkshopsOf(getServices(), locals.user.id),
		memberships: []
	};
};

export const actions: Actions = {
	create: async ({ request, locals }) => {
		if (!locals.user || locals.user.kind !== 'facilitator') redirect(303, '/signin');
		const form = await request.formData();
		const fields = {
			title: String(form.get('title') ?? ''),
			date: String(form.get('date') ?? ''),
			place: String(form.get('place') ?? ''),
			language: String(form.get('language') ?? 'fr'),
			issue: String(form.get('issue') ?? '')
		};
		const checked = validateWorkshopDetails(form);
		if ('problem' in checked) return fail(400, { error: checked.problem, ...fields });
		let id: string;
		try {
			const workshop = await createWorkshop(getServices(), {
				title: checked.title,
				...checked.details,
				ownerId: locals.user.id,
				ownerName: locals.user.name
			});
			id = workshop.id;
		} catch (error) {
			getServices().log.error({ err: error }, 'workshop creation failed');
			return fail(503, { error: 'storage' as const, ...fields });
		}
		redirect(303, `/w/${id}`);
	}
};
