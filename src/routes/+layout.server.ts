import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
	user: locals.user ? { login: locals.user.login, kind: locals.user.kind } : null
});
