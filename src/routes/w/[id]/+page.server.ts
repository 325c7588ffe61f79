import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getServices } from '$lib/server/services';
import { getWorkshop } from '$lib/server/workshops';
import { isValidDocName } from '$lib/shared/protocol';
import { m } from '$lib/paraglide/messages';

export const load: PageServerLoad = async ({ params }) => {
	const workshop = isValidDocName(params.id) ? await getWorkshop(getServices(), params.id) : null;
	if (!workshop) error(404, { message: m.error_not_found() });
	return { workshop: { id: workshop.id, title: workshop.title } };
};
