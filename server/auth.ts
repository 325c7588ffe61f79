/**
 * Who connects, and with what access: the session cookie of the handshake (the same device or
 * facilitator session the pages use) and the membership of the workshop it opens.
 */
import type { IncomingMessage } from 'node:http';
import type { Access } from './yjs/connection';
import type { Services } from './services';
import type { Membership } from '../src/lib/server/ports/storage';
import {
	readSessionToken,
	validateSessionToken,
	type SessionUser
} from '../src/lib/server/session';
import { memberColour } from '../src/lib/server/joining';

/** What the server says about a member in presence, whatever their client claims. */
export interface PresenceIdentity {
	name: string;
	organisation: string | null;
	role: Membership['role'];
	colour: string;
}

export interface ConnectionGrant {
	access: Access;
	user: SessionUser;
	/** The session the handshake carried: idempotency keys are scoped to it. */
	sessionId: string;
	membership: Membership;
	identity: PresenceIdentity;
}

export type ConnectionRefusal = { status: 401 | 403; reason: string };

/**
 * 401: no session, or one that is unknown or expired (sign in again). 403: a valid session that
 * is not a member of this workshop (access ended). Observers may only read.
 */
export async function authorizeConnection(
	services: Pick<Services, 'storage' | 'config'>,
	req: IncomingMessage,
	workshopId: string
): Promise<ConnectionGrant | ConnectionRefusal> {
	const token = readSessionToken(req.headers.cookie, isSecureRequest(req, services.config.origins));
	const validation = token ? await validateSessionToken(services, token) : null;
	if (!validation) return { status: 401, reason: 'Unauthorized' };
	const membership = await services.storage.getMembership(workshopId, validation.user.id);
	if (!membership) return { status: 403, reason: 'Forbidden' };
	return {
		access: membership.role === 'observer' ? 'view' : 'edit',
		user: validation.user,
		sessionId: validation.session.id,
		membership,
		identity: presenceIdentity(membership)
	};
}

/** Who a member is in presence: written over whatever their client claims. */
export function presenceIdentity(membership: Membership): PresenceIdentity {
	return {
		name: membership.name,
		organisation: membership.organisation,
		role: membership.role,
		colour: memberColour(membership.userId)
	};
}

/**
 * Whether the page that set the cookie was served over https (then the cookie is `__Host-session`):
 * SvelteKit takes the scheme from ORIGIN when set, otherwise from the socket (server/app.ts).
 */
function isSecureRequest(req: IncomingMessage, origins: string[]): boolean {
	if (origins.length > 0) return origins[0].startsWith('https:');
	return Boolean((req.socket as { encrypted?: boolean }).encrypted);
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
	const scheme =
		(Array.isArray(forwardedProto) ? forwardedProto[0] : forwardedProto)?.split(',')[0].trim() ??
		((req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http');
	return origin === `${scheme}://${host}`;
}
