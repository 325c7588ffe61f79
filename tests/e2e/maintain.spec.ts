/** Step 5, manage and maintain: principles, the meeting rhythm and the follow-up log, on three screens. */
import { admitParticipant, createWorkshop, expect, openAsSameAccount, test } from './fixtures';
import { expectProjectorReadable, PROJECTOR } from './projector';

const PHONE = { viewport: { width: 360, height: 640 } };

test('principles, rhythm and follow-ups are shared between a laptop, a phone and the projector', async ({
	openPerson
}, testInfo) => {
	const amina = await openPerson();
	const moussa = await openPerson(PHONE);
	const projector = await openPerson(PROJECTOR);
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await amina.goto(`${board}?step=maintain`);
	await admitParticipant(moussa, board);
	await moussa.goto(`${board}?step=maintain`);
	await openAsSameAccount(projector, amina, `${board}/projector`);
	await expect(projector.locator('#step-title')).toHaveText(
		'Étape 5 : Gérer et entretenir les alliances'
	);

	// The checklist: added on the laptop, agreed on the phone.
	for (const text of ['Transparence sur les ressources', 'Décider par consensus']) {
		await amina.getByLabel('Nouveau principe').fill(text);
		await amina.getByRole('button', { name: 'Ajouter le principe' }).click();
	}
	await expect(moussa.getByTestId('principles-agreed')).toHaveText('0 sur 2 adoptés');
	await moussa.getByRole('checkbox', { name: 'Adopté : Décider par consensus' }).check();
	await expect(
		amina.getByRole('checkbox', { name: 'Adopté : Décider par consensus' })
	).toBeChecked();
	await expect(amina.getByTestId('principles-agreed')).toHaveText('1 sur 2 adoptés');
	await expect(
		projector.getByTestId('principle').filter({ hasText: 'Décider par consensus' })
	).toContainText('✓');
	// Editable: a word typed on the phone reaches the laptop, and deleting offers "Annuler".
	const onPhone = moussa.getByRole('textbox', {
		name: 'Texte du principe Transparence sur les ressources'
	});
	await onPhone.press('End');
	await onPhone.pressSequentially(' communes');
	await expect(
		amina.getByRole('textbox', {
			name: 'Texte du principe Transparence sur les ressources communes'
		})
	).toHaveValue('Transparence sur les ressources communes');
	await amina.getByRole('button', { name: 'Supprimer le principe Décider par consensus' }).click();
	await expect(moussa.getByTestId('principle')).toHaveCount(1);
	await amina.getByRole('button', { name: 'Annuler' }).click();
	await expect(moussa.getByTestId('principle')).toHaveCount(2);
	await expect(
		moussa.getByRole('checkbox', { name: 'Adopté : Décider par consensus' })
	).toBeChecked();

	// The meeting rhythm: one shared text, typed on the phone.
	await moussa
		.getByLabel('Quand et comment la coalition se réunit')
		.pressSequentially('Le premier lundi du mois, à la mairie');
	await expect(amina.getByLabel('Quand et comment la coalition se réunit')).toHaveValue(
		'Le premier lundi du mois, à la mairie'
	);
	await expect(projector.getByTestId('rhythm')).toHaveText('Le premier lundi du mois, à la mairie');

	// The follow-up log: date, what, who; latest first.
	await amina.getByLabel('Date', { exact: true }).fill('2030-01-10');
	await amina.getByLabel('Quoi', { exact: true }).fill('Réunion de lancement');
	await amina.getByLabel('Qui', { exact: true }).fill('Awa');
	await amina.getByRole('button', { name: 'Ajouter au suivi' }).click();
	await moussa.getByLabel('Date', { exact: true }).fill('2030-02-03');
	await moussa.getByLabel('Quoi', { exact: true }).fill('Visite au préfet');
	await moussa.getByLabel('Qui', { exact: true }).fill('Moussa');
	await moussa.getByRole('button', { name: 'Ajouter au suivi' }).click();
	await expect(amina.getByTestId('follow-up')).toHaveCount(2);
	await expect(amina.getByRole('textbox', { name: 'Quoi du suivi Visite au préfet' })).toHaveValue(
		'Visite au préfet'
	);
	await expect(
		amina
			.getByTestId('follow-up')
			.first()
			.getByRole('textbox', { name: /^Quoi du suivi/ })
	).toHaveValue('Visite au préfet');
	await expect(projector.getByTestId('follow-up').first()).toContainText('3 février 2030');
	await expect(projector.getByTestId('follow-up').first()).toContainText('Moussa');
	// Moving an entry's date reorders the log for everyone.
	await moussa.getByLabel('Date du suivi Réunion de lancement').fill('2030-03-01');
	await expect(
		amina
			.getByTestId('follow-up')
			.first()
			.getByRole('textbox', { name: /^Quoi du suivi/ })
	).toHaveValue('Réunion de lancement');

	await expectProjectorReadable(projector);
	await projector.screenshot({
		path: testInfo.outputPath('projector-maintain.png'),
		fullPage: true
	});
	await moussa.screenshot({ path: testInfo.outputPath('phone-maintain.png'), fullPage: true });
});

test('the projector shows every step of the path with no inputs and no text under 28 px', async ({
	openPerson
}) => {
	const amina = await openPerson();
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await amina.getByLabel("Nom de l'allié", { exact: true }).fill('CARE Mali');
	await amina.getByRole('button', { name: "Ajouter l'allié" }).click();
	await expect(amina.getByTestId('save-status')).toHaveText('Enregistré');
	const projector = await openPerson(PROJECTOR);
	await openAsSameAccount(projector, amina, `${board}/projector`);
	await expect(projector.getByText('CARE Mali')).toBeVisible();
	for (const step of [
		'candidates',
		'identify',
		'study',
		'objective',
		'mobilise',
		'tasks',
		'maintain'
	]) {
		await projector.goto(`${board}/projector?step=${step}`);
		await expect(projector.locator(`[data-step="${step}"]`)).toBeVisible();
		await expect(projector.getByText('Chargement')).toHaveCount(0);
		await expectProjectorReadable(projector);
	}
	// The laptop driving the projector moves along the path with the arrow keys.
	await projector.goto(`${board}/projector?step=mobilise`);
	await expect(projector.locator('[data-step="mobilise"]')).toBeVisible();
	await projector.keyboard.press('ArrowRight');
	await expect(projector.locator('#step-title')).toHaveText(/^Étape 4/);
	await projector.keyboard.press('ArrowLeft');
	await projector.keyboard.press('ArrowLeft');
	await expect(projector.locator('#step-title')).toHaveText("L'objectif commun");
});
