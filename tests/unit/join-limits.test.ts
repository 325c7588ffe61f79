/**
 * Join codes: the person who mistypes is slowed, the room is not; guessing stays bounded per
 * address; nobody's wrong codes stop another workshop's participants. Real SQLite, the real limiter
 * on a clock the test moves.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStorage, type SqliteStorage } from '../../server/storage/sqlite';
import { checkJoinCode, generateLinks } from '../../src/lib/server/joining';
import {
	JOIN_FAILURES_PER_ADDRESS,
	JOIN_FAILURES_PER_DEVICE,
	MemoryRateLimiter
} from '../../src/lib/server/rate-limiter';
import { tempDataDir } from '../fixtures/server';

const opened: SqliteStorage[] = [];
afterEach(async () => {
	for (const storage of opened.splice(0)) await storage.close();
});

async function setUp() {
	const storage = openSqliteStorage({ dataDir: tempDataDir(), busyTimeoutMs: 100 });
	opened.push(storage);
	let now = Date.UTC(2026, 11, 2, 9, 0);
	const codes: string[] = [];
	for (const id of ['kayes', 'segou']) {
		const links = generateLinks();
		await storage.createWorkshop({ id, title: id, createdAt: now, ownerId: null }, { links });
		codes.push(links.joinCode);
	}
	const services = { storage, rateLimiter: new MemoryRateLimiter({ now: () => now }) };
	const join = (code: string, address: string, device: string | null = null) =>
		checkJoinCode(services, { code, address, device });
	return { join, codes, advance: (ms: number) => (now += ms) };
}

/** A code from the alphabet that no workshop has. */
const WRONG = 'ZZZZZZ';

describe('join codes', () => {
	it('admits 40 valid joins from an address right after 30 wrong codes from it', async () => {
		const { join, codes } = await setUp();
		for (let i = 0; i < 30; i++)
			expect(await join(WRONG, '192.168.1.10')).toEqual({ problem: 'invalid' });
		for (let i = 0; i < 40; i++) {
			expect(await join(codes[0], '192.168.1.10', `phone${i}`)).toMatchObject({
				workshopId: 'kayes'
			});
		}
	});

	it('slows the device that mistypes, not the others behind its address', async () => {
		const { join, codes, advance } = await setUp();
		for (let i = 0; i < JOIN_FAILURES_PER_DEVICE.limit; i++) {
			expect(await join(WRONG, '192.168.1.10', 'clumsy')).toEqual({ problem: 'invalid' });
		}
		const slowed = await join(codes[0], '192.168.1.10', 'clumsy');
		expect(slowed).toMatchObject({ problem: 'rate-limited' });
		expect(await join(codes[0], '192.168.1.10', 'neighbour')).toMatchObject({
			workshopId: 'kayes'
		});
		advance(JOIN_FAILURES_PER_DEVICE.windowMs);
		expect(await join(codes[0], '192.168.1.10', 'clumsy')).toMatchObject({ workshopId: 'kayes' });
	});

	it('past its limit, an address keeps the codes that worked from it and is told to wait for any other, valid or not', async () => {
		const { join, codes, advance } = await setUp();
		expect(await join(codes[0], '10.1.1.1', 'first-phone')).toMatchObject({ workshopId: 'kayes' });
		for (let i = 0; i < JOIN_FAILURES_PER_ADDRESS.limit; i++) {
			expect(await join(`ZZZZ${String(i).padStart(2, 'A')}`.slice(0, 6), '10.1.1.1')).toMatchObject(
				{ problem: 'invalid' }
			);
		}
		// The room goes on joining with its own code.
		expect(await join(codes[0], '10.1.1.1', 'late-phone')).toMatchObject({ workshopId: 'kayes' });
		// Guessing from there learns nothing: a wrong code and another workshop's valid one get the same answer.
		expect(await join(WRONG, '10.1.1.1')).toMatchObject({ problem: 'rate-limited' });
		expect(await join(codes[1], '10.1.1.1')).toMatchObject({ problem: 'rate-limited' });
		// Other addresses are not affected, and the address recovers when the window moves on.
		expect(await join(codes[1], '10.1.1.2')).toMatchObject({ workshopId: 'segou' });
		advance(JOIN_FAILURES_PER_ADDRESS.windowMs);
		expect(await join(codes[1], '10.1.1.1')).toMatchObject({ workshopId: 'segou' });
	});

	it("lets another workshop's participants join during a wrong-code storm against the whole server", async () => {
		const { join, codes } = await setUp();
		for (let address = 0; address < 100; address++) {
			for (let i = 0; i < JOIN_FAILURES_PER_ADDRESS.limit + 5; i++)
				await join(WRONG, `203.0.113.${address}`);
		}
		for (let phone = 0; phone < 20; phone++) {
			expect(await join(codes[1], '198.51.100.7', `segou-${phone}`)).toMatchObject({
				workshopId: 'segou'
			});
		}
	});

	it('counts an IPv6 /64 as one address', async () => {
		const { join } = await setUp();
		for (let i = 0; i < JOIN_FAILURES_PER_ADDRESS.limit; i++)
			await join(WRONG, `2001:db8:1:2::${i.toString(16)}`);
		expect(await join(WRONG, '2001:db8:1:2:ffff:1:2:3')).toMatchObject({ problem: 'rate-limited' });
		expect(await join(WRONG, '2001:db8:1:3::1')).toEqual({ problem: 'invalid' });
	});
});
