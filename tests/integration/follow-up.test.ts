/**
 * The follow-up period, with raw command clients: once the board is archived the facilitator opens
 * it; each organisation's delegate then sets the status of the tasks its organisation leads or
 * contributes to, and no other — not another organisation's delegate, not a member who is not the
 * delegate, not an observer; the archived board drops a direct document write; outside the period
 * a delegate is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer } from '../fixtures/server';
import { sleep, waitForSynced } from '../fixtures/clients';
import { useCommandMembers } from '../fixtures/command-members';
import type { RunningServer } from '../../server/app';
import { withKey } from '../../src/lib/realtime/commands';
import { addAlly } from '../../src/lib/shared/schema';
import { setAllyOrganisation } from '../../src/lib/shared/acceptances';
import { addTask, readTasks, setTaskRole } from '../../src/lib/shared/tasks';
import { readFollowUps } from '../../src/lib/shared/maintenance';

let server: RunningServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());
const member = useCommandMembers(() => server);

async function organisationOf(room: string, userId: string): Promise<string> {
	return (await server.services.storage.getMembership(room, userId))!.organisationId!;
}

async function statusOf(room: string, taskId: string): Promise<string | undefined> {
	return server.services.registry.readDocument(
		room,
		(doc) => readTasks(doc).find((task) => task.id === taskId)?.status
	);
}

describe('the follow-up period', () => {
	it('lets a delegate update only its own organisation’s tasks, and only while it is open', async () => {
		const room = 'follow-up-period';
		const facilitator = await member(room);
		const care = await member(room, {
			role: 'participant',
			name: 'Fatou',
			organisation: 'CARE Mali'
		});
		const careColleague = await member(room, {
			role: 'participant',
			name: 'Awa',
			organisation: 'CARE Mali'
		});
		const radio = await member(room, {
			role: 'participant',
			name: 'Moussa',
			organisation: 'Radio rurale'
		});
		const observer = await member(room, {
			role: 'observer',
			name: 'Aminata',
			organisation: 'CARE Mali'
		});
		const careId = await organisationOf(room, care.userId);
		const radioId = await organisationOf(room, radio.userId);
		let prefect = '';
		let broadcast = '';
		await server.services.registry.changeDocument(room, (doc) => {
			const careAlly = addAlly(doc, { name: 'CARE Mali', type: 'organisation' });
			setAllyOrganisation(doc, careAlly, careId);
			const radioAlly = addAlly(doc, { name: 'Radio rurale', type: 'organisation' });
			setAllyOrganisation(doc, radioAlly, radioId);
			prefect = addTask(doc, { title: 'Rencontrer le préfet' });
			setTaskRole(doc, prefect, careAlly, 'lead');
			setTaskRole(doc, prefect, radioAlly, 'informed');
			broadcast = addTask(doc, { title: 'Émission radio' });
			setTaskRole(doc, broadcast, radioAlly, 'contributes');
		});
		const update = (who: typeof care, taskId: string, status: string) =>
			who.client.send('followup:task', withKey({ taskId, status }) as never);

		// Before the period: refused; and it opens only on an archived board.
		expect(await update(care, prefect, 'doing')).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'follow_up_closed'
		});
		expect(await facilitator.client.send('followup:period', { open: true })).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'not_archived'
		});
		expect((await facilitator.client.send('workshop:archive', {})).ok).toBe(true);
		expect(await facilitator.client.send('followup:period', { open: true })).toEqual({
			ok: true,
			value: { open: true }
		});
		expect(await care.client.send('followup:period', { open: false } as never)).toMatchObject({
			ok: false,
			error: 'forbidden'
		});

		// CARE Mali's delegate updates CARE Mali's task; nobody else may.
		expect(await update(care, prefect, 'done')).toEqual({
			ok: true,
			value: { taskId: prefect, status: 'done' }
		});
		expect(await statusOf(room, prefect)).toBe('done');
		expect(await update(radio, prefect, 'todo')).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'not_your_task'
		});
		expect(await update(careColleague, prefect, 'todo')).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'not_delegate'
		});
		expect(await update(observer, prefect, 'todo')).toMatchObject({
			ok: false,
			error: 'forbidden'
		});
		expect(await update(radio, broadcast, 'doing')).toMatchObject({ ok: true });
		expect(await update(care, broadcast, 'done')).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'not_your_task'
		});
		expect(await update(radio, 'no-such-task', 'done')).toEqual({
			ok: false,
			error: 'not_found',
			reason: 'task'
		});
		expect(await statusOf(room, prefect)).toBe('done');
		expect(await statusOf(room, broadcast)).toBe('doing');

		// The board itself stays read-only: a direct write of the status is dropped.
		const board = radio.board();
		await waitForSynced(board);
		board.doc.transact(() =>
			(board.doc.getMap('tasks').get(prefect) as Y.Map<unknown>).set('status', 'todo')
		);
		await sleep(300);
		expect(await statusOf(room, prefect)).toBe('done');

		// A delegate adds to the follow-up log, signed with its organisation.
		expect(
			await radio.client.send(
				'followup:log',
				withKey({ date: '2026-12-10', what: 'Émission enregistrée' }) as never
			)
		).toMatchObject({ ok: true });
		const log = await server.services.registry.readDocument(room, readFollowUps);
		expect(log.map((entry) => [entry.date, entry.what, entry.who])).toEqual([
			['2026-12-10', 'Émission enregistrée', 'Radio rurale']
		]);
		expect(
			await careColleague.client.send(
				'followup:log',
				withKey({ date: '', what: 'Moi aussi' }) as never
			)
		).toMatchObject({ ok: false, error: 'forbidden' });

		// Closed again: delegates are refused, the facilitator still may.
		expect(await facilitator.client.send('followup:period', { open: false })).toEqual({
			ok: true,
			value: { open: false }
		});
		expect(await update(care, prefect, 'todo')).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'follow_up_closed'
		});
		expect(await update(facilitator, prefect, 'doing')).toMatchObject({ ok: true });
		expect(await statusOf(room, prefect)).toBe('doing');
	});
});
