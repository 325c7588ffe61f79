/**
 * Counts events (wrong passwords, wrong join codes, sign-ups) per key in a sliding window. Behind an
 * interface so several server processes can share one later (Redis); the memory implementation
 * serves one process. Created once, in server/services.ts.
 */

export interface RateRule {
	/** Failures allowed within the window; the next attempt is refused. */
	limit: number;
	windowMs: number;
}

export interface RateLimiter {
	/** Null when `key` may try now; otherwise how long until its oldest failure leaves the window. */
	checkLimit(key: string, rule: RateRule): Promise<{ retryAfterMs: number } | null>;
	recordFailure(key: string, rule: RateRule): Promise<void>;
	clearFailures(key: string): Promise<void>;
	/** Keeps `key` for `ttlMs`: something that went right (a code that worked from an address). */
	remember(key: string, ttlMs: number): Promise<void>;
	remembers(key: string): Promise<boolean>;
}

/** Sign-in: per account (login as typed, existing or not) and per client address. */
export const SIGN_IN_PER_ACCOUNT: RateRule = { limit: 5, windowMs: 15 * 60_000 };
export const SIGN_IN_PER_ADDRESS: RateRule = { limit: 20, windowMs: 15 * 60_000 };

/** Sign-up attempts per client address (each costs an Argon2 hash and may create an account). */
export const SIGN_UP_PER_ADDRESS: RateRule = { limit: 20, windowMs: 3600_000 };

/**
 * Wrong join codes (valid codes never count). A device (its join cookie) that mistypes 5 times in
 * a minute waits; an address past 60 wrong codes in an hour may only use codes already used from
 * it, so a room on one venue Wi-Fi keeps joining. README "Joining" has the arithmetic.
 */
export const JOIN_FAILURES_PER_DEVICE: RateRule = { limit: 5, windowMs: 60_000 };
export const JOIN_FAILURES_PER_ADDRESS: RateRule = { limit: 60, windowMs: 3600_000 };
/** How long a code that worked from an address keeps working there past the address's limit. */
export const JOIN_CODE_REMEMBERED_MS = 12 * 3600_000;

/** Past this many keys, expired ones are swept: a flood of distinct keys cannot grow memory forever. */
const SWEEP_THRESHOLD = 10_000;

export class MemoryRateLimiter implements RateLimiter {
	readonly #failures = new Map<string, { times: number[]; windowMs: number }>();
	readonly #remembered = new Map<string, number>();
	readonly #now: () => number;

	constructor(options: { now?: () => number } = {}) {
		this.#now = options.now ?? Date.now;
	}

	async checkLimit(key: string, rule: RateRule): Promise<{ retryAfterMs: number } | null> {
		const times = this.#recent(key, rule.windowMs);
		if (times.length < rule.limit) return null;
		return { retryAfterMs: times[times.length - rule.limit] + rule.windowMs - this.#now() };
	}

	async recordFailure(key: string, rule: RateRule): Promise<void> {
		const times = this.#recent(key, rule.windowMs);
		times.push(this.#now());
		// Only the last `limit` failures ever decide: keep no more.
		if (times.length > rule.limit) times.splice(0, times.length - rule.limit);
		this.#failures.set(key, { times, windowMs: rule.windowMs });
		if (this.#failures.size > SWEEP_THRESHOLD) this.#sweep();
	}

	async clearFailures(key: string): Promise<void> {
		this.#failures.delete(key);
	}

	async remember(key: string, ttlMs: number): Promise<void> {
		this.#remembered.set(key, this.#now() + ttlMs);
		if (this.#remembered.size > SWEEP_THRESHOLD) this.#sweep();
	}

	async remembers(key: string): Promise<boolean> {
		return (this.#remembered.get(key) ?? 0) > this.#now();
	}

	#recent(key: string, windowMs: number): number[] {
		const since = this.#now() - windowMs;
		return (this.#failures.get(key)?.times ?? []).filter((time) => time > since);
	}

	#sweep(): void {
		const now = this.#now();
		for (const [key, entry] of this.#failures) {
			if (entry.times.every((time) => time <= now - entry.windowMs)) this.#failures.delete(key);
		}
		for (const [key, until] of this.#remembered) if (until <= now) this.#remembered.delete(key);
	}
}
