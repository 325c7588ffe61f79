/**
 * Who connects, and with what access. The accounts work fills `authorizeConnection` in; until
 * then every connection may edit.
 */
import type { IncomingMessage } from 'node:http';
import type { Access } from './yjs/connection';

export interface ConnectionGrant {
	access: Access;
}

export type ConnectionRefusal = { status: 401 | 403; reason: string };

export async function authorizeConnection(
	_req: IncomingMessage,
	_workshopId: string
): Promise<ConnectionGrant | ConnectionRefusal> {
	return { access: 'edit' };
}

/**
 * Browsers always send Origin on WebSocket handshakes, and neither `ws` nor Socket.IO's `cors`
 * checks it: a cross-site page could otherwise open a socket with the user's cookies.
 * Allowed: the configured origins, or when none is set the request's own scheme and host.
 * Non-browser clients send no Origin and carry no ambient cookies, so they pass here.
 */
export function isAllowedOrigin(req: IncomingMessage, allowed: string[]): boolean {
	const origin = req.headers.origin;
	if (origin === undefined) return true;
	if (allowed.length > 0) return allowed.includes(origin);
	const host = req.headers.host;
	if (!host) return false;
	const forwardedProto = req.headers['x-forwarded-proto'];
	const scheme = (Array.isArray(forwardedProto) ? forwardedProto[0] : forwardedProto)?.split(',')[0].trim() ??
		((req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http');
	return origin === `${scheme}://${host}`;
}
