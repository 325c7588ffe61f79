import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getServices } from '$lib/server/services';
import { getMembership } from '$lib/server/joining';
import { isValidDocName } from '$lib/shared/protocol';

/**
 * Asked by the board after repeated refused handshakes: does this browser still have access to
 * `?workshop=`? `signed-out`: no valid session (sign in again); `forbidden`: not a member (access
 * ended).
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	const headers = { 'cache-control': 'no-store' };
	if (!locals.user) return json({ access: 'signed-out' }, { headers });
	const workshopId = url.searchParams.get('workshop') ?? '';
	const membership = isValidDocName(workshopId)
		? await getMembership(getServices(), workshopId, locals.user.id)
		: null;
	return json({ access: membership ? 'ok' : 'forbidden' }, { headers });
};
