/**
 * Who belongs to a workshop, and how people get in: a short join code typed on a phone, a
 * participant invite link (the code's page, also the QR code's target) and an observer link.
 * Participants have no account: joining makes a guest user (the phone's device session) with a
 * membership; the same device can hold memberships in any number of workshops.
 */
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { CoreServices } from './ports/services';
import type { Membership, MembershipGrant, Role, WorkshopLinks } from './ports/storage';
import { newId } from '../shared/ids';
import {
	JOIN_CODE_ALPHABET,
	JOIN_CODE_LENGTH,
	MEMBER_NAME_MAX,
	ORGANISATION_NAME_MAX
} from '../shared/join-rules';
import { createSession } from './session';
import {
	JOIN_CODE_REMEMBERED_MS,
	JOIN_FAILURES_PER_ADDRESS,
	JOIN_FAILURES_PER_DEVICE
} from './rate-limiter';

type MembershipServices = Pick<CoreServices, 'storage' | 'config'>;

/** A code of JOIN_CODE_LENGTH characters from an alphabet without 0/O, 1/I/L. */
export function generateJoinCode(): string {
	// Rejection sampling: 256 is not a multiple of the alphabet's size.
	const limit = 256 - (256 % JOIN_CODE_ALPHABET.length);
	let code = '';
	while (code.length < JOIN_CODE_LENGTH) {
		for (const byte of crypto.getRandomValues(new Uint8Array(JOIN_CODE_LENGTH * 2))) {
			if (byte < limit && code.length < JOIN_CODE_LENGTH)
				code += JOIN_CODE_ALPHABET[byte % JOIN_CODE_ALPHABET.length];
		}
	}
	return code;
}

/** 160 random bits: a link nobody guesses. */
export function generateLinkToken(): string {
	return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
}

export function generateLinks(): WorkshopLinks {
	return {
		joinCode: generateJoinCode(),
		inviteToken: generateLinkToken(),
		observerToken: generateLinkToken()
	};
}

/** What people type: " abc-d23 " is "ABCD23". */
export function normalizeJoinCode(raw: string): string {
	return raw.toUpperCase().replace(/[\s-]/g, '');
}

/** The workshop's links, drawn now for a workshop made before links existed. */
export async function getOrCreateLinks(
	services: MembershipServices,
	workshopId: string
): Promise<WorkshopLinks> {
	for (let attempt = 0; attempt < 5; attempt++) {
		const links = await services.storage.getWorkshopLinks(workshopId);
		if (links) return links;
		await services.storage.setWorkshopLinks(workshopId, generateLinks());
	}
	throw new Error('could not draw a free join code');
}

export async function getMembership(
	services: Pick<CoreServices, 'storage'>,
	workshopId: string,
	userId: string
): Promise<Membership | null> {
	return services.storage.getMembership(workshopId, userId);
}

export type CodeCheck =
	| { workshopId: string; inviteToken: string }
	| { problem: 'invalid' }
	| { problem: 'rate-limited'; retryAfterMs: number };

/**
 * The workshop a typed code opens. Only wrong codes count, against the device that typed them
 * (its join cookie; null when it has none) and its address. A device past its limit waits: the
 * person who mistypes is slowed, not the room. An address past its limit (someone guessing from
 * the venue Wi-Fi) may still use the codes that already worked from it, so the room goes on
 * joining; any other code from there is answered "wait", valid or not, so guessing learns nothing.
 * Invite links and the QR code never count.
 */
export async function checkJoinCode(
	services: Pick<CoreServices, 'storage' | 'rateLimiter'> & {
		log?: Pick<CoreServices['log'], 'warn'>;
	},
	input: { code: string; address: string; device: string | null }
): Promise<CodeCheck> {
	const { rateLimiter } = services;
	const address = `join:address:${addressBlock(input.address)}`;
	const device = input.device ? `join:device:${input.device.slice(0, 64)}` : null;
	const slowed = device ? await rateLimiter.checkLimit(device, JOIN_FAILURES_PER_DEVICE) : null;
	if (slowed) return { problem: 'rate-limited', retryAfterMs: slowed.retryAfterMs };
	const code = normalizeJoinCode(input.code);
	const remembered = `${address}:${code}`;
	const limited = await rateLimiter.checkLimit(address, JOIN_FAILURES_PER_ADDRESS);
	if (limited && !(await rateLimiter.remembers(remembered))) {
		return { problem: 'rate-limited', retryAfterMs: limited.retryAfterMs };
	}
	const found =
		code.length === JOIN_CODE_LENGTH && [...code].every((char) => JOIN_CODE_ALPHABET.includes(char))
			? await services.storage.findWorkshopByJoinCode(code)
			: null;
	const links = found ? await services.storage.getWorkshopLinks(found.workshopId) : null;
	if (!found || !links) {
		if (device) await rateLimiter.recordFailure(device, JOIN_FAILURES_PER_DEVICE);
		await rateLimiter.recordFailure(address, JOIN_FAILURES_PER_ADDRESS);
		if (await rateLimiter.checkLimit(address, JOIN_FAILURES_PER_ADDRESS)) {
			services.log?.warn(
				{ address: input.address },
				'wrong join codes past the limit from one address'
			);
		}
		return { problem: 'invalid' };
	}
	await rateLimiter.remember(remembered, JOIN_CODE_REMEMBERED_MS);
	return { workshopId: found.workshopId, inviteToken: links.inviteToken };
}

/** An IPv6 client may hold a whole /64: count it as one address. */
function addressBlock(address: string): string {
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
	if (mapped) return mapped[1];
	if (!address.includes(':')) return address.slice(0, 64);
	const [head, tail = null] = address.toLowerCase().split('::');
	const left = head ? head.split(':') : [];
	const right = tail ? tail.split(':') : [];
	const groups =
		tail === null
			? left
			: [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
	return groups.slice(0, 4).join(':');
}

/** The workshop and role an invite or observer link grants, or null for an unknown token. */
export async function resolveLinkToken(
	services: Pick<CoreServices, 'storage'>,
	token: string
): Promise<{ workshopId: string; role: 'participant' | 'observer' } | null> {
	if (!/^[a-z2-7]{32}$/.test(token)) return null;
	return services.storage.findWorkshopByLinkToken(token);
}

export type JoinProblem = 'name' | 'organisation';

export function validateMemberName(raw: unknown): string | null {
	if (typeof raw !== 'string') return null;
	const name = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
	if (name.length === 0 || [...name].length > MEMBER_NAME_MAX) return null;
	return name;
}

export function validateOrganisationName(raw: unknown): string | null {
	if (typeof raw !== 'string') return null;
	const name = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
	if (name.length === 0 || [...name].length > ORGANISATION_NAME_MAX) return null;
	return name;
}

/**
 * Makes `userId` (or, when null, a new guest device) a member of the workshop. A new device gets
 * a session: `token` is then the cookie to set. Someone already a member keeps their role and
 * has their name and organisation updated.
 */
export async function joinWorkshop(
	services: MembershipServices,
	input: {
		workshopId: string;
		role: Exclude<Role, 'facilitator'>;
		grantedBy: MembershipGrant;
		userId: string | null;
		name: string;
		organisation: string;
	},
	now = Date.now()
): Promise<{ membership: Membership; token: string | null; expiresAt: number | null }> {
	let userId = input.userId;
	let token: string | null = null;
	let expiresAt: number | null = null;
	if (!userId) {
		userId = newId();
		// ':' is not allowed in a login: nobody can sign in (or sign up) as a guest.
		await services.storage.createUser({
			id: userId,
			kind: 'guest',
			login: `guest:${userId}`,
			passwordHash: '',
			createdAt: now
		});
		const created = await createSession(services, userId, now);
		token = created.token;
		expiresAt = created.session.expiresAt;
	}
	const membership = await services.storage.upsertMembership({
		workshopId: input.workshopId,
		userId,
		role: input.role,
		name: input.name,
		organisation: input.organisation,
		grantedBy: input.grantedBy,
		joinedAt: now
	});
	return { membership, token, expiresAt };
}

/** Presence colours: one per member, stable across reconnections and devices. */
const COLOURS = [
	'#b3261e',
	'#1b6e3a',
	'#1a5fb4',
	'#8a4baf',
	'#a35200',
	'#00707a',
	'#9c2d6b',
	'#4a5a00'
];

export function memberColour(userId: string): string {
	let hash = 0;
	for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
	return COLOURS[hash % COLOURS.length];
}
