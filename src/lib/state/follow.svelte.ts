/**
 * Following the facilitator: while following, this person is moved each time the facilitator
 * brings everyone to a step. They can break away (explore on their own: later moves no longer pull
 * them) and come back to the group with one tap. Self-contained: it is told where the group is and
 * how to move this person, and knows nothing of the navigation (call `breakAway` when the person
 * picks another step themselves, if that should count as leaving the group).
 */
export class FollowState<S extends string> {
	readonly #go: (step: S) => void;
	#following = $state(true);
	#group = $state<S | null>(null);

	constructor(go: (step: S) => void) {
		this.#go = go;
	}

	/** The step the facilitator brought everyone to (null: everyone moves freely). */
	get group(): S | null {
		return this.#group;
	}

	get following(): boolean {
		return this.#following;
	}

	/** Whether this person is somewhere else than the group's step. */
	isAway(current: S): boolean {
		return this.#group !== null && current !== this.#group;
	}

	/** The facilitator's step changed (or is known for the first time): followers are moved. */
	groupMoved(step: S | null): void {
		this.#group = step;
		if (step !== null && this.#following) this.#go(step);
	}

	breakAway(): void {
		this.#following = false;
	}

	comeBack(): void {
		this.#following = true;
		if (this.#group !== null) this.#go(this.#group);
	}
}
