import type { Handle, HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { getServices } from '$lib/server/services';
import {
	deleteSessionCookie,
	getSessionToken,
	setSessionCookie,
	validateSessionToken
} from '$lib/server/session';

/** Who is asking: fills `locals.user` / `locals.session` from the session cookie, on every request. */
const handleAuth: Handle = async ({ event, resolve }) => {
	const token = getSessionToken(event);
	if (!token) {
		event.locals.user = null;
		event.locals.session = null;
		return resolve(event);
	}
	const validation = await validateSessionToken(getServices(), token);
	if (!validation) {
		deleteSessionCookie(event);
		event.locals.user = null;
		event.locals.session = null;
		return resolve(event);
	}
	if (validation.fresh) setSessionCookie(event, token, validation.session.expiresAt);
	event.locals.user = validation.user;
	event.locals.session = validation.session;
	return resolve(event);
};

const handleParaglide: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});

export const handle: Handle = sequence(handleAuth, handleParaglide);

/** Unexpected errors: logged here, shown as a generic localized page (never the error's text). */
export const handleError: HandleServerError = ({ error, status }) => {
	if (status === 404) return { message: 'Not Found' };
	getServices().log.error({ err: error }, 'unexpected error in a page');
	return { message: 'Internal Error', code: 'unexpected' };
};
