import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getServices } from '$lib/server/services';
import { deleteSessionCookie, invalidateUserSessions } from '$lib/server/session';
import { changePassword } from '$lib/server/users';

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.user) redirect(303, '/signin');
	if (locals.user.kind === 'guest') redirect(303, '/');
	return { login: locals.user.login };
};

export const actions: Actions = {
	password: async (event) => {
		const { user, session } = event.locals;
		if (!user || !session) redirect(303, '/signin');
		const form = await event.request.formData();
		const result = await changePassword(getServices(), {
			userId: user.id,
			current: String(form.get('current') ?? ''),
			next: String(form.get('next') ?? ''),
			keepSessionId: session.id,
			address: event.getClientAddress()
		});
		if ('problem' in result) {
			const minutes =
				'retryAfterMs' in result ? Math.max(1, Math.ceil(result.retryAfterMs / 60_000)) : 0;
			return fail(result.problem === 'rate-limited' ? 429 : 400, {
				error: result.problem,
				minutes
			});
		}
		return { changed: true };
	},
	everywhere: async (event) => {
		if (event.locals.user) await invalidateUserSessions(getServices(), event.locals.user.id);
		deleteSessionCookie(event);
		redirect(303, '/signin');
	}
};
