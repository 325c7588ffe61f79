import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
	// A guest's login is a generated id: never sent to the page.
	user: locals.user
		? { login: locals.user.kind === 'guest' ? '' : locals.user.login, kind: locals.user.kind }
		: null
});
