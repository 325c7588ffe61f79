import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/**
 * Asked by the board after repeated refused handshakes: does this browser still have access?
 * Until accounts exist every workshop is open, so the answer is always `ok`.
 */
export const GET: RequestHandler = async () => {
	return json({ access: 'ok' }, { headers: { 'cache-control': 'no-store' } });
};
