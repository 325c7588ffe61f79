import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { checkPassword, hashPassword, verifyPassword } from '../../src/lib/server/password';

describe('facilitator passwords', () => {
	it('are hashed with Argon2id, a fresh salt each time, at OWASP parameters', async () => {
		const first = await hashPassword('ségou-2026');
		const second = await hashPassword('ségou-2026');
		expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(second).not.toBe(first);
		expect(first).not.toContain('ségou-2026');
	});

	it('verify the right password and refuse a wrong one', async () => {
		const stored = await hashPassword('ségou-2026');
		expect(await verifyPassword(stored, 'ségou-2026')).toBe(true);
		expect(await verifyPassword(stored, 'Ségou-2026')).toBe(false);
		expect(await verifyPassword(stored, '')).toBe(false);
		expect(await verifyPassword('not a hash', 'ségou-2026')).toBe(false);
	});

	it('must have 8 to 256 characters, counted as characters rather than bytes', async () => {
		expect(checkPassword('1234567')).toBe('too-short');
		expect(checkPassword('12345678')).toBeNull();
		expect(checkPassword('x'.repeat(256))).toBeNull();
		expect(checkPassword('x'.repeat(257))).toBe('too-long');
		// Four emoji are eight UTF-16 units but four characters.
		expect(checkPassword('😀😀😀😀')).toBe('too-short');
		expect(checkPassword('é'.repeat(256))).toBeNull();
		await expect(hashPassword('1234567')).rejects.toThrow();
		await expect(hashPassword('x'.repeat(257))).rejects.toThrow();
	});

	it('refuse an over-long password even when it is the right one', async () => {
		const long = 'x'.repeat(257);
		const stored = await hash(long, { algorithm: 2 as never });
		expect(await verifyPassword(stored, long)).toBe(false);
	});

	it('cost a real Argon2 verification when there is no account to check against', async () => {
		expect(await verifyPassword(null, 'anything-at-all')).toBe(false);
		// A shortcut answer takes microseconds; Argon2 with 19 MiB takes milliseconds, slower under load.
		const durations: number[] = [];
		for (let i = 0; i < 3; i++) {
			const start = performance.now();
			await verifyPassword(null, 'anything-at-all');
			durations.push(performance.now() - start);
		}
		expect(Math.min(...durations)).toBeGreaterThan(3);
	});
});
