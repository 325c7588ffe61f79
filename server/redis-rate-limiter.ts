/**
 * The core's RateLimiter (src/lib/server/rate-limiter.ts) on Redis, shared by every instance:
 * rate-limiter-flexible's RateLimiterRedis, one per rule. Its windows are fixed (they start at a
 * key's first failure) where the memory limiter's slide; the bound per window is the same. While
 * Redis is unreachable each rule falls back to an in-memory limiter of the same rule (the
 * library's insurance limiter), so sign-in and joining keep working on every instance, each
 * counting alone until Redis returns.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { MemoryRateLimiter, type RateLimiter, type RateRule } from '../src/lib/server/rate-limiter';

const PREFIX = 'coalition:limit';

export class RedisRateLimiter implements RateLimiter {
	readonly #redis: Redis;
	readonly #limiters = new Map<string, RateLimiterRedis>();
	/** What `remember` falls back to while Redis is unreachable. */
	readonly #memory = new MemoryRateLimiter();

	constructor(redis: Redis) {
		this.#redis = redis;
	}

	async checkLimit(key: string, rule: RateRule): Promise<{ retryAfterMs: number } | null> {
		const state = await this.#limiter(rule).get(key);
		if (!state || state.consumedPoints < rule.limit) return null;
		return { retryAfterMs: Math.max(1, state.msBeforeNext) };
	}

	async recordFailure(key: string, rule: RateRule): Promise<void> {
		// A penalty counts without refusing: refusing is checkLimit's call, before the attempt.
		await this.#limiter(rule).penalty(key, 1);
	}

	async clearFailures(key: string): Promise<void> {
		await Promise.all([...this.#limiters.values()].map((limiter) => limiter.delete(key)));
	}

	async remember(key: string, ttlMs: number): Promise<void> {
		await this.#memory.remember(key, ttlMs);
		await this.#redis.set(`${PREFIX}:remember:${key}`, '1', 'PX', ttlMs).catch(() => {});
	}

	async remembers(key: string): Promise<boolean> {
		try {
			return (await this.#redis.exists(`${PREFIX}:remember:${key}`)) === 1;
		} catch {
			return this.#memory.remembers(key);
		}
	}

	#limiter(rule: RateRule): RateLimiterRedis {
		const name = `${rule.limit}:${rule.windowMs}`;
		let limiter = this.#limiters.get(name);
		if (!limiter) {
			const points = rule.limit;
			const duration = Math.ceil(rule.windowMs / 1000);
			limiter = new RateLimiterRedis({
				storeClient: this.#redis,
				keyPrefix: `${PREFIX}:${name}`,
				points,
				duration,
				insuranceLimiter: new RateLimiterMemory({ points, duration })
			});
			this.#limiters.set(name, limiter);
		}
		return limiter;
	}
}
