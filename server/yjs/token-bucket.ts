/** A token bucket: `capacity` tokens, refilled at `perSecond`. */
export class TokenBucket {
	#tokens: number;
	#last: number;

	constructor(
		readonly capacity: number,
		readonly perSecond: number,
		readonly now: () => number = () => performance.now()
	) {
		this.#tokens = capacity;
		this.#last = now();
	}

	/** Takes `amount` tokens if available; returns false (taking nothing) otherwise. */
	take(amount = 1): boolean {
		const now = this.now();
		this.#tokens = Math.min(
			this.capacity,
			this.#tokens + ((now - this.#last) / 1000) * this.perSecond
		);
		this.#last = now;
		if (amount > this.#tokens) return false;
		this.#tokens -= amount;
		return true;
	}
}
