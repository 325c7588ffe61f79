import type { HandleClientError } from '@sveltejs/kit';

/** A page's data that could not be fetched at all means the server is unreachable, not broken. */
export const handleError: HandleClientError = ({ error, status }) => {
	if (error instanceof TypeError && status >= 500)
		return { message: 'Server unreachable', code: 'unavailable' };
	return { message: 'Error', code: 'unexpected' };
};
