/**
 * Step 4, who does what: tasks with a responsible ally and supporting allies, and the matrix
 * (allies × tasks) built from a laptop and a phone, seen on the projector.
 */
import type { Locator, Page } from '@playwright/test';
import { admitParticipant, createWorkshop, expect, openAsSameAccount, test } from './fixtures';
import { expectProjectorReadable, PROJECTOR } from './projector';

const PHONE = { viewport: { width: 360, height: 640 } };

async function addAlly(page: Page, name: string): Promise<void> {
	await page.getByLabel("Nom de l'allié", { exact: true }).fill(name);
	await page.getByRole('button', { name: "Ajouter l'allié" }).click();
	await expect(page.getByRole('textbox', { name: `Nom de ${name}`, exact: true })).toBeVisible();
}

async function addTask(page: Page, title: string): Promise<void> {
	await page.getByLabel('Nouvelle tâche').fill(title);
	await page.getByRole('button', { name: 'Ajouter la tâche' }).click();
	await expect(task(page, title)).toBeVisible();
}

function task(page: Page, title: string): Locator {
	return page.getByTestId('task-card').filter({
		has: page.getByRole('textbox', { name: `Titre de ${title}`, exact: true })
	});
}

function cell(page: Page, ally: string, title: string): Locator {
	return page.getByRole('combobox', { name: `Rôle de ${ally} pour ${title}`, exact: true });
}

test('tasks and the matrix are built from a laptop and a phone, flagged and shown on the projector', async ({
	openPerson
}, testInfo) => {
	const amina = await openPerson();
	const moussa = await openPerson(PHONE);
	const projector = await openPerson(PROJECTOR);
	const board = await createWorkshop(amina, 'Forum de Kayes');
	for (const name of ['CARE Mali', 'Radio rurale', 'Mairie de Kayes']) await addAlly(amina, name);
	await amina.goto(`${board}?step=tasks`);
	await admitParticipant(moussa, board);
	await moussa.goto(`${board}?step=tasks`);
	await openAsSameAccount(projector, amina, `${board}/projector`);
	await expect(projector.locator('#step-title')).toHaveText(/Étape 4/);

	await addTask(amina, 'Rencontrer le maire');
	await addTask(moussa, 'Émission de radio');
	await expect(task(amina, 'Émission de radio')).toBeVisible();
	// Nobody leads them yet: both flagged, on every screen.
	await expect(amina.getByTestId('matrix-warnings')).toContainText('2 tâches sans responsable');
	await expect(projector.getByTestId('matrix-warnings')).toContainText('2 tâches sans responsable');

	// The laptop names who is responsible and who supports; the phone sees it.
	const meeting = task(amina, 'Rencontrer le maire');
	await meeting.getByLabel('Allié responsable').selectOption({ label: 'Mairie de Kayes' });
	await meeting.getByRole('checkbox', { name: 'CARE Mali' }).check();
	await meeting.getByText('Détails de Rencontrer le maire').click();
	await meeting.getByLabel('Description').fill('Présenter la pétition au conseil communal');
	await meeting.getByLabel('Échéance').fill('2030-06-15');
	await meeting.getByLabel('État').selectOption({ label: 'En cours' });
	const onPhone = task(moussa, 'Rencontrer le maire');
	await expect(onPhone.getByLabel('Allié responsable')).toHaveValue(/.+/);
	await expect(onPhone.getByLabel('Allié responsable').locator('option:checked')).toHaveText(
		'Mairie de Kayes'
	);
	await expect(onPhone.getByRole('checkbox', { name: 'CARE Mali' })).toBeChecked();
	await expect(onPhone.getByLabel('Échéance')).toHaveValue('2030-06-15');
	await expect(onPhone.getByLabel('État')).toHaveValue('doing');
	await expect(moussa.getByTestId('matrix-warnings')).toContainText('1 tâche sans responsable');

	// The phone fills the matrix: one choice per cell.
	await moussa.getByRole('button', { name: 'Matrice' }).click();
	await expect(cell(moussa, 'Mairie de Kayes', 'Rencontrer le maire')).toHaveValue('lead');
	await expect(cell(moussa, 'CARE Mali', 'Rencontrer le maire')).toHaveValue('contributes');
	await cell(moussa, 'Radio rurale', 'Émission de radio').selectOption({ label: 'Responsable' });
	await cell(moussa, 'Mairie de Kayes', 'Émission de radio').selectOption({ label: 'Informé' });
	await expect(moussa.getByTestId('matrix-warnings')).toHaveCount(0);
	await expect(
		task(amina, 'Émission de radio').getByLabel('Allié responsable').locator('option:checked')
	).toHaveText('Radio rurale');
	// A new lead in a cell: the previous lead becomes a contributor, never two leads.
	await cell(moussa, 'CARE Mali', 'Rencontrer le maire').selectOption({ label: 'Responsable' });
	await expect(cell(moussa, 'Mairie de Kayes', 'Rencontrer le maire')).toHaveValue('contributes');
	await expect(
		task(amina, 'Rencontrer le maire').getByLabel('Allié responsable').locator('option:checked')
	).toHaveText('CARE Mali');
	await expect(projector.getByTestId('role-matrix')).toContainText('Informé');

	// CARE Mali takes the lead on four open tasks: over the threshold of three.
	for (const title of ['Affiches', 'Réunion des femmes', 'Lettre au préfet']) {
		await addTask(amina, title);
		await task(amina, title).getByLabel('Allié responsable').selectOption({ label: 'CARE Mali' });
	}
	await expect(amina.getByTestId('matrix-warnings')).toContainText(
		'CARE Mali porte trop de tâches (4 en cours)'
	);
	const careRow = moussa.getByTestId('matrix-ally').filter({ hasText: 'CARE Mali' });
	await expect(careRow).toContainText('Surchargé : responsable de 4 tâches en cours');
	// Done tasks no longer count.
	await task(amina, 'Affiches').getByLabel('État').selectOption({ label: 'Fait' });
	await expect(careRow).not.toContainText('Surchargé');
	await expect(amina.getByTestId('matrix-warnings')).toHaveCount(0);

	await expectProjectorReadable(projector);
	await projector.screenshot({ path: testInfo.outputPath('projector-matrix.png'), fullPage: true });
	await moussa.screenshot({ path: testInfo.outputPath('phone-matrix.png'), fullPage: true });
	await amina.screenshot({ path: testInfo.outputPath('desktop-tasks.png'), fullPage: true });
});

test('a deleted task comes back, with its roles, when its author taps "Annuler" within 10 s', async ({
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson(PHONE);
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await addAlly(amina, 'CARE Mali');
	await amina.goto(`${board}?step=tasks`);
	await admitParticipant(moussa, board);
	await moussa.goto(`${board}?step=tasks`);
	await addTask(amina, 'Rencontrer le maire');
	await task(amina, 'Rencontrer le maire')
		.getByLabel('Allié responsable')
		.selectOption({ label: 'CARE Mali' });
	await expect(
		task(moussa, 'Rencontrer le maire').getByLabel('Allié responsable').locator('option:checked')
	).toHaveText('CARE Mali');

	await moussa.getByRole('button', { name: 'Supprimer la tâche Rencontrer le maire' }).click();
	await expect(task(amina, 'Rencontrer le maire')).toHaveCount(0);
	await expect(
		moussa
			.getByRole('status')
			.filter({ hasText: 'La tâche « Rencontrer le maire » a été supprimée.' })
	).toBeVisible();
	await moussa.getByRole('button', { name: 'Annuler' }).click();
	const restored = task(amina, 'Rencontrer le maire');
	await expect(restored).toBeVisible();
	await expect(restored.getByLabel('Allié responsable').locator('option:checked')).toHaveText(
		'CARE Mali'
	);
	await expect(moussa.getByRole('button', { name: 'Annuler' })).toHaveCount(0);
	// The restored title is live again: typing in it reaches the other screen.
	await task(moussa, 'Rencontrer le maire')
		.getByRole('textbox', { name: 'Titre de Rencontrer le maire' })
		.press('End');
	await task(moussa, 'Rencontrer le maire')
		.getByRole('textbox', { name: 'Titre de Rencontrer le maire' })
		.pressSequentially(' de Kayes');
	await expect(
		amina.getByRole('textbox', { name: 'Titre de Rencontrer le maire de Kayes' })
	).toHaveValue('Rencontrer le maire de Kayes');
});
