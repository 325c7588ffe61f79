/**
 * A board opened once on a phone stays on it: it reopens with no network (service worker + the
 * copy in IndexedDB), keeps what was edited offline across a reload and brings it to the others
 * when the network is back. A device that no longer belongs to the board keeps nothing of it.
 *
 * "No network" is the server stopped: `context.setOffline` neither closes open WebSockets nor
 * stops a service worker's fetches (FACTS.md), so it would test nothing here.
 */
import type { Locator, Page } from '@playwright/test';
import {
	admitParticipant,
	createWorkshop,
	expect,
	heldOnDevice,
	test,
	waitUntilHeldOffline
} from './fixtures';
import { seedMember } from '../fixtures/members';

const PHONE = { viewport: { width: 360, height: 640 } };
const RECONNECT = { timeout: 30_000 };
const COPY_PREFIX = 'coalition-board:';
const OFFLINE = 'Hors ligne : vos modifications restent sur ce téléphone';

function status(page: Page) {
	return page.getByTestId('save-status');
}

function nameField(page: Page, name: string): Locator {
	return page.getByRole('textbox', { name: `Nom de ${name}`, exact: true });
}

function card(page: Page, name: string): Locator {
	return page.getByTestId('ally-card').filter({ has: nameField(page, name) });
}

async function study(page: Page, name: string): Promise<Locator> {
	const found = card(page, name);
	if (!(await found.locator('details').evaluate((element: HTMLDetailsElement) => element.open))) {
		await found.getByText(`Étudier ${name}`, { exact: true }).click();
	}
	return found;
}

/** Opens the board as a participant and waits until the device holds it for offline use. */
async function openAndKeep(page: Page, board: string, name: string): Promise<void> {
	await admitParticipant(page, board, name);
	await page.goto(board);
	await expect(status(page)).toHaveText('Enregistré');
	await expect(page.getByLabel("Nom de l'allié", { exact: true })).toBeVisible();
	await waitUntilHeldOffline(page, board);
}

test('a board opened once reopens offline with what was edited offline, which the others get once when back', async ({
	app,
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson(PHONE);
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await openAndKeep(moussa, board, 'Moussa');

	await app.stop();
	await expect(status(moussa)).toContainText('Reconnexion…');
	// Still no server 10 s later: the board says so in words, not "reconnecting" forever.
	await expect(status(moussa)).toContainText(OFFLINE, { timeout: 20_000 });
	await moussa.getByLabel("Nom de l'allié", { exact: true }).fill('Mairie de Kayes');
	await moussa.getByRole('button', { name: "Ajouter l'allié" }).click();
	await (
		await study(moussa, 'Mairie de Kayes')
	)
		.getByLabel('Siège', { exact: true })
		.pressSequentially('Kayes, Plateau');
	// An ally and a field: 2 changes as a person counts them, not one per keystroke.
	await expect(status(moussa)).toHaveText(`${OFFLINE} 2 modifications non enregistrées`);

	await moussa.reload();
	await expect(nameField(moussa, 'Mairie de Kayes')).toBeVisible();
	await expect(
		(await study(moussa, 'Mairie de Kayes')).getByLabel('Siège', { exact: true })
	).toHaveValue('Kayes, Plateau');
	await expect(status(moussa)).toHaveText(`${OFFLINE} 2 modifications non enregistrées`);

	await app.start();
	await expect(status(moussa)).toHaveText('Enregistré', RECONNECT);
	await expect(status(amina)).toHaveText('Enregistré', RECONNECT);
	await expect(nameField(amina, 'Mairie de Kayes')).toBeVisible();
	await expect(amina.getByTestId('ally-card')).toHaveCount(1);
	await expect(
		(await study(amina, 'Mairie de Kayes')).getByLabel('Siège', { exact: true })
	).toHaveValue('Kayes, Plateau');
	// Once, also after a fresh load from the server.
	await amina.reload();
	await expect(nameField(amina, 'Mairie de Kayes')).toBeVisible();
	await expect(amina.getByTestId('ally-card')).toHaveCount(1);
});

test('"Ce n\'est pas moi" wipes the copies of the boards from the phone', async ({
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson(PHONE);
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await openAndKeep(moussa, board, 'Moussa');

	await moussa.goto('/me');
	await moussa.getByRole('button', { name: 'Ce n’est pas moi : déconnecter cet appareil' }).click();
	await moussa.waitForURL(/\/join$/);
	expect(await heldOnDevice(moussa)).toEqual({ copies: [], pages: [] });
});

test("a removed member's phone no longer holds the board after its next visit", async ({
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson(PHONE);
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await openAndKeep(moussa, board, 'Moussa Diarra');
	await moussa.goto('/me');

	await amina.goto(`${board}/members`);
	await amina.getByRole('button', { name: 'Retirer Moussa Diarra' }).click();
	await expect(amina.getByRole('status')).toHaveText('Moussa Diarra n’a plus accès à l’atelier.');

	await moussa.goto(board);
	await expect(
		moussa.getByRole('heading', { name: /Vous n’êtes pas membre de cet atelier/ })
	).toBeVisible();
	await expect.poll(() => heldOnDevice(moussa)).toEqual({ copies: [], pages: [] });
});

test('a board open when its member is removed is wiped from the phone at once', async ({
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson(PHONE);
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await openAndKeep(moussa, board, 'Moussa Diarra');

	await amina.goto(`${board}/members`);
	await amina.getByRole('button', { name: 'Retirer Moussa Diarra' }).click();
	await expect(moussa.getByText('Votre accès à cet atelier a pris fin.')).toBeVisible({
		timeout: 5000
	});
	await expect.poll(() => heldOnDevice(moussa)).toEqual({ copies: [], pages: [] });
});

test("an observer's copy reopens offline read-only", async ({ app, openPerson }) => {
	const amina = await openPerson();
	const awa = await openPerson(PHONE);
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await amina.getByLabel("Nom de l'allié", { exact: true }).fill('Radio rurale');
	await amina.getByRole('button', { name: "Ajouter l'allié" }).click();
	await expect(status(amina)).toHaveText('Enregistré');
	const observer = await seedMember(app.dataDir, board.split('/').pop()!, {
		role: 'observer',
		name: 'Awa'
	});
	await awa
		.context()
		.addCookies([
			{ name: 'session', value: observer.token, url: app.url, httpOnly: true, sameSite: 'Lax' }
		]);
	await awa.goto(board);
	await expect(nameField(awa, 'Radio rurale')).toBeVisible();
	const workshopId = board.split('/').pop()!;
	await expect
		.poll(async () => {
			const held = await heldOnDevice(awa);
			return (
				held.copies.includes(COPY_PREFIX + workshopId) &&
				held.pages.includes(`${board}/__data.json`)
			);
		})
		.toBe(true);
	await expect
		.poll(() => awa.evaluate(() => navigator.serviceWorker.controller !== null))
		.toBe(true);

	await app.stop();
	await awa.reload();
	await expect(nameField(awa, 'Radio rurale')).toBeVisible();
	await expect(awa.getByText('Vous suivez ce tableau en observateur')).toBeVisible();
	await expect(nameField(awa, 'Radio rurale')).toBeDisabled();
	await expect(awa.getByLabel("Nom de l'allié", { exact: true })).toBeDisabled();
	await expect(status(awa)).toContainText(OFFLINE);
	await expect(status(awa)).not.toContainText('non enregistr');
});

test('signing out from the header wipes the copies of the boards from the device', async ({
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson(PHONE);
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await openAndKeep(moussa, board, 'Moussa');

	// On a phone the account links are behind the header's menu.
	await moussa.getByRole('button', { name: 'Menu' }).click();
	await moussa.getByRole('button', { name: 'Se déconnecter' }).click();
	await moussa.waitForURL(/\/signin$/);
	expect(await heldOnDevice(moussa)).toEqual({ copies: [], pages: [] });
});
