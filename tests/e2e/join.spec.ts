/** A participant joins from their phone with the code shown in the room, a name and an organisation. */
import { createWorkshop, expect, test } from './fixtures';

test('a second person joins with the code, a name and an organisation, sees the board and finds it again', async ({
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson({ viewport: { width: 390, height: 844 } });
	const board = await createWorkshop(amina, 'Forum de Kayes');
	const shown = await amina.getByTestId('join-code').textContent();
	const code = /([A-Z2-9]{6})/.exec(shown ?? '')?.[1];
	expect(code, `a join code in "${shown}"`).toBeTruthy();

	// Signed out, the board is not readable: the person is sent to sign in.
	await moussa.goto(board);
	await expect(moussa).toHaveURL(/\/signin$/);

	await moussa.goto('/join');
	await moussa.getByLabel('Code de l’atelier').fill('AAAAAA');
	await moussa.getByRole('button', { name: 'Continuer' }).click();
	await expect(moussa.getByRole('alert')).toHaveText(
		'Ce code n’ouvre aucun atelier. Vérifiez-le et réessayez.'
	);

	// Typed in lower case, as on a phone keyboard.
	await moussa.getByLabel('Code de l’atelier').fill(code!.toLowerCase());
	await moussa.getByRole('button', { name: 'Continuer' }).click();
	await expect(moussa.getByText('Vous rejoignez « Forum de Kayes ».')).toBeVisible();
	await moussa.getByLabel('Votre nom').fill('Moussa Diarra');
	await moussa.getByLabel('Organisation que vous représentez').fill('CARE Mali');
	await moussa.getByRole('button', { name: 'Rejoindre' }).click();

	await expect(moussa).toHaveURL(new RegExp(`${board}$`));
	await expect(moussa.getByRole('heading', { level: 1, name: 'Forum de Kayes' })).toBeVisible();
	await expect(moussa.getByText('Vous : Moussa Diarra')).toBeVisible();
	await expect(moussa.getByTestId('save-status')).toHaveText('Enregistré');

	// A participant edits the shared board.
	await moussa.getByLabel("Nom de l'allié", { exact: true }).fill('Radio rurale de Kayes');
	await moussa.getByRole('button', { name: "Ajouter l'allié" }).click();
	await expect(
		amina.getByRole('textbox', { name: 'Nom de Radio rurale de Kayes', exact: true })
	).toBeVisible();

	// The device remembers: its home lists the workshop.
	await moussa.goto('/');
	await moussa.getByRole('link', { name: 'Forum de Kayes' }).click();
	await expect(moussa.getByTestId('save-status')).toHaveText('Enregistré');
});
