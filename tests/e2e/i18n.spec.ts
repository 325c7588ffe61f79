/** The board speaks French unless someone picks English, and the choice sticks. */
import { createWorkshop, expect, test } from './fixtures';

test('the board is in French by default and switching to English sticks across a reload', async ({
	openPerson
}) => {
	// Bambara, as a browser in Mali may prefer: neither French nor English, so the default applies.
	const page = await openPerson({ locale: 'bm-ML' });
	await createWorkshop(page, 'Forum de Ségou');
	await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
	await expect(
		page.getByRole('heading', { name: 'Étape 1 : Identifier les alliés' })
	).toBeVisible();
	await expect(page.getByTestId('save-status')).toHaveText('Enregistré');

	await page.getByLabel('Langue').selectOption('en');

	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('heading', { name: 'Step 1: Identify the allies' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Add the ally' })).toBeVisible();
	await expect(page.getByTestId('save-status')).toHaveText('Saved');

	await page.reload();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('heading', { name: 'Step 1: Identify the allies' })).toBeVisible();
	await expect(page.getByLabel('Language')).toHaveValue('en');
});
