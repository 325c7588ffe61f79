/**
 * The history: the timeline from the event log (rounds, the lock, a step reached, a version the
 * facilitator saved under a name) and the board as it stood at each, read-only, compared with now — an ally added
 * since shows as added.
 */
import { createWorkshop, expect, signInAsFacilitator, test } from './fixtures';
import { venueFile, WORDING } from './venue';

test('the timeline leads to the board as it was at the lock, and the comparison shows what changed since', async ({
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
	await oumar.getByRole('link', { name: "Ouvrir l'atelier" }).click();
	await oumar.waitForURL(/\/w\/[^/]+$/);
	const board = oumar.url();
	// A named version, saved before anything changes.
	await oumar.getByRole('link', { name: 'Relevé de la coalition' }).click();
	await oumar.getByRole('link', { name: 'Historique' }).click();
	await oumar.getByLabel('Nom de la version').fill('Après l’import');
	await oumar.getByRole('button', { name: 'Enregistrer une version du tableau' }).click();
	await expect(oumar.getByTestId('timeline')).toContainText(
		'Version enregistrée « Après l’import »'
	);
	await oumar.goto(board);
	await oumar.getByLabel("Nom de l'allié", { exact: true }).fill('Imam de Kayes');
	await oumar.getByRole('button', { name: "Ajouter l'allié" }).click();
	await expect(
		oumar.getByRole('textbox', { name: 'Nom de Imam de Kayes', exact: true })
	).toHaveValue('Imam de Kayes');
	await expect(oumar.getByText('Enregistré')).toBeVisible();
	// The group brought to step 1: a step reached, recorded by the server.
	await oumar.getByRole('button', { name: 'Amener tout le monde à cette étape' }).click();
	await expect(oumar.getByTestId('bring-everyone').getByRole('button')).toHaveCount(1);
	await expect(
		oumar.getByRole('button', { name: 'Amener tout le monde à cette étape' })
	).toHaveCount(0);

	await oumar.getByRole('link', { name: 'Relevé de la coalition' }).click();
	await oumar.getByRole('link', { name: 'Historique' }).click();
	const timeline = oumar.getByTestId('timeline');
	await expect(timeline).toContainText('Atelier créé');
	await expect(timeline).toContainText('Résultats révélés');
	await expect(timeline).toContainText('Charte verrouillée par Awa Traoré');
	await expect(timeline).toContainText('Étape atteinte : Étape 1 · Identifier les alliés');
	await timeline
		.getByRole('listitem')
		.filter({ hasText: 'Charte verrouillée' })
		.getByRole('link')
		.click();

	const comparison = oumar.getByTestId('comparison');
	await expect(comparison).toContainText('Ajouté : Imam de Kayes');
	await expect(comparison).not.toContainText('Retiré');
	const version = oumar.getByTestId('version');
	await expect(version.getByTestId('charter').locator('blockquote')).toHaveText(WORDING);
	await expect(version).toContainText('Rencontrer le préfet');
	await expect(version).not.toContainText('Imam de Kayes');
	await expect(version.getByRole('textbox')).toHaveCount(0);

	// The named version compares the same way.
	await oumar.getByRole('link', { name: "Retour à l'historique" }).click();
	await oumar
		.getByTestId('timeline')
		.getByRole('listitem')
		.filter({ hasText: 'Après l’import' })
		.getByRole('link')
		.click();
	await expect(oumar.getByText('« Après l’import »')).toBeVisible();
	await expect(oumar.getByTestId('comparison')).toContainText('Ajouté : Imam de Kayes');
});
