/**
 * Facilitator sessions, as lucia-auth.com teaches them: a token `<id>.<secret>` where the id finds
 * the row and only the SHA-256 of the secret is stored, compared in constant time. A session ends
 * after 30 days without use (the last use is recorded at most once a day, to spare the database)
 * and in any case `SESSION_MAX_DAYS` after sign-in.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { CoreServices } from './ports/services';
import type { StoredSession, UserKind } from './ports/storage';

export const DAY_MS = 24 * 3600_000;
export const INACTIVITY_TIMEOUT_MS = 30 * DAY_MS;
/** A participant's device session (a guest user) ends 90 days after its last use. */
export const GUEST_INACTIVITY_TIMEOUT_MS = 90 * DAY_MS;
/** How often a session's last use is written: renewing at most once a day. */
export const ACTIVITY_CHECK_INTERVAL_MS = DAY_MS;

/** Plain `session` over http (a venue laptop on a LAN); `__Host-` (Secure, no Domain) over https. */
export const SESSION_COOKIE = 'session';
export const SECURE_SESSION_COOKIE = '__Host-session';

/** 15 bytes = 120 bits: an id that never collides. */
const ID_BYTES = 15;
/** 20 bytes = 160 bits: the secret half of the token, never stored. */
const SECRET_BYTES = 20;
const ID_PATTERN = /^[a-z2-7]{24}$/;
const SECRET_PATTERN = /^[a-z2-7]{32}$/;

export type SessionServices = Pick<CoreServices, 'storage' | 'config'>;

export async function createSession(
	services: SessionServices,
	userId: string,
	now = Date.now()
): Promise<{ token: string; session: Session }> {
	const id = randomString(ID_BYTES);
	const secret = randomString(SECRET_BYTES);
	const stored: StoredSession = {
		id,
		userId,
		secretHash: hashSecret(secret),
		createdAt: now,
		lastVerifiedAt: now
	};
	await services.storage.createSession(stored);
	// Sessions abandoned without signing out are never validated again: sweep them at each sign-in.
	await services.storage.deleteExpiredSessions(
		now - INACTIVITY_TIMEOUT_MS,
		now - services.config.sessionMaxDays * DAY_MS,
		now - GUEST_INACTIVITY_TIMEOUT_MS
	);
	const user = await services.storage.getUser(userId);
	return {
		token: `${id}.${secret}`,
		session: toSession(services, stored, user?.kind ?? 'facilitator')
	};
}

/**
 * The session and its user, or null when the token is malformed, unknown, wrong or expired.
 * `fresh` is true when this call extended the session: the cookie must then be set again.
 */
export async function validateSessionToken(
	services: SessionServices,
	token: string,
	now = Date.now()
): Promise<SessionValidation | null> {
	const [id, secret, extra] = token.split('.');
	if (extra !== undefined || !ID_PATTERN.test(id) || !SECRET_PATTERN.test(secret ?? ''))
		return null;
	const stored = await services.storage.getSession(id);
	if (!stored) return null;
	if (!constantTimeEqual(hashSecret(secret), stored.secretHash)) return null;
	const user = await services.storage.getUser(stored.userId);
	if (!user) return null;
	const kind = user.kind ?? 'facilitator';
	if (now >= expiresAt(services, stored, kind)) {
		await services.storage.deleteSession(id);
		return null;
	}
	let fresh = false;
	if (now - stored.lastVerifiedAt >= ACTIVITY_CHECK_INTERVAL_MS) {
		stored.lastVerifiedAt = now;
		await services.storage.touchSession(id, now);
		fresh = true;
	}
	return {
		session: toSession(services, stored, kind),
		user: { id: user.id, login: user.login, kind, name: user.displayName?.trim() || user.login },
		fresh
	};
}

export async function invalidateSession(
	services: SessionServices,
	sessionId: string
): Promise<void> {
	await services.storage.deleteSession(sessionId);
}

/** Signs the user out of every device. */
export async function invalidateUserSessions(
	services: SessionServices,
	userId: string
): Promise<void> {
	await services.storage.deleteUserSessions(userId);
}

export function getSessionCookieName(url: URL): string {
	return url.protocol === 'https:' ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

export function getSessionToken(event: CookieEvent): string | null {
	return event.cookies.get(getSessionCookieName(event.url)) ?? null;
}

export function setSessionCookie(event: CookieEvent, token: string, expiresAt: number): void {
	event.cookies.set(getSessionCookieName(event.url), token, {
		httpOnly: true,
		sameSite: 'lax',
		// SvelteKit would add Secure on plain http too (except on localhost): say it explicitly.
		secure: event.url.protocol === 'https:',
		expires: new Date(expiresAt),
		path: '/'
	});
}

export function deleteSessionCookie(event: CookieEvent): void {
	event.cookies.set(getSessionCookieName(event.url), '', {
		httpOnly: true,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:',
		maxAge: 0,
		path: '/'
	});
}

/**
 * The token from a raw `Cookie` header, for requests that do not go through SvelteKit (WebSocket
 * and Socket.IO handshakes). `secure`: whether the request came over https.
 */
export function readSessionToken(cookieHeader: string | undefined, secure: boolean): string | null {
	if (!cookieHeader) return null;
	const name = secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
	for (const part of cookieHeader.split(';')) {
		const separator = part.indexOf('=');
		if (separator < 0 || part.slice(0, separator).trim() !== name) continue;
		const value = part.slice(separator + 1).trim();
		return value === '' ? null : value;
	}
	return null;
}

function expiresAt(services: SessionServices, session: StoredSession, kind: UserKind): number {
	// A shared phone keeps its device session while it is used; no absolute limit.
	if (kind === 'guest') return session.lastVerifiedAt + GUEST_INACTIVITY_TIMEOUT_MS;
	return Math.min(
		session.lastVerifiedAt + INACTIVITY_TIMEOUT_MS,
		session.createdAt + services.config.sessionMaxDays * DAY_MS
	);
}

function toSession(services: SessionServices, stored: StoredSession, kind: UserKind): Session {
	return {
		id: stored.id,
		userId: stored.userId,
		createdAt: stored.createdAt,
		lastVerifiedAt: stored.lastVerifiedAt,
		expiresAt: expiresAt(services, stored, kind)
	};
}

function randomString(bytes: number): string {
	return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(bytes)));
}

function hashSecret(secret: string): Uint8Array {
	return sha256(new TextEncoder().encode(secret));
}

type CookieEvent = Pick<RequestEvent, 'cookies' | 'url'>;

export interface Session {
	id: string;
	userId: string;
	createdAt: number;
	lastVerifiedAt: number;
	/** The earlier of the inactivity timeout and the absolute limit. */
	expiresAt: number;
}

export interface SessionUser {
	id: string;
	/** For a guest (a participant's device), a generated login nobody types. */
	login: string;
	kind: UserKind;
	/** The name others see: the display name given at sign-up, else the login. */
	name: string;
}

export interface SessionValidation {
	session: Session;
	user: SessionUser;
	/** This validation extended the session: send the cookie again with the new expiry. */
	fresh: boolean;
}
