/**
 * The facilitator's laptop at 1366×768: the step, its controls and the projector's controls are in
 * view together (the facilitation panel sits beside the step, never above it), the projector view
 * is one click away, and the final wording starts from the proposals chosen.
 */
import { createWorkshop, expect, test } from './fixtures';
import { LAPTOP, expectInFirstViewport, expectNoSideScroll } from './room';

test('on a 1366×768 laptop the step and its controls are in view together; the projector is one click away', async ({
	openPerson
}) => {
	const awa = await openPerson(LAPTOP);
	const board = await createWorkshop(awa, 'Forum des organisations de la société civile de Kayes');
	for (const name of ['Mairie de Kayes', 'Radio rurale de Kayes']) {
		await awa.getByLabel("Nom de l'allié", { exact: true }).fill(name);
		await awa.getByRole('button', { name: "Ajouter l'allié" }).click();
	}
	await expect(awa.getByTestId('ally-card')).toHaveCount(2);
	const inView = [
		awa.locator('#step-title'),
		awa.getByRole('button', { name: "Ajouter l'allié" }),
		awa.getByRole('button', { name: 'Amener tout le monde à cette étape' }),
		awa.getByRole('button', { name: 'L’écran pour rejoindre' }),
		awa.getByRole('link', { name: 'Vue projecteur' })
	];
	await awa.screenshot({ path: 'test-results/laptop-identify.png' });
	for (const [index, target] of inView.entries())
		await expectInFirstViewport(awa, target, `control ${index}`);
	// The list of allies starts on the first screen too.
	const firstCard = (await awa.getByTestId('ally-card').first().boundingBox())!;
	expect(firstCard.y, 'first ally card top').toBeLessThan(LAPTOP.viewport.height - 40);
	await expectNoSideScroll(awa, 'laptop');
	// The facilitation panel (countdown, charter, archive) is beside the step, in the side column
	// that scrolls on its own: reaching it keeps the step's form in view.
	await awa.getByRole('button', { name: 'Verrouiller la charte' }).scrollIntoViewIfNeeded();
	await expect(awa.getByRole('button', { name: 'Verrouiller la charte' })).toBeInViewport();
	await expect(awa.getByRole('button', { name: "Ajouter l'allié" })).toBeInViewport();

	// One click opens the projector view in its own window (for the second screen).
	const [projector] = await Promise.all([
		awa.waitForEvent('popup'),
		awa.getByRole('link', { name: 'Vue projecteur' }).click()
	]);
	await expect(projector).toHaveURL(new RegExp(`${board}/projector$`));
	await projector.close();

	// The common objective: the facilitator's controls for a round beside the proposals.
	await awa.goto(`${board}?step=objective`);
	for (const wording of [
		'Scolariser toutes les filles de Kayes',
		'Réduire l’abandon scolaire au collège'
	]) {
		await awa.getByLabel("Formulation de l'objectif").last().fill(wording);
		await awa.getByRole('button', { name: 'Proposer', exact: true }).click();
		await expect(awa.getByTestId('proposal').filter({ hasText: wording })).toBeVisible();
	}
	await expectInFirstViewport(awa, awa.locator('#step-title'), 'objective title');
	await expectInFirstViewport(awa, awa.getByTestId('proposal').first(), 'first proposal');
	await awa
		.getByRole('checkbox', { name: 'Sélectionner « Scolariser toutes les filles de Kayes »' })
		.check();
	await awa
		.getByRole('checkbox', { name: 'Sélectionner « Réduire l’abandon scolaire au collège »' })
		.check();
	const merge = awa.locator('details.merge');
	await merge.locator('summary').click();
	// The final wording starts from the proposals chosen, to be edited into one.
	await expect(merge.getByLabel("Formulation de l'objectif")).toHaveValue(
		'Scolariser toutes les filles de Kayes\nRéduire l’abandon scolaire au collège'
	);
	await awa.screenshot({ path: 'test-results/laptop-objective.png' });
});
