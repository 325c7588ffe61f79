import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getServices } from '$lib/server/services';
import { requireMember } from '$lib/server/access';
import { loadVersion } from '$lib/server/history';
import { m } from '$lib/paraglide/messages';

/** Any member: a saved version of the board, read-only, compared with now. */
export const load: PageServerLoad = async ({ params, locals }) => {
	const { workshop } = await requireMember(locals.user, params.id);
	// `12`: the version an event saved; `n3`: a version a facilitator saved under a name.
	const match = /^(n?)(\d{1,12})$/.exec(params.version);
	const version = match
		? await loadVersion(getServices(), workshop.id, {
				kind: match[1] ? 'named' : 'event',
				id: Number(match[2])
			})
		: null;
	if (!version) error(404, { message: m.error_not_found() });
	return { workshop: { id: workshop.id, title: workshop.title }, ...version };
};
