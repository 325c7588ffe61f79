import { redirect } from '@sveltejs/kit';
import type { Actions } from './$types';
import { getServices } from '$lib/server/services';
import { deleteSessionCookie, invalidateSession } from '$lib/server/session';

export const actions: Actions = {
	default: async (event) => {
		if (event.locals.session) await invalidateSession(getServices(), event.locals.session.id);
		deleteSessionCookie(event);
		redirect(303, '/signin');
	}
};
