import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { openSqliteStorage, type SqliteStorage } from '../../server/storage/sqlite';
import {
	checkJoinCode,
	generateJoinCode,
	generateLinks,
	joinWorkshop,
	normalizeJoinCode
} from '../../src/lib/server/joining';
import { MemoryRateLimiter } from '../../src/lib/server/rate-limiter';
import { DAY_MS, createSession, validateSessionToken } from '../../src/lib/server/session';
import { JOIN_CODE_ALPHABET } from '../../src/lib/shared/join-rules';
import { tempDataDir } from '../fixtures/server';

const T0 = Date.UTC(2026, 10, 2, 9, 0);
const opened: SqliteStorage[] = [];
afterEach(async () => {
	for (const storage of opened.splice(0)) await storage.close();
});

async function setUp() {
	const dataDir = tempDataDir();
	const storage = openSqliteStorage({ dataDir, busyTimeoutMs: 100 });
	opened.push(storage);
	const config = loadConfig({ DATA_DIR: dataDir });
	await storage.createUser({ id: 'amina', login: 'amina', passwordHash: 'x', createdAt: T0 });
	const links = generateLinks();
	const created = await storage.createWorkshop(
		{ id: 'w1', title: 'Forum de Kayes', createdAt: T0, ownerId: 'amina' },
		{
			links,
			creator: {
				workshopId: 'w1',
				userId: 'amina',
				role: 'facilitator',
				name: 'amina',
				organisation: null,
				grantedBy: 'creator',
				joinedAt: T0
			}
		}
	);
	expect(created).toBe(true);
	return {
		storage,
		config,
		links,
		services: { storage, config, rateLimiter: new MemoryRateLimiter() }
	};
}

describe('workshop memberships and join codes', () => {
	it('draws six-character codes from an alphabet without ambiguous characters', () => {
		for (let i = 0; i < 200; i++) {
			const code = generateJoinCode();
			expect(code).toHaveLength(6);
			for (const char of code) expect(JOIN_CODE_ALPHABET).toContain(char);
		}
		expect(JOIN_CODE_ALPHABET).not.toMatch(/[01OIL]/);
		expect(normalizeJoinCode(' abc-d23 ')).toBe('ABCD23');
	});

	it('makes the creator the facilitator of the workshop in the same transaction', async () => {
		const { storage } = await setUp();
		expect(await storage.getMembership('w1', 'amina')).toMatchObject({
			role: 'facilitator',
			grantedBy: 'creator'
		});
	});

	it('creates nothing when the join code is already taken', async () => {
		const { storage, links } = await setUp();
		const again = await storage.createWorkshop(
			{ id: 'w2', title: 'Autre', createdAt: T0, ownerId: 'amina' },
			{ links: { ...generateLinks(), joinCode: links.joinCode } }
		);
		expect(again).toBe(false);
		expect(await storage.getWorkshop('w2')).toBeNull();
	});

	it('finds the workshop by its code typed in lower case, and the role by its link', async () => {
		const { services, links } = await setUp();
		const found = await checkJoinCode(services, {
			code: links.joinCode.toLowerCase(),
			address: '10.0.0.1',
			device: null
		});
		expect(found).toEqual({ workshopId: 'w1', inviteToken: links.inviteToken });
		expect(await services.storage.findWorkshopByLinkToken(links.observerToken)).toEqual({
			workshopId: 'w1',
			role: 'observer'
		});
		expect(await services.storage.findWorkshopByLinkToken(links.inviteToken)).toEqual({
			workshopId: 'w1',
			role: 'participant'
		});
	});

	it('joins a new device as a guest with one organisation per name, case aside', async () => {
		const { services } = await setUp();
		const first = await joinWorkshop(
			services,
			{
				workshopId: 'w1',
				role: 'participant',
				grantedBy: 'join-code',
				userId: null,
				name: 'Aminata',
				organisation: 'CARE Mali'
			},
			T0
		);
		const second = await joinWorkshop(
			services,
			{
				workshopId: 'w1',
				role: 'participant',
				grantedBy: 'join-code',
				userId: null,
				name: 'Moussa',
				organisation: 'care mali'
			},
			T0
		);
		expect(first.token).not.toBeNull();
		expect(second.membership.organisationId).toBe(first.membership.organisationId);
		expect((await services.storage.listOrganisations('w1')).map((o) => o.name)).toEqual([
			'CARE Mali'
		]);
		const validated = await validateSessionToken(services, first.token!, T0 + DAY_MS);
		expect(validated?.user.kind).toBe('guest');
		expect(
			(await services.storage.listMemberships(validated!.user.id)).map((m) => m.workshopTitle)
		).toEqual(['Forum de Kayes']);
	});

	it('keeps a guest device session 90 days after its last use, not 30', async () => {
		const { services } = await setUp();
		const { token } = await joinWorkshop(
			services,
			{
				workshopId: 'w1',
				role: 'observer',
				grantedBy: 'observer-link',
				userId: null,
				name: 'Fatou',
				organisation: 'Oxfam'
			},
			T0
		);
		// Used on day 60 (past a facilitator's 30 days), then 89 days later: still valid.
		expect(await validateSessionToken(services, token!, T0 + 60 * DAY_MS)).not.toBeNull();
		expect(await validateSessionToken(services, token!, T0 + 149 * DAY_MS)).not.toBeNull();
		expect(await validateSessionToken(services, token!, T0 + 240 * DAY_MS)).toBeNull();
	});

	it("survives the sweep of facilitators' expired sessions when unused for 60 days", async () => {
		const { services } = await setUp();
		const { token } = await joinWorkshop(
			services,
			{
				workshopId: 'w1',
				role: 'participant',
				grantedBy: 'join-code',
				userId: null,
				name: 'Awa',
				organisation: 'Oxfam'
			},
			T0
		);
		const facilitator = await createSession(services, 'amina', T0);
		// A sign-in 60 days later sweeps sessions unused for 30 days: the facilitator's, not the phone's.
		await createSession(services, 'amina', T0 + 60 * DAY_MS);
		expect(await services.storage.getSession(facilitator.session.id)).toBeNull();
		expect(await validateSessionToken(services, token!, T0 + 60 * DAY_MS)).not.toBeNull();
	});
});
