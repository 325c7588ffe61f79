import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getServices } from '$lib/server/services';
import { ImportError, IMPORT_MAX_BYTES, parseWorkshopFile } from '$lib/server/import-json';
import { importWorkshop } from '$lib/server/import-merge';

/** Facilitator accounts only: a participant's device or an observer never imports. */
function requireFacilitatorAccount(user: App.Locals['user']) {
	if (!user || user.kind !== 'facilitator') redirect(303, '/signin');
	return user;
}

export const load: PageServerLoad = async ({ locals }) => {
	requireFacilitatorAccount(locals.user);
	return { maxMegabytes: Math.floor(IMPORT_MAX_BYTES / (1024 * 1024)) };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const user = requireFacilitatorAccount(locals.user);
		const form = await request.formData();
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0)
			return fail(400, { problem: 'no_file' as const });
		if (file.size > IMPORT_MAX_BYTES) return fail(413, { problem: 'too_large' as const });
		const services = getServices();
		try {
			const parsed = parseWorkshopFile(await file.text());
			const outcome = await importWorkshop(services, parsed, { userId: user.id, name: user.login });
			const added = Object.values(outcome.counts).reduce((sum, count) => sum + count, 0);
			return {
				imported: {
					workshopId: outcome.workshopId,
					title: parsed.data.workshop.title,
					created: outcome.created,
					unchanged: added === 0 && !outcome.documentChanged
				}
			};
		} catch (error) {
			if (error instanceof ImportError) {
				return fail(error.problem === 'forbidden' ? 403 : 400, {
					problem: error.problem,
					detail: error.detail
				});
			}
			services.log.error({ err: error }, 'workshop import failed');
			return fail(503, { problem: 'storage' as const });
		}
	}
};
