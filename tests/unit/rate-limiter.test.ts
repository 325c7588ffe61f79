import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src/lib/server/rate-limiter';

const RULE = { limit: 3, windowMs: 60_000 };

describe('the memory rate limiter', () => {
	it('refuses a key after its limit of failures within the window, until the oldest leaves it', async () => {
		let now = 0;
		const limiter = new MemoryRateLimiter({ now: () => now });
		for (let i = 0; i < 3; i++) {
			expect(await limiter.checkLimit('a', RULE)).toBeNull();
			await limiter.recordFailure('a', RULE);
			now += 10_000;
		}
		expect(await limiter.checkLimit('a', RULE)).toEqual({ retryAfterMs: 30_000 });
		expect(await limiter.checkLimit('b', RULE)).toBeNull();
		now = 60_000; // the first failure (at 0) has left the window
		expect(await limiter.checkLimit('a', RULE)).toBeNull();
		await limiter.recordFailure('a', RULE);
		expect(await limiter.checkLimit('a', RULE)).toEqual({ retryAfterMs: 10_000 });
	});

	it('forgets a key when its failures are cleared', async () => {
		const limiter = new MemoryRateLimiter();
		for (let i = 0; i < 3; i++) await limiter.recordFailure('a', RULE);
		expect(await limiter.checkLimit('a', RULE)).not.toBeNull();
		await limiter.clearFailures('a');
		expect(await limiter.checkLimit('a', RULE)).toBeNull();
	});
});
