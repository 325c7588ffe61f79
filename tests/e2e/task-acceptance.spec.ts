/**
 * Step 4 from a delegate's phone: an ally linked to the delegate's organisation has a role in a
 * task; the delegate accepts it with one tap, everyone sees who accepted; a colleague of the same
 * organisation who is not its delegate gets no button.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { Page } from '@playwright/test';
import { connectBoard } from '../../src/lib/realtime/board-connection';
import { getAllies } from '../../src/lib/shared/schema';
import { seedMember } from '../fixtures/members';
import { admitParticipant, createWorkshop, expect, test, type AppServer } from './fixtures';

const PHONE = { viewport: { width: 360, height: 640 } };

/**
 * Step 4's tasks come from another branch's view: the test writes one as that view does (a
 * Y.Map with its roles by ally id), through a real `/yjs` client signed in as a facilitator.
 */
async function addTask(
	app: AppServer,
	workshopId: string,
	title: string,
	allyName: string,
	role: string
): Promise<void> {
	const { cookie } = await seedMember(app.dataDir, workshopId);
	class WithCookie extends WebSocket {
		constructor(address: string | URL, protocols?: string | string[]) {
			super(address, protocols ?? [], { headers: { cookie } });
		}
	}
	const board = connectBoard({
		origin: app.url,
		workshopId,
		WebSocketImpl: WithCookie as unknown as typeof globalThis.WebSocket
	});
	try {
		await expect.poll(() => board.provider.synced).toBe(true);
		await expect
			.poll(() =>
				[...getAllies(board.doc).values()].some((ally) => String(ally.get('name')) === allyName)
			)
			.toBe(true);
		const [allyId] = [...getAllies(board.doc)].find(
			([, ally]) => String(ally.get('name')) === allyName
		)!;
		board.doc.transact(() => {
			const task = new Y.Map<unknown>();
			task.set('title', new Y.Text(title));
			const roles = new Y.Map<unknown>();
			roles.set(allyId, role);
			task.set('roles', roles);
			task.set('createdAt', Date.now());
			board.doc.getMap('tasks').set('task-radio', task);
		});
		await expect.poll(() => board.saves.unsaved).toBe(0);
	} finally {
		board.destroy();
	}
}

async function openBoard(page: Page, path: string, name: string): Promise<void> {
	await admitParticipant(page, path, name);
	await page.goto(`${path}?step=tasks`);
	await expect(page.getByTestId('save-status')).toHaveText('Enregistré');
}

test('the delegate accepts their organisation’s role in a task from a phone; a colleague cannot', async ({
	app,
	openPerson
}) => {
	const oumar = await openPerson();
	const awa = await openPerson(PHONE);
	const moussa = await openPerson(PHONE);
	const board = await createWorkshop(oumar, 'Forum de Kayes');
	// Both represent CARE Mali; Awa joined first, so she is its delegate.
	await openBoard(awa, board, 'Awa');
	await openBoard(moussa, board, 'Moussa');

	await oumar.getByLabel("Nom de l'allié", { exact: true }).fill('CARE Mali');
	await oumar.getByRole('button', { name: "Ajouter l'allié" }).click();
	await oumar
		.getByTestId('ally-card')
		.getByLabel("Organisation de l'atelier")
		.selectOption({ label: 'CARE Mali' });
	await addTask(app, board.split('/').pop()!, 'Rencontrer le maire', 'CARE Mali', 'lead');

	const onPhone = awa.getByTestId('task-acceptance');
	await expect(
		onPhone.getByRole('heading', { name: 'Rôles de CARE Mali à accepter' })
	).toBeVisible();
	await expect(onPhone.getByTestId('assignment')).toContainText('Rencontrer le maire');
	await expect(onPhone.getByTestId('assignment')).toContainText('CARE Mali : responsable');
	await expect(moussa.getByTestId('task-acceptance')).toContainText(
		'Seul le délégué de votre organisation (Awa) accepte ces rôles.'
	);
	await expect(
		moussa.getByTestId('task-acceptance').getByRole('button', { name: 'Accepter' })
	).toHaveCount(0);

	const button = onPhone.getByRole('button', { name: 'Accepter' });
	const box = await button.boundingBox();
	expect(box!.height).toBeGreaterThanOrEqual(44);
	await button.click();
	for (const page of [awa, moussa]) {
		await expect(page.getByTestId('task-acceptance').getByTestId('assignment')).toContainText(
			'Accepté par Awa'
		);
	}
	await expect(onPhone.getByRole('button', { name: 'Accepter' })).toHaveCount(0);
});
