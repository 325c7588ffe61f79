/**
 * The follow-up period after the forum: the facilitator archives the board and opens the period
 * from the record; CARE Mali's delegate, on a phone, sets the status of CARE Mali's task from "Nos
 * engagements"; Radio rurale's delegate gets no control over that task (the server refuses it
 * anyway: tests/integration/follow-up.test.ts), only over its own.
 */
import { seedMember } from '../fixtures/members';
import { createWorkshop, expect, signInAsFacilitator, test } from './fixtures';
import { PHONE, venueFile } from './venue';

test('a delegate updates its organisation’s task in the follow-up period; another organisation’s delegate cannot', async ({
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
	await oumar.getByRole('link', { name: "Ouvrir l'atelier" }).click();
	await oumar.getByRole('button', { name: "Archiver l'atelier" }).click();
	await oumar.getByRole('button', { name: "Confirmer l'archivage" }).click();
	await expect(oumar.getByRole('button', { name: "Rouvrir l'atelier" })).toBeEnabled();
	await oumar.getByRole('link', { name: 'Relevé de la coalition' }).click();
	await oumar.getByRole('button', { name: 'Ouvrir la période de suivi' }).click();
	await expect(oumar.getByRole('button', { name: 'Clore la période de suivi' })).toBeVisible();

	// The phones of the two delegates (the members the file brought, signed in on a new device).
	const [fatou, moussa] = [await openPerson(PHONE), await openPerson(PHONE)];
	for (const [page, userId, name, organisation] of [
		[fatou, venue.fatou, 'Fatou', 'CARE Mali'],
		[moussa, venue.moussa, 'Moussa', 'Radio rurale de Kayes']
	] as const) {
		const member = await seedMember(app.dataDir, venue.workshopId, {
			userId,
			role: 'participant',
			name,
			organisation
		});
		await page
			.context()
			.addCookies([
				{ name: 'session', value: member.token, url: app.url, httpOnly: true, sameSite: 'Lax' }
			]);
		await page.goto(`/w/${venue.workshopId}/summary`);
	}

	const prefect = fatou.getByLabel('État de « Rencontrer le préfet »');
	await expect(prefect).toHaveValue('todo');
	await prefect.selectOption({ label: 'Fait' });
	const ours = fatou.getByTestId('our-commitments').getByTestId('commitment');
	await expect(ours).toContainText('Fait');
	await expect(fatou.getByRole('alert')).toHaveCount(0);

	// Radio rurale's delegate: a control for its own task, none for CARE Mali's.
	await moussa.reload();
	await expect(
		moussa.getByLabel('État de « Émission sur la scolarisation des filles »')
	).toBeVisible();
	await expect(moussa.getByLabel('État de « Rencontrer le préfet »')).toHaveCount(0);
	await expect(moussa.getByTestId('commitments-by-organisation')).toContainText(
		'Rencontrer le préfet'
	);
	await expect(
		moussa
			.getByTestId('commitments-by-organisation')
			.getByTestId('commitment')
			.filter({ hasText: 'Rencontrer le préfet' })
	).toContainText('Fait');
});
