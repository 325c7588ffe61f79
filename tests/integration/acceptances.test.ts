/**
 * Step 4's acceptances: only the delegate of the organisation an ally stands for accepts that
 * ally's roles in tasks; the server writes the acceptance into the server-owned root.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer } from '../fixtures/server';
import { sleep, waitFor } from '../fixtures/clients';
import { useCommandMembers } from '../fixtures/command-members';
import type { RunningServer } from '../../server/app';
import { withKey } from '../../src/lib/realtime/commands';
import { addAlly } from '../../src/lib/shared/schema';
import {
	acceptanceKey,
	readAcceptances,
	setAllyOrganisation
} from '../../src/lib/shared/acceptances';

let server: RunningServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());
const member = useCommandMembers(() => server);

/** A task shaped as step 4 makes it: roles by ally id. */
function addTask(doc: Y.Doc, id: string, title: string, roles: Record<string, string>): void {
	const task = new Y.Map<unknown>();
	task.set('title', new Y.Text(title));
	const map = new Y.Map<unknown>();
	for (const [allyId, role] of Object.entries(roles)) map.set(allyId, role);
	task.set('roles', map);
	task.set('createdAt', Date.now());
	doc.getMap('tasks').set(id, task);
}

describe('tasks:accept', () => {
	it('lets only the delegate of the ally’s organisation accept its assignment', async () => {
		const room = 'accept-delegate';
		await member(room);
		const delegate = await member(room, {
			role: 'participant',
			organisation: 'CARE Mali',
			name: 'Awa'
		});
		await sleep(2);
		const colleague = await member(room, { role: 'participant', organisation: 'CARE Mali' });
		const otherDelegate = await member(room, {
			role: 'participant',
			organisation: 'Mairie de Kayes'
		});
		const organisations = await delegate.client.send('organisations:list', {});
		if (!organisations.ok) throw new Error('organisations:list failed');
		const care = organisations.value.organisations.find(
			(organisation) => organisation.name === 'CARE Mali'
		)!;
		expect(care.delegate).toBe('Awa');
		expect(organisations.value.mine).toEqual({
			role: 'participant',
			organisationId: care.id,
			delegate: true
		});

		let allyId = '';
		let unlinked = '';
		await server.services.registry.changeDocument(room, (doc) => {
			allyId = addAlly(doc, { name: 'CARE Mali', type: 'organisation' });
			unlinked = addAlly(doc, { name: 'Radio Rurale', type: 'organisation' });
			setAllyOrganisation(doc, allyId, care.id);
			addTask(doc, 'task-1', 'Rencontrer le maire', { [allyId]: 'lead', [unlinked]: 'informed' });
		});
		const board = colleague.board();

		for (const refusedMember of [colleague, otherDelegate]) {
			expect(
				await refusedMember.client.send('tasks:accept', withKey({ taskId: 'task-1', allyId }))
			).toEqual({
				ok: false,
				error: 'forbidden',
				reason: 'not_delegate'
			});
		}
		expect(
			await delegate.client.send('tasks:accept', withKey({ taskId: 'task-1', allyId: unlinked }))
		).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'no_organisation'
		});
		expect(
			await delegate.client.send('tasks:accept', withKey({ taskId: 'task-2', allyId }))
		).toEqual({
			ok: false,
			error: 'not_found',
			reason: 'assignment'
		});
		expect(
			await server.services.registry.readDocument(room, (doc) => readAcceptances(doc).size)
		).toBe(0);

		const accepted = await delegate.client.send(
			'tasks:accept',
			withKey({ taskId: 'task-1', allyId })
		);
		expect(accepted).toMatchObject({
			ok: true,
			value: { taskId: 'task-1', allyId, organisationId: care.id, by: 'Awa', role: 'lead' }
		});
		await waitFor(() => readAcceptances(board.doc).has(acceptanceKey('task-1', allyId)), {
			what: 'the acceptance'
		});
	});

	it('is refused to observers, whatever their organisation', async () => {
		const room = 'accept-observer';
		await member(room);
		const observer = await member(room, { role: 'observer', organisation: 'CARE Mali' });
		expect(
			await observer.client.send('tasks:accept', withKey({ taskId: 't', allyId: 'a' }))
		).toEqual({ ok: false, error: 'forbidden', reason: 'role' });
	});
});

describe('an accepted role', () => {
	it('changes only through a facilitator or the delegate who accepted it (a raw client is put back)', async () => {
		const room = 'accepted-role-guard';
		const facilitator = await member(room);
		const delegate = await member(room, {
			role: 'participant',
			organisation: 'CARE Mali',
			name: 'Awa'
		});
		await sleep(2);
		const other = await member(room, {
			role: 'participant',
			organisation: 'Mairie de Kayes',
			name: 'Issa'
		});
		const organisations = await delegate.client.send('organisations:list', {});
		if (!organisations.ok) throw new Error('organisations:list failed');
		const care = organisations.value.organisations.find(
			(organisation) => organisation.name === 'CARE Mali'
		)!;
		let allyId = '';
		let open = '';
		await server.services.registry.changeDocument(room, (doc) => {
			allyId = addAlly(doc, { name: 'CARE Mali', type: 'organisation' });
			open = addAlly(doc, { name: 'Radio Rurale', type: 'organisation' });
			setAllyOrganisation(doc, allyId, care.id);
			addTask(doc, 'task-1', 'Rencontrer le maire', { [allyId]: 'lead', [open]: 'informed' });
		});
		expect(
			await delegate.client.send('tasks:accept', withKey({ taskId: 'task-1', allyId }))
		).toMatchObject({ ok: true });
		const roleOn = (doc: Y.Doc, id: string) =>
			((doc.getMap('tasks').get('task-1') as Y.Map<unknown>).get('roles') as Y.Map<string>).get(id);
		const serverRole = (id: string) =>
			server.services.registry.readDocument(room, (doc) => roleOn(doc, id));

		// Another participant's raw provider re-assigns the accepted role, and an unaccepted one.
		const raw = other.board();
		const watcher = facilitator.board();
		await waitFor(() => raw.provider.synced && readAcceptances(raw.doc).size === 1, {
			what: 'sync'
		});
		await waitFor(() => watcher.provider.synced, { what: 'watcher sync' });
		raw.doc.transact(() => {
			const roles = (raw.doc.getMap('tasks').get('task-1') as Y.Map<unknown>).get(
				'roles'
			) as Y.Map<string>;
			roles.set(allyId, 'informed');
			roles.set(open, 'consulted');
		});
		await waitFor(() => roleOn(raw.doc, allyId) === 'lead', { what: 'the revert on the sender' });
		expect(await serverRole(allyId)).toBe('lead');
		expect(await serverRole(open)).toBe('consulted');
		await waitFor(() => roleOn(watcher.doc, open) === 'consulted', {
			what: 'the allowed change elsewhere'
		});
		expect(roleOn(watcher.doc, allyId)).toBe('lead');

		// The delegate who accepted may change it; so may a facilitator.
		const mine = delegate.board();
		await waitFor(() => mine.provider.synced, { what: 'delegate sync' });
		((mine.doc.getMap('tasks').get('task-1') as Y.Map<unknown>).get('roles') as Y.Map<string>).set(
			allyId,
			'contributes'
		);
		await waitFor(() => roleOn(watcher.doc, allyId) === 'contributes', {
			what: 'the delegate’s change'
		});
		expect(await serverRole(allyId)).toBe('contributes');
		// A facilitator's change to an accepted role stands too (accepted again first).
		expect(
			await delegate.client.send('tasks:accept', withKey({ taskId: 'task-1', allyId }))
		).toMatchObject({ ok: true });
		await waitFor(
			() =>
				readAcceptances(watcher.doc).get(acceptanceKey('task-1', allyId))?.role === 'contributes',
			{ what: 'the new acceptance' }
		);
		(
			(watcher.doc.getMap('tasks').get('task-1') as Y.Map<unknown>).get('roles') as Y.Map<string>
		).set(allyId, 'lead');
		await sleep(300);
		expect(await serverRole(allyId)).toBe('lead');
	});
});
