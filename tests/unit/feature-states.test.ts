/**
 * The feature states components write through (TasksState, PipelineState, MaintenanceState): each
 * method makes the very write the components used to make on the document themselves (the same
 * lib/shared function, with this person's origin), and deletions go through the board's "Annuler".
 * A plain Y.Doc stands in for the board; BoardState's own methods are in board-state.test.ts.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BoardDocument } from '../../src/lib/state/board.svelte';
import { TasksState } from '../../src/lib/state/tasks.svelte';
import { PipelineState } from '../../src/lib/state/pipeline.svelte';
import { MaintenanceState } from '../../src/lib/state/maintenance.svelte';
import { addAlly, applyTextDiff, type RootName } from '../../src/lib/shared/schema';
import {
	addTask,
	readTasks,
	setTaskDeadline,
	setTaskLead,
	setTaskRole,
	setTaskStatus
} from '../../src/lib/shared/tasks';
import { readPipeline, setAllyStatus, setNextActionDate } from '../../src/lib/shared/pipeline';
import {
	addFollowUp,
	addPrinciple,
	readFollowUps,
	readPrinciples,
	setFollowUpDate,
	setPrincipleAgreed
} from '../../src/lib/shared/maintenance';

/** A board over a plain Y.Doc: the same origins and deletion undo as BoardState's. */
function standIn() {
	const doc = new Y.Doc();
	const origin = { local: true };
	const deleteOrigin = { local: true, deletion: true };
	const origins: unknown[] = [];
	const tracked: RootName[] = [];
	const removals: { kind: string; name: string }[] = [];
	doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin));
	const undo = new Y.UndoManager(
		(['allies', 'tasks', 'principles', 'followUps'] as const).map((root) => doc.getMap(root)),
		{ trackedOrigins: new Set([deleteOrigin]), captureTimeout: 0 }
	);
	const board: BoardDocument = {
		doc,
		origin,
		track: (root) => void tracked.push(root),
		removeWithUndo(kind, name, remove) {
			removals.push({ kind, name });
			remove(deleteOrigin);
		}
	};
	return { board, doc, origin, deleteOrigin, origins, tracked, removals, undo };
}

/** The document as the other browsers see it. */
function contents(doc: Y.Doc) {
	return Object.fromEntries(
		(['allies', 'tasks', 'principles', 'followUps', 'maintenance'] as const).map((root) => [
			root,
			doc.getMap(root).toJSON()
		])
	);
}

/** A copy of the document, to make the components' former write on. */
function twin(doc: Y.Doc): Y.Doc {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
}

/**
 * Runs the state's method on the document and the former component write on a copy of it: both
 * end the same, in one transaction with this person's origin.
 */
function expectSameWrite(
	setup: ReturnType<typeof standIn>,
	method: () => void,
	former: (doc: Y.Doc, origin: unknown) => void
) {
	const copy = twin(setup.doc);
	const copyOrigins: unknown[] = [];
	copy.on('afterTransaction', (transaction: Y.Transaction) => copyOrigins.push(transaction.origin));
	setup.origins.length = 0;
	method();
	former(copy, setup.origin);
	expect(contents(setup.doc)).toEqual(contents(copy));
	expect(setup.origins).toEqual([setup.origin]);
	expect(copyOrigins).toEqual([setup.origin]);
}

describe('TasksState', () => {
	function withTask() {
		const setup = standIn();
		const tasks = new TasksState(setup.board);
		const lead = addAlly(setup.doc, { name: 'Radio rurale', type: 'organisation' }, 1);
		const other = addAlly(setup.doc, { name: 'Mairie', type: 'institution' }, 2);
		const id = addTask(setup.doc, { title: 'Rencontrer le maire' }, 3);
		return { ...setup, tasks, lead, other, id };
	}

	it('adds a task with its title, as this person (what the add form wrote)', () => {
		const { board, origins, origin, tracked } = standIn();
		const state = new TasksState(board);
		const before = Date.now();
		const id = state.add('Rencontrer le maire');
		expect(origins).toEqual([origin]);
		expect(state.tasks).toEqual([
			{
				id,
				title: 'Rencontrer le maire',
				description: '',
				deadline: '',
				status: 'todo',
				roles: {},
				createdAt: expect.any(Number)
			}
		]);
		expect(state.tasks[0].createdAt).toBeGreaterThanOrEqual(before);
		expect(tracked).toContain('tasks');
	});

	it('sets the status and the deadline as the task card did', () => {
		const setup = withTask();
		const { tasks, id } = setup;
		expectSameWrite(
			setup,
			() => tasks.setStatus(id, 'doing'),
			(doc, origin) => setTaskStatus(doc, id, 'doing', origin)
		);
		expectSameWrite(
			setup,
			() => tasks.setDeadline(id, '2026-12-15'),
			(doc, origin) => setTaskDeadline(doc, id, '2026-12-15', origin)
		);
		expectSameWrite(
			setup,
			() => tasks.setDeadline(id, ''),
			(doc, origin) => setTaskDeadline(doc, id, '', origin)
		);
		expect(readTasks(setup.doc)[0]).toMatchObject({ status: 'doing', deadline: '' });
	});

	it('names the lead and gives roles as the task card and the matrix did', () => {
		const setup = withTask();
		const { tasks, id, lead, other } = setup;
		expectSameWrite(
			setup,
			() => tasks.setLead(id, lead),
			(doc, origin) => setTaskLead(doc, id, lead, origin)
		);
		// The matrix names another lead: the previous one keeps a contributor's role.
		expectSameWrite(
			setup,
			() => tasks.setRole(id, other, 'lead'),
			(doc, origin) => setTaskRole(doc, id, other, 'lead', origin)
		);
		expect(readTasks(setup.doc)[0].roles).toEqual({ [lead]: 'contributes', [other]: 'lead' });
		// The task card's support box, then nobody leads.
		expectSameWrite(
			setup,
			() => tasks.setRole(id, lead, null),
			(doc, origin) => setTaskRole(doc, id, lead, null, origin)
		);
		expectSameWrite(
			setup,
			() => tasks.setLead(id, null),
			(doc, origin) => setTaskLead(doc, id, null, origin)
		);
		expect(readTasks(setup.doc)[0].roles).toEqual({ [other]: 'contributes' });
	});

	it('hands out the live title and description for the inputs', () => {
		const { tasks, id, doc, tracked } = withTask();
		applyTextDiff(tasks.text(id, 'description')!, 'Présenter la pétition');
		expect(tasks.text(id, 'title')?.toString()).toBe('Rencontrer le maire');
		expect(readTasks(doc)[0].description).toBe('Présenter la pétition');
		expect(tasks.text('nope', 'title')).toBeNull();
		expect(tracked).toContain('tasks');
	});

	it('deletes a task through "Annuler", which brings it back with its roles', () => {
		const { tasks, id, lead, doc, removals, origins, deleteOrigin, undo } = withTask();
		tasks.setLead(id, lead);
		origins.length = 0;
		tasks.remove(id, 'Rencontrer le maire');
		expect(removals).toEqual([{ kind: 'task', name: 'Rencontrer le maire' }]);
		expect(origins).toEqual([deleteOrigin]);
		expect(readTasks(doc)).toEqual([]);
		undo.undo();
		expect(readTasks(doc)).toMatchObject([
			{ id, title: 'Rencontrer le maire', roles: { [lead]: 'lead' } }
		]);
	});
});

describe('PipelineState', () => {
	function withAlly() {
		const setup = standIn();
		const pipeline = new PipelineState(setup.board);
		const id = addAlly(setup.doc, { name: 'Radio rurale', type: 'organisation' }, 1);
		return { ...setup, pipeline, id };
	}

	it('moves an ally on and dates its next action as the pipeline card did', () => {
		const setup = withAlly();
		const { pipeline, id } = setup;
		expectSameWrite(
			setup,
			() => pipeline.setStatus(id, 'studied'),
			(doc, origin) => setAllyStatus(doc, id, 'studied', origin)
		);
		expectSameWrite(
			setup,
			() => pipeline.setStatus(id, 'declined'),
			(doc, origin) => setAllyStatus(doc, id, 'declined', origin)
		);
		expectSameWrite(
			setup,
			() => pipeline.setNextActionDate(id, '2026-03-01'),
			(doc, origin) => setNextActionDate(doc, id, '2026-03-01', origin)
		);
		expect(readPipeline(setup.doc)[0]).toMatchObject({
			status: 'declined',
			nextActionDate: '2026-03-01'
		});
	});

	it('reads the entries and hands out the live fields, tracking the allies', () => {
		const { pipeline, id, tracked } = withAlly();
		applyTextDiff(pipeline.text(id, 'nextAction')!, 'Appeler la directrice');
		expect(pipeline.entries).toMatchObject([
			{
				id,
				name: 'Radio rurale',
				status: 'identified',
				fields: { nextAction: 'Appeler la directrice' }
			}
		]);
		expect(pipeline.text('nope', 'keyMessage')).toBeNull();
		expect(tracked.length).toBeGreaterThan(0);
		expect(new Set(tracked)).toEqual(new Set(['allies']));
	});
});

describe('MaintenanceState', () => {
	it('adds, agrees and deletes principles as the principle list did', () => {
		const setup = standIn();
		const maintenance = new MaintenanceState(setup.board);
		const before = Date.now();
		const id = maintenance.addPrinciple('On se dit les choses');
		expect(setup.origins).toEqual([setup.origin]);
		expect(maintenance.principles).toEqual([
			{ id, text: 'On se dit les choses', agreed: false, createdAt: expect.any(Number) }
		]);
		expect(maintenance.principles[0].createdAt).toBeGreaterThanOrEqual(before);
		expectSameWrite(
			setup,
			() => maintenance.setPrincipleAgreed(id, true),
			(doc, origin) => setPrincipleAgreed(doc, id, true, origin)
		);
		expect(maintenance.principleText(id)?.toString()).toBe('On se dit les choses');
		setup.origins.length = 0;
		maintenance.removePrinciple(id, 'On se dit les choses');
		expect(setup.removals).toEqual([{ kind: 'principle', name: 'On se dit les choses' }]);
		expect(setup.origins).toEqual([setup.deleteOrigin]);
		expect(readPrinciples(setup.doc)).toEqual([]);
		setup.undo.undo();
		expect(readPrinciples(setup.doc)).toMatchObject([{ id, agreed: true }]);
		expect(new Set(setup.tracked)).toEqual(new Set(['principles']));
	});

	it('adds, redates and deletes follow-ups as the follow-up log did', () => {
		const setup = standIn();
		const maintenance = new MaintenanceState(setup.board);
		const id = maintenance.addFollowUp({ date: '2026-02-01', what: 'Réunion', who: 'Awa' });
		expect(setup.origins).toEqual([setup.origin]);
		expect(maintenance.followUps).toEqual([
			{ id, date: '2026-02-01', what: 'Réunion', who: 'Awa', createdAt: expect.any(Number) }
		]);
		expectSameWrite(
			setup,
			() => maintenance.setFollowUpDate(id, '2026-02-08'),
			(doc, origin) => setFollowUpDate(doc, id, '2026-02-08', origin)
		);
		expect(maintenance.followUpText(id, 'who')?.toString()).toBe('Awa');
		setup.origins.length = 0;
		maintenance.removeFollowUp(id, 'Réunion');
		expect(setup.removals).toEqual([{ kind: 'followUp', name: 'Réunion' }]);
		expect(setup.origins).toEqual([setup.deleteOrigin]);
		expect(readFollowUps(setup.doc)).toEqual([]);
		setup.undo.undo();
		expect(readFollowUps(setup.doc)).toMatchObject([{ id, date: '2026-02-08', who: 'Awa' }]);
		expect(new Set(setup.tracked)).toEqual(new Set(['followUps']));
	});

	it('writes what the former add calls wrote, with this person as the origin', () => {
		const setup = standIn();
		const maintenance = new MaintenanceState(setup.board);
		const copy = twin(setup.doc);
		maintenance.addPrinciple('x'.repeat(400));
		maintenance.addFollowUp({ date: 'demain', what: 'Réunion', who: 'Awa' });
		addPrinciple(copy, 'x'.repeat(400), 0, setup.origin);
		addFollowUp(copy, { date: 'demain', what: 'Réunion', who: 'Awa' }, 0, setup.origin);
		const strip = <T extends { id: string; createdAt: number }>(rows: T[]) =>
			rows.map(({ id: _id, createdAt: _at, ...rest }) => rest);
		expect(strip(maintenance.principles)).toEqual(strip(readPrinciples(copy)));
		expect(strip(maintenance.followUps)).toEqual(strip(readFollowUps(copy)));
	});

	it('hands out the meeting rhythm once the server created it', () => {
		const setup = standIn();
		const maintenance = new MaintenanceState(setup.board);
		expect(maintenance.rhythm).toBeNull();
		setup.doc.getMap('maintenance').set('rhythm', new Y.Text('Tous les lundis'));
		expect(maintenance.rhythm?.toString()).toBe('Tous les lundis');
		expect(new Set(setup.tracked)).toEqual(new Set(['maintenance']));
	});
});
