/**
 * The join cookie: a random id per browser, so wrong join codes slow down the device that typed
 * them rather than everyone behind the same address. It proves nothing (a guesser can drop it);
 * the per-address limit is what bounds guessing.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

export const JOIN_DEVICE_COOKIE = 'join_device';

/** The device's id, given to it now when it has none (null then: its first attempt is not its own yet). */
export function joinDevice(event: Pick<RequestEvent, 'cookies' | 'url'>): string | null {
	const existing = event.cookies.get(JOIN_DEVICE_COOKIE);
	if (existing && /^[a-z2-7]{26}$/.test(existing)) return existing;
	event.cookies.set(
		JOIN_DEVICE_COOKIE,
		encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(16))),
		{
			path: '/join',
			httpOnly: true,
			sameSite: 'lax',
			secure: event.url.protocol === 'https:',
			maxAge: 365 * 24 * 3600
		}
	);
	return null;
}
