/**
 * Runs tasks one at a time per key, in arrival order. Commands of one workshop go through here, so
 * two facilitators acting at once see one success and one clear refusal, never a mix.
 */
export class KeyedSerialQueue {
	readonly #tails = new Map<string, Promise<unknown>>();

	run<T>(key: string, task: () => Promise<T> | T): Promise<T> {
		const previous = this.#tails.get(key) ?? Promise.resolve();
		const result = previous.then(task, task);
		const tail = result.catch(() => undefined);
		this.#tails.set(key, tail);
		// Forget idle keys: the map only holds workshops with commands in flight.
		tail.then(() => {
			if (this.#tails.get(key) === tail) this.#tails.delete(key);
		});
		return result;
	}

	get size(): number {
		return this.#tails.size;
	}
}
