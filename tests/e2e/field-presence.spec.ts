/** Presence on the board: a subtle marker shows which ally field someone else is editing. */
import type { Locator, Page } from '@playwright/test';
import { admitParticipant, createWorkshop, expect, test } from './fixtures';

function card(page: Page, name: string): Locator {
	return page.getByTestId('ally-card').filter({
		has: page.getByRole('textbox', { name: `Nom de ${name}`, exact: true })
	});
}

async function openStudy(page: Page, name: string): Promise<Locator> {
	const found = card(page, name);
	await found.getByText(`Étudier ${name}`, { exact: true }).click();
	return found;
}

test('a field someone else is editing carries a marker that goes away when they leave it', async ({
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson({ viewport: { width: 360, height: 640 } });
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await amina.getByLabel("Nom de l'allié", { exact: true }).fill('CARE Mali');
	await amina.getByRole('button', { name: "Ajouter l'allié" }).click();
	await admitParticipant(moussa, board);
	await moussa.goto(board);
	await expect(moussa.getByTestId('save-status')).toHaveText('Enregistré');
	const onLaptop = await openStudy(amina, 'CARE Mali');
	const onPhone = await openStudy(moussa, 'CARE Mali');
	const headquarters = (found: Locator) => found.locator('label.field', { hasText: 'Siège' });

	await onPhone.getByLabel('Siège', { exact: true }).focus();
	await expect(headquarters(onLaptop).getByTestId('editing-marker')).toBeVisible();
	await expect(headquarters(onLaptop).getByTestId('editing-marker')).toHaveAttribute(
		'title',
		"Quelqu'un modifie ce champ"
	);
	// Only that field, and never on the editor's own screen.
	await expect(onLaptop.getByTestId('editing-marker')).toHaveCount(1);
	await expect(moussa.getByTestId('editing-marker')).toHaveCount(0);
	// A cue for the eyes only: the field keeps its name for everyone else's tools.
	await expect(onLaptop.getByRole('textbox', { name: 'Siège', exact: true })).toBeVisible();

	await onPhone.getByLabel('Notes', { exact: true }).focus();
	const notes = onLaptop.locator('label.field', { hasText: 'Notes' });
	await expect(notes.getByTestId('editing-marker')).toBeVisible();
	await expect(headquarters(onLaptop).getByTestId('editing-marker')).toHaveCount(0);

	await onPhone.getByLabel('Notes', { exact: true }).blur();
	await expect(amina.getByTestId('editing-marker')).toHaveCount(0);

	// The name field too, and a person who leaves takes their marker with them.
	await onPhone.getByRole('textbox', { name: 'Nom de CARE Mali', exact: true }).focus();
	await expect(onLaptop.getByTestId('editing-marker')).toHaveCount(1);
	await moussa.close();
	await expect(amina.getByTestId('editing-marker')).toHaveCount(0);
});
