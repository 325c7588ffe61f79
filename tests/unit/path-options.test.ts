import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BOARD_STEPS, neighbourStep, readPathOption, stepsOf } from '../../src/lib/shared/steps';

describe('the path a workshop runs', () => {
	it('shows every step for both options, and one option’s steps with the common objective otherwise', () => {
		expect(stepsOf('both')).toEqual(BOARD_STEPS);
		expect(stepsOf('join')).toEqual(['candidates', 'objective']);
		expect(stepsOf('create')).toEqual([
			'identify',
			'study',
			'objective',
			'mobilise',
			'tasks',
			'maintain'
		]);
	});

	it('moves to the neighbouring step within the workshop’s own path', () => {
		expect(neighbourStep('candidates', 1, stepsOf('join'))).toBe('objective');
		expect(neighbourStep('objective', 1, stepsOf('join'))).toBeNull();
		expect(neighbourStep('identify', -1, stepsOf('create'))).toBeNull();
		expect(neighbourStep('identify', -1)).toBe('candidates');
		expect(neighbourStep('tasks', 1, stepsOf('join'))).toBeNull();
	});

	it('reads both options until the facilitator chooses, and ignores an unknown value', () => {
		const doc = new Y.Doc();
		expect(readPathOption(doc)).toBe('both');
		doc.getMap('facilitation').set('path', 'join');
		expect(readPathOption(doc)).toBe('join');
		doc.getMap('facilitation').set('path', 'everything');
		expect(readPathOption(doc)).toBe('both');
	});
});
