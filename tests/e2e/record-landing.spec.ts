/**
 * After the forum the record is where everyone lands — the facilitator, a participant and an
 * observer, each on their own device — with a way to the board, read-only once archived. A locked
 * charter sends the participant and the facilitator there only once the forum's day has passed.
 */
import type { Page } from '@playwright/test';
import { seedMember } from '../fixtures/members';
import { admitParticipant, createWorkshop, expect, signInAsFacilitator, test } from './fixtures';
import { venueFile } from './venue';

async function admit(
	page: Page,
	dataDir: string,
	url: string,
	workshopId: string,
	options: Parameters<typeof seedMember>[2]
) {
	const member = await seedMember(dataDir, workshopId, options);
	await page
		.context()
		.addCookies([{ name: 'session', value: member.token, url, httpOnly: true, sameSite: 'Lax' }]);
}

async function expectRecord(page: Page, title: string) {
	await page.waitForURL(/\/summary$/);
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

async function expectBoard(page: Page, path: string) {
	await expect(page.getByRole('button', { name: "Ajouter l'allié" })).toBeVisible();
	expect(new URL(page.url()).pathname).toBe(path);
}

test('an archived workshop opens on its record for the facilitator, a participant and an observer, each with a way to the read-only board', async ({
	app,
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson();
	const awa = await openPerson();
	const path = await createWorkshop(amina, 'Forum de Kayes');
	const workshopId = path.split('/').pop()!;
	await admitParticipant(moussa, path, 'Moussa', 'Radio rurale');
	await admit(awa, app.dataDir, app.url, workshopId, {
		role: 'observer',
		name: 'Awa',
		organisation: 'Oxfam'
	});
	// During the forum, the link opens the board for everyone.
	for (const page of [moussa, awa]) {
		await page.goto(path);
		await expectBoard(page, path);
	}

	await amina.getByRole('button', { name: "Archiver l'atelier" }).click();
	await amina.getByRole('button', { name: "Confirmer l'archivage" }).click();
	await expect(amina.getByRole('button', { name: "Rouvrir l'atelier" })).toBeEnabled();

	for (const page of [amina, moussa, awa]) {
		await page.goto(path);
		await expectRecord(page, 'Forum de Kayes');
		await expect(
			page.getByText('Atelier archivé : ce relevé est la version finale.')
		).toBeVisible();
		await page.getByRole('link', { name: 'Voir le tableau (lecture seule)' }).click();
		await page.waitForURL(/\?board$/);
		await expect(page.getByText('Ce tableau est archivé : il est en lecture seule.')).toBeVisible();
		await expect(page.getByRole('button', { name: "Ajouter l'allié" })).toBeDisabled();
	}
	// The facilitator's way back from the settings stays on the board.
	await amina.goto(`${path}/settings`);
	await amina.getByRole('link', { name: 'Retour au tableau' }).click();
	await amina.waitForURL(/\?board$/);
	await expect(amina.getByRole('button', { name: "Rouvrir l'atelier" })).toBeEnabled();
});

test('a locked charter opens the record for the participant and the facilitator once the forum’s day has passed', async ({
	app,
	openPerson
}) => {
	const venue = await venueFile();
	const oumar = await openPerson();
	await signInAsFacilitator(oumar);
	await createWorkshop(oumar, 'Un autre atelier');
	await oumar.goto('/import');
	await oumar.getByLabel("Fichier de l'atelier (.json)").setInputFiles({
		name: 'forum.json',
		mimeType: 'application/json',
		buffer: Buffer.from(venue.text)
	});
	await oumar.getByRole('button', { name: 'Importer', exact: true }).click();
	const path = `/w/${venue.workshopId}`;
	const fatou = await openPerson();
	await admit(fatou, app.dataDir, app.url, venue.workshopId, {
		userId: venue.fatou,
		role: 'participant',
		name: 'Fatou',
		organisation: 'CARE Mali'
	});
	// Locked, and the forum's day not past (no date): the room still works on the board.
	for (const page of [oumar, fatou]) {
		await page.goto(path);
		await expectBoard(page, path);
	}

	await oumar.goto(`${path}/settings`);
	const yesterday = new Date(Date.now() - 86_400_000);
	const day = `${yesterday.getFullYear()}-${String(yesterday.getMonth() + 1).padStart(2, '0')}-${String(yesterday.getDate()).padStart(2, '0')}`;
	await oumar.getByLabel('Date du forum').fill(day);
	await oumar.getByRole('button', { name: 'Enregistrer', exact: true }).click();
	await expect(oumar.getByText('Modifications enregistrées.')).toBeVisible();

	for (const page of [oumar, fatou]) {
		await page.goto(path);
		await expectRecord(page, venue.title);
		await page.getByRole('link', { name: 'Voir le tableau', exact: true }).click();
		await page.waitForURL(/\?board$/);
		await expect(page.getByRole('button', { name: "Ajouter l'allié" })).toBeVisible();
	}
});
