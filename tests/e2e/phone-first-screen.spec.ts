/**
 * On a 360×640 phone the work is on the first screen: for every step of both options, the step's
 * action (score a coalition, add an ally, place one on the map, propose an objective, move an ally
 * on, add a task, add a principle) is inside the first viewport, above the bottom bar, without
 * scrolling; and a step change from the facilitator lands at the top of the new step.
 */
import type { Page } from '@playwright/test';
import { admitParticipant, createWorkshop, expect, test } from './fixtures';
import { PHONE, STEP_ACTIONS, expectInFirstViewport, expectNoSideScroll } from './room';

async function add(page: Page, label: string, value: string, button: string): Promise<void> {
	await page.getByLabel(label, { exact: true }).fill(value);
	await page.getByRole('button', { name: button }).click();
}

test('every step’s action is on a phone’s first screen, and a step change lands at its top', async ({
	openPerson
}) => {
	test.setTimeout(90_000);
	const awa = await openPerson();
	const moussa = await openPerson(PHONE);
	const board = await createWorkshop(awa, 'Forum des organisations de la société civile de Kayes');
	await awa.goto(`${board}/settings`);
	await awa
		.getByLabel('Enjeu de plaidoyer')
		.fill('La scolarisation des filles dans le cercle de Kayes, de l’école primaire au lycée');
	await awa.getByRole('button', { name: 'Enregistrer' }).first().click();
	await awa.goto(`${board}?step=candidates`);
	await add(
		awa,
		'Nom de la coalition',
		'Coalition pour l’éducation des filles',
		'Ajouter la coalition'
	);
	await awa.goto(`${board}?step=identify`);
	for (const name of [
		'Mairie de Kayes',
		'Radio rurale de Kayes',
		'Direction régionale de l’hydraulique'
	]) {
		await add(awa, "Nom de l'allié", name, "Ajouter l'allié");
	}
	await awa.goto(`${board}?step=tasks`);
	await add(awa, 'Nouvelle tâche', 'Rencontrer le maire', 'Ajouter la tâche');

	await admitParticipant(moussa, board, 'Moussa Diarra', 'Radio rurale de Kayes');
	await moussa.goto(board);
	await expect(moussa.getByTestId('save-status')).toHaveText('Enregistré');
	for (const [step, action] of Object.entries(STEP_ACTIONS)) {
		await moussa.goto(`${board}?step=${step}`);
		await expect(action(moussa)).toBeVisible();
		await expectInFirstViewport(moussa, action(moussa), `the action of ${step}`);
		await expectNoSideScroll(moussa, step);
	}

	// The facilitator brings everyone to step 4 while the phone is scrolled down step 1.
	await moussa.goto(`${board}?step=identify`);
	await moussa.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
	await awa.goto(`${board}?step=tasks`);
	await awa.getByRole('button', { name: 'Amener tout le monde à cette étape' }).click();
	await expect(moussa.locator('#step-title')).toHaveText(
		'Étape 4 : Définir les responsabilités et rôles de chaque allié — qui fera quoi ?'
	);
	await expect(moussa.locator('#step-title')).toBeInViewport();
	await expectInFirstViewport(
		moussa,
		STEP_ACTIONS.tasks(moussa),
		'the action after the step change'
	);
	await moussa.screenshot({ path: 'test-results/phone-first-screen.png' });
});
