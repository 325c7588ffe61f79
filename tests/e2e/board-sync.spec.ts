/** Two people at a forum share one board through the built app and the real server. */
import type { Page } from '@playwright/test';
import { admitParticipant, createWorkshop, expect, test } from './fixtures';

/** Waits long enough for a reconnect after the client's capped backoff (5 s) on a loaded machine. */
const RECONNECT = { timeout: 30_000 };

async function addAlly(page: Page, name: string): Promise<void> {
	await page.getByLabel("Nom de l'allié", { exact: true }).fill(name);
	await page.getByRole('button', { name: "Ajouter l'allié" }).click();
}

function ally(page: Page, name: string) {
	return page.getByRole('textbox', { name: `Nom de ${name}`, exact: true });
}

function status(page: Page) {
	return page.getByTestId('save-status');
}

/** Opens the board as its facilitator, or as a participant who already joined. */
async function openBoard(page: Page, path: string): Promise<void> {
	await admitParticipant(page, path);
	await page.goto(path);
	await expect(status(page)).toHaveText('Enregistré');
	// The step's view is its own chunk: tests that stop the server wait until it has arrived.
	await expect(page.getByLabel("Nom de l'allié", { exact: true })).toBeVisible();
}

test('an ally added by one person appears for the other, is saved and survives a reload', async ({
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson();
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await expect(status(amina)).toHaveText('Enregistré');
	await openBoard(moussa, board);
	await expect(moussa.getByText("Aucun allié pour l'instant. Ajoutez le premier !")).toBeVisible();

	await addAlly(amina, 'Association des femmes de Kayes');

	await expect(ally(moussa, 'Association des femmes de Kayes')).toHaveValue(
		'Association des femmes de Kayes'
	);
	await expect(status(amina)).toHaveText('Enregistré');
	await expect(status(moussa)).toHaveText('Enregistré');

	await amina.reload();
	await moussa.reload();
	for (const page of [amina, moussa]) {
		await expect(ally(page, 'Association des femmes de Kayes')).toBeVisible();
		await expect(page.getByTestId('ally-card')).toHaveCount(1);
	}
});

test('the board reconnects by itself after a server restart and its allies come back from disk', async ({
	app,
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson();
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await openBoard(moussa, board);
	await addAlly(amina, 'Mairie de Kayes');
	await expect(status(amina)).toHaveText('Enregistré');
	await expect(ally(moussa, 'Mairie de Kayes')).toBeVisible();
	// Amina leaves: after the restart only the server's disk can bring her ally back.
	await amina.context().close();

	await app.stop();
	await expect(status(moussa)).toContainText('Reconnexion…');
	await app.start();
	await expect(status(moussa)).toHaveText('Enregistré', RECONNECT);

	const fatou = await openPerson();
	await admitParticipant(fatou, board, 'Fatou');
	await fatou.goto(board);
	await expect(ally(fatou, 'Mairie de Kayes')).toBeVisible();
	await expect(fatou.getByTestId('ally-card')).toHaveCount(1);
	// Moussa's reconnected page is live again, not a stale copy.
	await addAlly(fatou, 'Radio rurale');
	await expect(ally(moussa, 'Radio rurale')).toBeVisible();
	await expect(status(fatou)).toHaveText('Enregistré');
});

test('allies added by both people while the server is down reach everyone once it is back', async ({
	app,
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson();
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await openBoard(moussa, board);

	await app.stop();
	for (const page of [amina, moussa]) await expect(status(page)).toContainText('Reconnexion…');
	await addAlly(amina, 'Syndicat des enseignants');
	await addAlly(amina, 'Chefferie traditionnelle');
	await addAlly(moussa, 'Réseau des jeunes');
	await expect(status(amina)).toContainText('Reconnexion…');
	await expect(status(amina)).toContainText('2 modifications non enregistrées');
	await expect(status(moussa)).toContainText('1 modification non enregistrée');

	await app.start();
	for (const page of [amina, moussa]) {
		await expect(status(page)).toHaveText('Enregistré', RECONNECT);
		for (const name of [
			'Syndicat des enseignants',
			'Chefferie traditionnelle',
			'Réseau des jeunes'
		]) {
			await expect(ally(page, name)).toBeVisible();
		}
		await expect(page.getByTestId('ally-card')).toHaveCount(3);
	}
	// "Enregistré" meant committed: a fresh load from the server has all three.
	await moussa.reload();
	await expect(moussa.getByTestId('ally-card')).toHaveCount(3);
});

test('renaming and removing an ally reach the other person', async ({ openPerson }) => {
	const amina = await openPerson();
	const moussa = await openPerson();
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await openBoard(moussa, board);
	await addAlly(amina, 'ONG Santé');
	await addAlly(amina, 'Comité de gestion');
	await expect(ally(moussa, 'ONG Santé')).toBeVisible();

	await ally(moussa, 'ONG Santé').fill('ONG Santé Pour Tous');
	await expect(ally(amina, 'ONG Santé Pour Tous')).toHaveValue('ONG Santé Pour Tous');
	await expect(ally(amina, 'ONG Santé')).toHaveCount(0);

	await amina.getByRole('button', { name: 'Retirer Comité de gestion', exact: true }).click();
	await expect(ally(moussa, 'Comité de gestion')).toHaveCount(0);
	await expect(moussa.getByTestId('ally-card')).toHaveCount(1);
	for (const page of [amina, moussa]) await expect(status(page)).toHaveText('Enregistré');

	await moussa.reload();
	await expect(ally(moussa, 'ONG Santé Pour Tous')).toBeVisible();
	await expect(moussa.getByTestId('ally-card')).toHaveCount(1);
});

test('an ally named like HTML markup is shown as text, never run', async ({ openPerson }) => {
	const markup = '<img src=x onerror=alert(1)>';
	const amina = await openPerson();
	const moussa = await openPerson();
	const dialogs: string[] = [];
	for (const page of [amina, moussa]) {
		page.on('dialog', (dialog) => {
			dialogs.push(dialog.message());
			void dialog.dismiss();
		});
	}
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await openBoard(moussa, board);

	await addAlly(amina, markup);

	for (const page of [amina, moussa]) {
		await expect(ally(page, markup)).toHaveValue(markup);
		await expect(
			page.getByRole('button', { name: `Retirer ${markup}`, exact: true })
		).toBeVisible();
		await expect(status(page)).toHaveText('Enregistré');
		await expect(page.locator('img')).toHaveCount(0);
	}
	await moussa.reload();
	await expect(ally(moussa, markup)).toHaveValue(markup);
	await expect(moussa.locator('img')).toHaveCount(0);
	expect(dialogs).toEqual([]);
});

test('a step whose code could not be fetched offers a retry, and arrives by itself once the board reconnects', async ({
	app,
	openPerson
}) => {
	// Without a service worker: one that has cached the app serves step 3 from the device.
	const amina = await openPerson({ serviceWorkers: 'block' });
	await createWorkshop(amina, 'Forum de Kayes');
	await expect(status(amina)).toHaveText('Enregistré');
	// The network drops every request for code while the facilitator opens step 3.
	await amina.route('**/_app/immutable/**', (route) => route.abort());
	await amina
		.getByRole('navigation', { name: 'Le parcours' })
		.getByRole('link', { name: 'Étape 3 · Les intéresser' })
		.click();
	await expect(amina.getByText("Cette étape n'a pas pu être chargée.")).toBeVisible();
	await expect(amina.getByRole('button', { name: 'Réessayer' })).toBeVisible();
	const stepThreeView = amina.getByText("Ajoutez d'abord des alliés à l'étape 1.");
	await expect(stepThreeView).toHaveCount(0);

	await amina.unroute('**/_app/immutable/**');
	await app.restart();
	// No tap: the reconnection fetches it again.
	await expect(stepThreeView).toBeVisible(RECONNECT);
	await expect(amina.getByText("Cette étape n'a pas pu être chargée.")).toHaveCount(0);
});
