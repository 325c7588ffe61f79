import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { compareRecords, isUnchanged } from '../../src/lib/shared/record-diff';
import { readRecord } from '../../src/lib/shared/record';
import { addAlly, removeAlly, renameAlly } from '../../src/lib/shared/schema';
import { addTask, setTaskRole, setTaskStatus } from '../../src/lib/shared/tasks';

describe('comparing a version with now', () => {
	it('names allies, tasks and roles added, changed and removed, by id', () => {
		const doc = new Y.Doc();
		const care = addAlly(doc, { name: 'CARE Mali', type: 'organisation' });
		const radio = addAlly(doc, { name: 'Radio rurale', type: 'organisation' });
		const task = addTask(doc, { title: 'Rencontrer le préfet' });
		setTaskRole(doc, task, care, 'lead');
		setTaskRole(doc, task, radio, 'informed');
		const then = readRecord(doc);
		expect(isUnchanged(compareRecords(then, readRecord(doc)))).toBe(true);

		renameAlly(doc, care, 'CARE Mali (Kayes)');
		removeAlly(doc, radio);
		const imam = addAlly(doc, { name: 'Imam de Kayes', type: 'individual' });
		setTaskRole(doc, task, imam, 'contributes');
		setTaskStatus(doc, task, 'done');
		addTask(doc, { title: 'Émission radio' });
		const diff = compareRecords(then, readRecord(doc));
		expect(diff.allies).toEqual({
			added: ['Imam de Kayes'],
			changed: ['CARE Mali (Kayes)'],
			removed: ['Radio rurale']
		});
		expect(diff.tasks).toEqual({
			added: ['Émission radio'],
			changed: ['Rencontrer le préfet'],
			removed: []
		});
		expect(diff.roles.added).toEqual(['Rencontrer le préfet · Imam de Kayes (contributes)']);
		expect(diff.roles.removed).toEqual(['Rencontrer le préfet · Radio rurale (informed)']);
		expect(diff.charter.changed).toBe(false);
		expect(isUnchanged(diff)).toBe(false);
	});
});
