/**
 * The ally map and contact details in the room: a participant places an ally from a phone, the
 * facilitator places it for a member without a phone, reveals, and every screen — an observer's
 * too — shows the group's position; contact details reach participants, never the observer.
 */
import type { Page } from '@playwright/test';
import { seedMember } from '../fixtures/members';
import { admitParticipant, createWorkshop, expect, test } from './fixtures';

const PHONE = { viewport: { width: 360, height: 640 } };
const ALLY = 'Mairie de Kayes';

async function openBoard(page: Page, path: string): Promise<void> {
	await page.goto(`${path}?step=study`);
	await expect(page.getByTestId('save-status')).toHaveText('Enregistré');
}

/** Chooses influence and interest for the ally on the person's own map rows. */
async function place(page: Page, influence: number, interest: number): Promise<void> {
	const row = page.getByTestId('map-placement').filter({ hasText: ALLY });
	for (const [axis, value] of [
		['Influence', influence],
		['Intérêt', interest]
	] as const) {
		const group = row.getByRole('group', { name: `${axis} de ${ALLY}` });
		await group.getByRole('button', { name: `${value} sur 5` }).click();
		await expect(group.getByRole('button', { name: `${value} sur 5` })).toHaveAttribute(
			'aria-pressed',
			'true'
		);
	}
}

test('placements stay private until revealed, then the group position shows on every screen; contacts never reach an observer', async ({
	app,
	openPerson
}) => {
	const oumar = await openPerson();
	const awa = await openPerson(PHONE);
	const issa = await openPerson(PHONE);
	const board = await createWorkshop(oumar, 'Forum de Kayes');
	const workshopId = board.split('/').pop()!;
	// A member without a phone, added by the facilitator, and an observer.
	await seedMember(app.dataDir, workshopId, {
		role: 'participant',
		name: 'Fatoumata',
		organisation: 'Mairie de Kayes'
	});
	const observer = await seedMember(app.dataDir, workshopId, {
		role: 'observer',
		name: 'Issa',
		organisation: 'Oxfam'
	});
	await issa
		.context()
		.addCookies([
			{ name: 'session', value: observer.token, url: app.url, httpOnly: true, sameSite: 'Lax' }
		]);
	await admitParticipant(awa, board, 'Awa');
	for (const page of [awa, issa]) await openBoard(page, board);

	await oumar.getByLabel("Nom de l'allié", { exact: true }).fill(ALLY);
	await oumar.getByRole('button', { name: "Ajouter l'allié" }).click();
	// The map is step 2's ("study them"), where the study fields are open on every card.
	await oumar.goto(`${board}?step=study`);
	await expect(awa.getByTestId('map-placement').filter({ hasText: ALLY })).toBeVisible();
	// Observers give no inputs.
	await expect(issa.getByTestId('map-placement')).toHaveCount(0);

	await place(awa, 5, 2);
	await expect(oumar.getByTestId('map-progress')).toHaveText('Ont placé tous les alliés : 1 sur 2');

	await oumar
		.getByTestId('ally-map')
		.getByLabel('Saisir pour')
		.selectOption({ label: 'Fatoumata (Mairie de Kayes)' });
	await expect(
		oumar.getByRole('heading', { name: "Placements de Fatoumata, saisis par l'animateur" })
	).toBeVisible();
	await place(oumar, 3, 4);
	await expect(oumar.getByTestId('map-placement').filter({ hasText: ALLY })).toContainText(
		"saisie par l'animateur"
	);
	await expect(oumar.getByTestId('map-progress')).toHaveText('Ont placé tous les alliés : 2 sur 2');

	for (const page of [oumar, awa, issa])
		await expect(page.getByTestId('ally-map-grid')).toHaveCount(0);
	await oumar.getByRole('button', { name: 'Révéler la carte du groupe' }).click();
	for (const page of [oumar, awa, issa]) {
		const position = page.getByTestId('map-position').filter({ hasText: ALLY });
		await expect(position).toContainText('influence 4 (de 3 à 5), intérêt 3 (de 2 à 4)');
		await expect(position).toContainText('2 voix');
		await expect(page.getByTestId('ally-map-grid')).toBeVisible();
	}

	// Contact details: typed on a phone, shown to the facilitator, absent from the observer's screen.
	const awaCard = awa
		.getByTestId('ally-card')
		.filter({ has: awa.getByRole('textbox', { name: `Nom de ${ALLY}`, exact: true }) });
	await awaCard.getByLabel(/^Contact/).fill('M. Diarra, +223 76 12 34 56');
	await expect(awaCard.getByText('Enregistré', { exact: true })).toBeVisible();
	const oumarCard = oumar
		.getByTestId('ally-card')
		.filter({ has: oumar.getByRole('textbox', { name: `Nom de ${ALLY}`, exact: true }) });
	await expect(oumarCard.getByLabel(/^Contact/)).toHaveValue('M. Diarra, +223 76 12 34 56');
	const issaCard = issa.getByTestId('ally-card');
	await expect(issaCard.getByLabel(/^Contact/)).toHaveCount(0);
	await expect(issa.locator('body')).not.toContainText('76 12 34 56');
});
