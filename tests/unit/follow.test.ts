/** Following the facilitator's step: moved while following, not after breaking away, back in one tap. */
import { describe, expect, it } from 'vitest';
import { FollowState } from '../../src/lib/state/follow.svelte';

function setup(start = 'identify') {
	const person = { step: start, moves: [] as string[] };
	const follow = new FollowState<string>((step) => {
		person.step = step;
		person.moves.push(step);
	});
	return { person, follow };
}

describe('FollowState', () => {
	it('moves a follower each time the facilitator brings everyone to a step', () => {
		const { person, follow } = setup();
		follow.groupMoved('study');
		expect(person.step).toBe('study');
		follow.groupMoved('tasks');
		expect(person.step).toBe('tasks');
		expect(follow.isAway(person.step)).toBe(false);
	});

	it('moves nobody when the facilitator lets everyone move freely', () => {
		const { person, follow } = setup();
		follow.groupMoved(null);
		expect(person.moves).toEqual([]);
		expect(follow.isAway(person.step)).toBe(false);
	});

	it('leaves someone who broke away where they are, shows them away, and brings them back in one tap', () => {
		const { person, follow } = setup();
		follow.groupMoved('study');
		follow.breakAway();
		person.step = 'candidates';
		follow.groupMoved('tasks');
		expect(person.step).toBe('candidates');
		expect(follow.following).toBe(false);
		expect(follow.isAway(person.step)).toBe(true);

		follow.comeBack();
		expect(person.step).toBe('tasks');
		expect(follow.following).toBe(true);
		expect(follow.isAway(person.step)).toBe(false);
		follow.groupMoved('maintain');
		expect(person.step).toBe('maintain');
	});

	it('shows a follower who navigated elsewhere as away', () => {
		const { person, follow } = setup();
		follow.groupMoved('study');
		person.step = 'identify';
		expect(follow.isAway(person.step)).toBe(true);
	});
});
