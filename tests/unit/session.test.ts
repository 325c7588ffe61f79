import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { openStorage } from '../../server/storage/open';
import { DATABASE_FILE } from '../../server/storage/sqlite';
import {
	DAY_MS,
	createSession,
	invalidateSession,
	invalidateUserSessions,
	readSessionToken,
	validateSessionToken,
	type SessionServices
} from '../../src/lib/server/session';
import { engineEnv, ENGINES } from '../fixtures/storages';
import { allRows } from '../fixtures/storage-rows';

const T0 = Date.UTC(2026, 10, 2, 9, 0);
const HOUR_MS = 3600_000;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe.each(ENGINES)('facilitator sessions (%s)', (engine) => {
	async function setUp(env: Record<string, string> = {}) {
		const { env: storageEnv, drop } = engineEnv(engine);
		const dataDir = storageEnv.DATA_DIR;
		const config = loadConfig({ ...env, ...storageEnv });
		const storage = openStorage({ ...config, busyTimeoutMs: 100 });
		cleanups.push(async () => {
			await storage.close();
			await drop();
		});
		await storage.ready();
		const services: SessionServices = { storage, config };
		for (const login of ['amina', 'moussa']) {
			await storage.createUser({
				id: `user-${login}`,
				login,
				passwordHash: 'not-used-here',
				createdAt: T0
			});
		}
		return { dataDir, storage, services };
	}

	it('creates a token of two random parts that validates to its user', async () => {
		const { services } = await setUp();
		const { token, session } = await createSession(services, 'user-amina', T0);
		const [id, secret] = token.split('.');
		expect(id).toMatch(/^[a-z2-7]{24}$/);
		// 32 base32 characters = 160 random bits, beyond the 128 required.
		expect(secret).toMatch(/^[a-z2-7]{32}$/);
		expect(session.id).toBe(id);

		const validation = await validateSessionToken(services, token, T0 + HOUR_MS);
		// No display name given: the login stands in as the name others see.
		expect(validation?.user).toEqual({
			id: 'user-amina',
			login: 'amina',
			kind: 'facilitator',
			name: 'amina'
		});
		expect(validation?.session.id).toBe(id);
		expect(validation?.fresh).toBe(false);
		expect((await createSession(services, 'user-amina', T0)).token).not.toBe(token);
	});

	it('stores only the SHA-256 of the secret: the token is nowhere in the database files', async () => {
		const { dataDir, storage, services } = await setUp();
		const { token } = await createSession(services, 'user-amina', T0);
		const secret = token.split('.')[1];
		const row = (await storage.getSession(token.split('.')[0]))!;
		expect(Buffer.from(row.secretHash).equals(createHash('sha256').update(secret).digest())).toBe(
			true
		);

		// No row of any table holds the secret or the token, as text or as bytes.
		const rows = await allRows(storage);
		expect(rows.sessions).toHaveLength(1);
		// Blobs as their bytes, not as JSON arrays of numbers, so the secret's bytes would show.
		const stored = JSON.stringify(rows, (_key, value: unknown) => {
			const blob = value as { type?: unknown; data?: number[] } | null;
			return blob?.type === 'Buffer' && blob.data
				? Buffer.from(blob.data).toString('latin1')
				: value;
		});
		expect(stored).not.toContain(secret);
		expect(stored).not.toContain(token);
		// SQLite's files too (PostgreSQL's are the database server's, out of a test's reach).
		if (engine === 'postgres') return;
		for (const file of [DATABASE_FILE, `${DATABASE_FILE}-wal`]) {
			const bytes = fs.readFileSync(path.join(dataDir, file));
			expect(bytes.includes(secret)).toBe(false);
			expect(bytes.includes(token)).toBe(false);
		}
	});

	it('refuses a forged secret for a real session id, and the real token still works', async () => {
		const { services } = await setUp();
		const { token } = await createSession(services, 'user-amina', T0);
		const [id, secret] = token.split('.');
		const lastChar = secret.at(-1) === 'a' ? 'b' : 'a';
		for (const forged of [
			`${id}.${secret.slice(0, -1)}${lastChar}`,
			`${id}.${secret.slice(0, -1)}`,
			`${id}.${secret}.extra`,
			id,
			`${id}.`,
			'',
			token.toUpperCase()
		]) {
			expect(await validateSessionToken(services, forged, T0)).toBeNull();
		}
		expect(await validateSessionToken(services, token, T0)).not.toBeNull();
	});

	it('expires after 30 days without use and deletes the row', async () => {
		const { storage, services } = await setUp();
		const { token, session } = await createSession(services, 'user-amina', T0);
		expect(session.expiresAt).toBe(T0 + 30 * DAY_MS);

		const { token: other } = await createSession(services, 'user-amina', T0);
		expect(await validateSessionToken(services, other, T0 + 30 * DAY_MS - 1)).not.toBeNull();

		expect(await validateSessionToken(services, token, T0 + 30 * DAY_MS)).toBeNull();
		expect(await storage.getSession(session.id)).toBeNull();
	});

	it('records its use, and so extends it, at most once a day', async () => {
		const { storage, services } = await setUp();
		const { token, session } = await createSession(services, 'user-amina', T0);

		const sameDay = await validateSessionToken(services, token, T0 + 23 * HOUR_MS);
		expect(sameDay?.fresh).toBe(false);
		expect(sameDay?.session.expiresAt).toBe(T0 + 30 * DAY_MS);
		expect((await storage.getSession(session.id))?.lastVerifiedAt).toBe(T0);

		const nextDay = await validateSessionToken(services, token, T0 + DAY_MS);
		expect(nextDay?.fresh).toBe(true);
		expect(nextDay?.session.expiresAt).toBe(T0 + 31 * DAY_MS);
		expect((await storage.getSession(session.id))?.lastVerifiedAt).toBe(T0 + DAY_MS);

		const laterThatDay = await validateSessionToken(services, token, T0 + DAY_MS + 20 * HOUR_MS);
		expect(laterThatDay?.fresh).toBe(false);
		expect((await storage.getSession(session.id))?.lastVerifiedAt).toBe(T0 + DAY_MS);

		// Extended: still valid past the first 30 days, up to 30 days after the renewal.
		expect(await validateSessionToken(services, token, T0 + 31 * DAY_MS - 1)).not.toBeNull();
	});

	it('ends at the absolute maximum lifetime however active it is', async () => {
		const { services } = await setUp({ SESSION_MAX_DAYS: '45' });
		const { token } = await createSession(services, 'user-amina', T0);
		for (let day = 1; day < 45; day++) {
			const validation = await validateSessionToken(services, token, T0 + day * DAY_MS);
			expect(validation, `day ${day}`).not.toBeNull();
			expect(validation!.session.expiresAt).toBe(
				Math.min(T0 + (day + 30) * DAY_MS, T0 + 45 * DAY_MS)
			);
		}
		expect(await validateSessionToken(services, token, T0 + 45 * DAY_MS)).toBeNull();
	});

	it('sweeps sessions abandoned past their expiry from the database at the next sign-in', async () => {
		const { storage, services } = await setUp();
		const abandoned = await createSession(services, 'user-moussa', T0);
		const recent = await createSession(services, 'user-moussa', T0 + 2 * DAY_MS);
		await createSession(services, 'user-amina', T0 + 30 * DAY_MS);
		expect(await storage.getSession(abandoned.session.id)).toBeNull();
		expect(await storage.getSession(recent.session.id)).not.toBeNull();
	});

	it('invalidates one session and leaves the user signed in elsewhere', async () => {
		const { services } = await setUp();
		const laptop = await createSession(services, 'user-amina', T0);
		const phone = await createSession(services, 'user-amina', T0);
		await invalidateSession(services, laptop.session.id);
		expect(await validateSessionToken(services, laptop.token, T0)).toBeNull();
		expect(await validateSessionToken(services, phone.token, T0)).not.toBeNull();
	});

	it("signs a user out of every device without touching another user's sessions", async () => {
		const { services } = await setUp();
		const laptop = await createSession(services, 'user-amina', T0);
		const phone = await createSession(services, 'user-amina', T0);
		const moussa = await createSession(services, 'user-moussa', T0);
		await invalidateUserSessions(services, 'user-amina');
		expect(await validateSessionToken(services, laptop.token, T0)).toBeNull();
		expect(await validateSessionToken(services, phone.token, T0)).toBeNull();
		expect((await validateSessionToken(services, moussa.token, T0))?.user.login).toBe('moussa');
	});
});

describe('session tokens', () => {
	it('compares the secret hash with a constant-time comparison', () => {
		// Timing cannot be asserted reliably on a shared machine: check the comparison itself.
		const source = fs.readFileSync('src/lib/server/session.ts', 'utf8');
		expect(source).toMatch(/import \{ constantTimeEqual \} from '@oslojs\/crypto\/subtle'/);
		expect(source).toMatch(/constantTimeEqual\(hashSecret\(secret\), stored\.secretHash\)/);
		expect(source).not.toMatch(/secretHash\s*[!=]==?|[!=]==?\s*stored\.secretHash/);
	});

	it('reads the token from a raw Cookie header under the cookie name of the scheme', () => {
		const header = 'PARAGLIDE_LOCALE=en; session=abc.def; __Host-session=sec.ure';
		expect(readSessionToken(header, false)).toBe('abc.def');
		expect(readSessionToken(header, true)).toBe('sec.ure');
		expect(readSessionToken('xsession=nope; session_id=nope', false)).toBeNull();
		expect(readSessionToken('session=', false)).toBeNull();
		expect(readSessionToken(undefined, false)).toBeNull();
	});
});
