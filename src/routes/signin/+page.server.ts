import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getServices } from '$lib/server/services';
import { createSession, setSessionCookie } from '$lib/server/session';
import { signIn } from '$lib/server/users';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user?.kind === 'facilitator') redirect(303, '/');
	return { signupOpen: getServices().config.signup === 'open' };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const login = String(form.get('login') ?? '');
		const password = String(form.get('password') ?? '');
		const services = getServices();
		const result = await signIn(services, { login, password, address: event.getClientAddress() });
		if ('problem' in result) {
			if (result.problem === 'rate-limited') {
				const minutes = Math.max(1, Math.ceil(result.retryAfterMs / 60_000));
				return fail(429, { login, error: 'rate-limited' as const, minutes });
			}
			return fail(400, { login, error: 'invalid' as const, minutes: 0 });
		}
		const { token, session } = await createSession(services, result.user.id);
		setSessionCookie(event, token, session.expiresAt);
		redirect(303, '/');
	}
};
