import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { groupStep, readPeople } from '../../src/lib/shared/presence';
import {
	isBoardStep,
	neighbourStep,
	readFacilitatedStep,
	BOARD_STEPS
} from '../../src/lib/shared/steps';

const me = {
	name: 'Amina',
	organisation: 'CARE Mali',
	role: 'facilitator' as const,
	colour: '#1a5fb4'
};

describe('the path', () => {
	it('runs Option 1, then Option 2 with the common objective before step 3', () => {
		expect(BOARD_STEPS).toEqual([
			'candidates',
			'identify',
			'study',
			'objective',
			'mobilise',
			'tasks',
			'maintain'
		]);
		expect(neighbourStep('candidates', -1)).toBeNull();
		expect(neighbourStep('study', 1)).toBe('objective');
		expect(neighbourStep('maintain', 1)).toBeNull();
		expect(isBoardStep('tasks')).toBe(true);
		expect(isBoardStep('admin')).toBe(false);
	});

	it("reads the facilitator's step from the server-owned facilitation root, ignoring anything else", () => {
		const doc = new Y.Doc();
		expect(readFacilitatedStep(doc)).toBeNull();
		doc.getMap('facilitation').set('step', 'nowhere');
		expect(readFacilitatedStep(doc)).toBeNull();
		doc.getMap('facilitation').set('step', 'tasks');
		expect(readFacilitatedStep(doc)).toBe('tasks');
	});
});

describe('presence', () => {
	const states = new Map<number, Record<string, unknown>>([
		[7, { step: 'study' }],
		[
			3,
			{
				user: {
					name: 'Moussa',
					organisation: 'Radio rurale',
					role: 'participant',
					colour: '#b3261e'
				},
				step: 'tasks'
			}
		],
		[
			9,
			{
				user: {
					name: 'Awa',
					organisation: null,
					role: 'observer',
					colour: 'red; background: url(x)'
				},
				step: 'x'
			}
		],
		[4, { step: 'identify' }],
		[
			5,
			{
				user: { name: 'Amina', role: 'facilitator', colour: '#1a5fb4' },
				step: 'study',
				projector: true
			}
		]
	]);

	it('lists this person first, then the others by name, with their organisation, colour and step (no projector)', () => {
		expect(readPeople(states, 7, me)).toEqual([
			{ clientId: 7, ...me, step: 'study', self: true },
			{
				clientId: 9,
				name: 'Awa',
				organisation: null,
				role: 'observer',
				colour: '#5b645f',
				step: null,
				self: false
			},
			{
				clientId: 3,
				name: 'Moussa',
				organisation: 'Radio rurale',
				role: 'participant',
				colour: '#b3261e',
				step: 'tasks',
				self: false
			}
		]);
	});

	it('puts the group where the facilitator brought it, else where a facilitator is working', () => {
		const people = readPeople(
			new Map([
				[1, { user: { name: 'Moussa', role: 'participant', colour: '#b3261e' }, step: 'maintain' }],
				[2, { user: { name: 'Amina', role: 'facilitator', colour: '#1a5fb4' }, step: 'mobilise' }]
			]),
			99,
			me
		);
		expect(groupStep(null, people)).toBe('mobilise');
		expect(groupStep('tasks', people)).toBe('tasks');
		expect(
			groupStep(
				null,
				people.filter((p) => p.role !== 'facilitator')
			)
		).toBeNull();
		// A facilitator's own screen (laptop, projector) follows the others, never itself.
		const alone = readPeople(new Map([[99, { step: 'maintain' }]]), 99, me);
		expect(groupStep(null, alone)).toBeNull();
	});
});
