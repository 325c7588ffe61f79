/**
 * The address phones in the room use to reach the app (invite links, the QR code, the projector's
 * join screen). PUBLIC_URL when set; otherwise the address the facilitator's browser used — unless
 * that is loopback (`localhost`), which no phone can open: then this machine's LAN address, on the
 * same port. Framework-free: the server's start-up banner uses it too.
 */
import os from 'node:os';

export interface PhoneAddress {
	/** Origin (scheme, host, port) links and the QR code carry. */
	base: string;
	/** No phone can open `base` (loopback, and no LAN address to offer instead). */
	loopback: boolean;
	/** `base` is a LAN address put in place of the loopback address the browser used. */
	replacedLoopback: boolean;
	/** This machine's other LAN addresses, for a room on another network. */
	others: string[];
}

type Interfaces = ReturnType<typeof os.networkInterfaces>;

/** Non-internal IPv4 addresses of this machine, in interface order. */
export function lanAddresses(interfaces: Interfaces = os.networkInterfaces()): string[] {
	const found: string[] = [];
	for (const entries of Object.values(interfaces)) {
		for (const entry of entries ?? []) {
			// Node 18.0–18.3 reported the family as a number.
			const ipv4 = entry.family === 'IPv4' || (entry.family as unknown) === 4;
			if (ipv4 && !entry.internal && !found.includes(entry.address)) found.push(entry.address);
		}
	}
	return found;
}

export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return (
		host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host)
	);
}

export function phoneAddress(options: {
	publicUrl: string | null;
	/** The origin of the request (what the browser used). */
	origin: string;
	lan?: string[];
}): PhoneAddress {
	const lan = options.lan ?? lanAddresses();
	if (options.publicUrl) {
		const base = new URL(options.publicUrl).origin;
		return {
			base,
			loopback: isLoopbackHost(new URL(base).hostname),
			replacedLoopback: false,
			others: []
		};
	}
	const origin = new URL(options.origin);
	const onLan = (address: string) =>
		`${origin.protocol}//${address}${origin.port ? `:${origin.port}` : ''}`;
	if (!isLoopbackHost(origin.hostname)) {
		return { base: origin.origin, loopback: false, replacedLoopback: false, others: [] };
	}
	if (lan.length === 0)
		return { base: origin.origin, loopback: true, replacedLoopback: false, others: [] };
	return {
		base: onLan(lan[0]),
		loopback: false,
		replacedLoopback: true,
		others: lan.slice(1).map(onLan)
	};
}

/** What a person types: the address without its scheme (`192.168.1.20:3000/join`). */
export function shortAddress(url: string): string {
	return url.replace(/^https?:\/\//, '').replace(/\/$/, '');
}
