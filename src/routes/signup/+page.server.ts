import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getServices } from '$lib/server/services';
import { createSession, setSessionCookie } from '$lib/server/session';
import { signUp } from '$lib/server/users';
import { m } from '$lib/paraglide/messages';

function refuseWhenClosed(): void {
	if (getServices().config.signup === 'closed')
		error(403, { message: m.signup_closed(), code: 'signup-closed' });
}

export const load: PageServerLoad = ({ locals }) => {
	refuseWhenClosed();
	if (locals.user) redirect(303, '/');
};

export const actions: Actions = {
	default: async (event) => {
		refuseWhenClosed();
		const form = await event.request.formData();
		const login = String(form.get('login') ?? '');
		const displayName = String(form.get('displayName') ?? '').slice(0, 200);
		const services = getServices();
		const result = await signUp(services, {
			login,
			displayName,
			password: String(form.get('password') ?? ''),
			address: event.getClientAddress()
		});
		if ('problem' in result) {
			if (result.problem === 'rate-limited') {
				const minutes = Math.max(1, Math.ceil(result.retryAfterMs / 60_000));
				return fail(429, { login, displayName, error: result.problem, minutes });
			}
			return fail(400, { login, displayName, error: result.problem, minutes: 0 });
		}
		const { token, session } = await createSession(services, result.user.id);
		setSessionCookie(event, token, session.expiresAt);
		redirect(303, '/');
	}
};
