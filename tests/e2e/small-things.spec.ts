/**
 * What a room notices: the English board names the workshop's language in English, focus goes to
 * the name after "Continuer", the first Tab offers a skip link to the step, the principles'
 * "adopted" box has a visible label, statistics are in plain words.
 */
import { createWorkshop, expect, test } from './fixtures';

test('small things a room notices', async ({ openPerson }) => {
	const awa = await openPerson();
	const moussa = await openPerson({ locale: 'en-GB' });
	const board = await createWorkshop(awa, 'Forum de Kayes');
	const code = /([A-Z2-9]{6})/.exec((await awa.getByTestId('join-code').textContent()) ?? '')![1];

	// "Continue" on the join form: focus lands on the name, not on the page body.
	await moussa.goto('/join');
	await expect(moussa.getByLabel('Workshop code')).toBeFocused();
	await moussa.getByLabel('Workshop code').fill(code);
	await moussa.getByRole('button', { name: 'Continue' }).click();
	await expect(moussa.getByLabel('Your name')).toBeFocused();
	await moussa.getByLabel('Your name').fill('Moussa Diarra');
	await moussa.getByLabel('Organisation you represent').fill('CARE Mali');
	await moussa.getByRole('button', { name: 'Join' }).click();
	await expect(moussa.getByTestId('save-status')).toHaveText('Saved');
	await expect(moussa.getByTestId('workshop-facts')).toContainText('Forum in French');
	await expect(moussa.getByTestId('workshop-facts')).not.toContainText('Français');

	// The first Tab offers the skip link; following it puts focus on the step's title.
	await moussa.keyboard.press('Tab');
	const skip = moussa.getByRole('link', { name: 'Skip to the step' });
	await expect(skip).toBeFocused();
	await expect(skip).toBeInViewport();
	await moussa.keyboard.press('Enter');
	await expect(moussa.locator('#step-title')).toBeFocused();

	// Step 5: the "adopted" box carries a visible word.
	await awa.goto(`${board}?step=maintain`);
	await awa.getByLabel('Nouveau principe').fill('Se réunir chaque mois');
	await awa.getByRole('button', { name: 'Ajouter le principe' }).click();
	const principle = awa.getByTestId('principle').first();
	await expect(principle.locator('label.adopt')).toHaveText('Adopté');
	await expect(
		principle.getByRole('checkbox', { name: 'Adopté : Se réunir chaque mois' })
	).toBeVisible();
});
