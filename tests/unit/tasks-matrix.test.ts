import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyTextDiff } from '../../src/lib/shared/schema';
import {
	addTask,
	getTaskText,
	readTasks,
	removeTask,
	setTaskDeadline,
	setTaskLead,
	setTaskRole,
	setTaskStatus,
	type Task
} from '../../src/lib/shared/tasks';
import { buildMatrix, OVERLOAD_LEAD_THRESHOLD } from '../../src/lib/shared/matrix';

function task(id: string, roles: Task['roles'], status: Task['status'] = 'todo'): Task {
	return { id, title: id, description: '', deadline: '', status, roles, createdAt: 0 };
}

describe('step 4 tasks', () => {
	it('creates, edits and removes a task with its title, description, deadline and status', () => {
		const doc = new Y.Doc();
		const id = addTask(doc, { title: 'Rencontrer le maire' }, 5);
		applyTextDiff(getTaskText(doc, id, 'description')!, 'Présenter la pétition');
		setTaskDeadline(doc, id, '2026-12-15');
		setTaskStatus(doc, id, 'doing');
		expect(readTasks(doc)).toEqual([
			{
				id,
				title: 'Rencontrer le maire',
				description: 'Présenter la pétition',
				deadline: '2026-12-15',
				status: 'doing',
				roles: {},
				createdAt: 5
			}
		]);
		setTaskDeadline(doc, id, '15/12/2026');
		setTaskStatus(doc, id, 'finished' as never);
		expect(readTasks(doc)[0]).toMatchObject({ deadline: '2026-12-15', status: 'doing' });
		removeTask(doc, id);
		expect(readTasks(doc)).toEqual([]);
	});

	it('keeps one responsible ally: a new lead makes the previous one a contributor', () => {
		const doc = new Y.Doc();
		const id = addTask(doc, { title: 'Radio' });
		setTaskLead(doc, id, 'care');
		setTaskRole(doc, id, 'mairie', 'consulted');
		expect(readTasks(doc)[0].roles).toEqual({ care: 'lead', mairie: 'consulted' });
		setTaskRole(doc, id, 'mairie', 'lead');
		expect(readTasks(doc)[0].roles).toEqual({ care: 'contributes', mairie: 'lead' });
		setTaskLead(doc, id, null);
		expect(readTasks(doc)[0].roles).toEqual({ care: 'contributes', mairie: 'contributes' });
		setTaskRole(doc, id, 'care', null);
		setTaskRole(doc, id, 'mairie', 'boss' as never);
		expect(readTasks(doc)[0].roles).toEqual({ mairie: 'contributes' });
	});

	it('keeps both tasks when two people add one at the same moment', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		addTask(a, { title: 'Affiches' });
		addTask(b, { title: 'Réunion' });
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		expect(
			readTasks(a)
				.map((t) => t.title)
				.sort()
		).toEqual(['Affiches', 'Réunion']);
		expect(readTasks(b)).toEqual(readTasks(a));
	});
});

describe('the who-does-what matrix', () => {
	const allies = [{ id: 'care' }, { id: 'mairie' }, { id: 'radio' }];

	it('gives each ally its role in each task', () => {
		const matrix = buildMatrix([task('t1', { care: 'lead', radio: 'informed' })], allies);
		expect(matrix.role('t1', 'care')).toBe('lead');
		expect(matrix.role('t1', 'radio')).toBe('informed');
		expect(matrix.role('t1', 'mairie')).toBeNull();
		expect(matrix.leadsOf('t1')).toEqual(['care']);
	});

	it('flags open tasks nobody leads, but not done ones', () => {
		const matrix = buildMatrix(
			[
				task('led', { care: 'lead' }),
				task('orphan', { care: 'contributes' }),
				task('empty', {}),
				task('old', {}, 'done')
			],
			allies
		);
		expect([...matrix.unowned].sort()).toEqual(['empty', 'orphan']);
	});

	it('counts a removed ally for nothing: its task is unowned again', () => {
		const matrix = buildMatrix([task('t1', { gone: 'lead' })], allies);
		expect([...matrix.unowned]).toEqual(['t1']);
		expect(matrix.role('t1', 'gone')).toBeNull();
	});

	it(`flags an ally leading more than ${OVERLOAD_LEAD_THRESHOLD} open tasks, and only then`, () => {
		const led = (n: number, status: Task['status'] = 'todo') =>
			Array.from({ length: n }, (_, i) => task(`${status}${i}`, { care: 'lead' }, status));
		const atThreshold = buildMatrix([...led(OVERLOAD_LEAD_THRESHOLD), ...led(2, 'done')], allies);
		expect(atThreshold.overloaded.size).toBe(0);
		expect(atThreshold.openLeads('care')).toBe(OVERLOAD_LEAD_THRESHOLD);
		const over = buildMatrix(led(OVERLOAD_LEAD_THRESHOLD + 1, 'doing'), allies);
		expect([...over.overloaded]).toEqual([['care', OVERLOAD_LEAD_THRESHOLD + 1]]);
		// Contributing to many tasks is not leading them.
		const many = Array.from({ length: 10 }, (_, i) =>
			task(`c${i}`, { radio: 'contributes', care: 'lead' })
		);
		expect([...buildMatrix(many, allies, 20).overloaded]).toEqual([]);
	});

	it('shows a task with two leads (named at the same moment on two screens) as contested', () => {
		const a = new Y.Doc();
		const id = addTask(a, { title: 'Radio' });
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		setTaskLead(a, id, 'care');
		setTaskLead(b, id, 'mairie');
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		const matrix = buildMatrix(readTasks(a), allies);
		expect(matrix.leadsOf(id).sort()).toEqual(['care', 'mairie']);
		expect([...matrix.contested]).toEqual([id]);
		expect(matrix.unowned.size).toBe(0);
	});
});
