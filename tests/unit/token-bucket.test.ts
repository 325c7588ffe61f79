import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../server/yjs/token-bucket';

describe('the token bucket', () => {
	it('allows a burst up to its capacity, then refills at its rate', () => {
		let now = 0;
		const bucket = new TokenBucket(4, 2, () => now);
		for (let i = 0; i < 4; i++) expect(bucket.take()).toBe(true);
		expect(bucket.take()).toBe(false);
		now = 500; // half a second: one token back
		expect(bucket.take()).toBe(true);
		expect(bucket.take()).toBe(false);
		now = 100_000;
		expect(bucket.take(4)).toBe(true);
		expect(bucket.take(5)).toBe(false);
	});
});
