/**
 * The facilitator's settings and members pages with two people at once: a participant whose
 * access the facilitator ends, while their board is open, is told so at once.
 */
import { createWorkshop, expect, signInAsFacilitator, test } from './fixtures';

test('a facilitator shows the code and QR, then removes a participant whose open board says access ended', async ({
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson({ viewport: { width: 390, height: 844 } });
	await signInAsFacilitator(amina);
	await amina.goto('/');
	await amina.getByLabel("Titre de l'atelier").fill('Forum de Kayes');
	await amina.getByLabel('Lieu').fill('Kayes, salle de la mairie');
	await amina.getByLabel('Enjeu de plaidoyer').fill('L’accès à l’eau potable');
	await amina.getByRole('button', { name: "Créer l'atelier" }).click();
	await amina.waitForURL(/\/w\/[^/]+$/);
	const board = new URL(amina.url()).pathname;
	await expect(amina.getByText('Enjeu de plaidoyer : L’accès à l’eau potable')).toBeVisible();
	await expect(amina.getByTestId('workshop-facts')).toContainText(
		'Kayes, salle de la mairie · Forum en français'
	);

	await amina.getByRole('link', { name: 'Réglages et liens' }).click();
	await expect(
		amina.getByRole('heading', { level: 1, name: 'Réglages de l’atelier' })
	).toBeVisible();
	await expect(amina.getByRole('img', { name: 'Code QR du lien d’invitation' })).toBeVisible();
	const code = (await amina.getByTestId('settings-join-code').textContent())!.trim();
	expect(code).toMatch(/^[A-Z2-9]{6}$/);

	await moussa.goto('/join');
	await moussa.getByLabel('Code de l’atelier').fill(code);
	await moussa.getByRole('button', { name: 'Continuer' }).click();
	await moussa.getByLabel('Votre nom').fill('Moussa Diarra');
	await moussa.getByLabel('Organisation que vous représentez').fill('CARE Mali');
	await moussa.getByRole('button', { name: 'Rejoindre' }).click();
	await expect(moussa).toHaveURL(new RegExp(`${board}$`));
	await expect(moussa.getByTestId('save-status')).toHaveText('Enregistré');

	await amina.goto(`${board}/members`);
	await amina.getByRole('button', { name: 'Retirer Moussa Diarra' }).click();
	await expect(amina.getByRole('status')).toHaveText('Moussa Diarra n’a plus accès à l’atelier.');

	// The open board is closed by the server (4403) and says so, without reloading.
	await expect(moussa.getByText('Votre accès à cet atelier a pris fin.')).toBeVisible({
		timeout: 5000
	});
	// Reloading does not bring the board back.
	await moussa.reload();
	await expect(
		moussa.getByRole('heading', { name: /Vous n’êtes pas membre de cet atelier \(ou plus\)/ })
	).toBeVisible();
});

test('revoking the invite link ends the access of a participant whose board is open', async ({
	openPerson
}) => {
	const amina = await openPerson();
	const awa = await openPerson({ viewport: { width: 390, height: 844 } });
	const board = await createWorkshop(amina, 'Forum de Ségou');
	await amina.goto(`${board}/settings`);
	const invite = await amina.getByTestId('invite-url').getAttribute('href');

	await awa.goto(new URL(invite!).pathname);
	await awa.getByLabel('Votre nom').fill('Awa Traoré');
	await awa.getByLabel('Organisation que vous représentez').fill('Oxfam');
	await awa.getByRole('button', { name: 'Rejoindre' }).click();
	await expect(awa.getByTestId('save-status')).toHaveText('Enregistré');

	await amina.getByRole('button', { name: 'Révoquer le code et le lien' }).click();
	await expect(amina.getByRole('status').first()).toHaveText('Accès retirés : 1.');
	await expect(awa.getByText('Votre accès à cet atelier a pris fin.')).toBeVisible({
		timeout: 5000
	});

	// The old link now says it opens nothing, in the reader's language.
	await awa.goto(new URL(invite!).pathname);
	await expect(
		awa.getByRole('heading', { name: 'Ce lien n’ouvre (plus) aucun atelier.' })
	).toBeVisible();
});
