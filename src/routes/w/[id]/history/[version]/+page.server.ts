import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getServices } from '$lib/server/services';
import { requireMember } from '$lib/server/access';
import { loadVersion } from '$lib/server/history';
import { m } from '$lib/paraglide/messages';

/** Any member: a saved version of the board, read-only, compared with now. */
export const load: PageServerLoad = async ({ params, locals }) => {
	const { workshop } = await requireMember(locals.user, params.id);
	const id = /^\d{1,12}$/.test(params.version) ? Number(params.version) : null;
	const version = id === null ? null : await loadVersion(getServices(), workshop.id, id);
	if (!version) error(404, { message: m.error_not_found() });
	return { workshop: { id: workshop.id, title: workshop.title }, ...version };
};
