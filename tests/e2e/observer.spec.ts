/** A member organisation follows the board through the observer link: live, and read-only. */
import { createWorkshop, expect, test } from './fixtures';

test('an observer joins with the observer link, sees live changes and cannot edit', async ({
	openPerson
}) => {
	const amina = await openPerson();
	const awa = await openPerson();
	await createWorkshop(amina, 'Forum de Kayes');
	await amina.getByTestId('join-code').click();
	const observerPath = await amina
		.getByRole('link', { name: /^\/join\// })
		.nth(1)
		.getAttribute('href');

	await awa.goto(observerPath!);
	await expect(awa.getByText('Vous suivez « Forum de Kayes » en observateur')).toBeVisible();
	await awa.getByLabel('Votre nom').fill('Awa Traoré');
	await awa.getByLabel('Organisation que vous représentez').fill('Oxfam');
	await awa.getByRole('button', { name: 'Rejoindre' }).click();
	await expect(awa.getByText('Vous suivez ce tableau en observateur')).toBeVisible();
	await expect(awa.getByRole('button', { name: "Ajouter l'allié" })).toBeDisabled();
	await expect(awa.getByLabel("Nom de l'allié", { exact: true })).toBeDisabled();

	await amina.getByLabel("Nom de l'allié", { exact: true }).fill('Mairie de Kayes');
	await amina.getByRole('button', { name: "Ajouter l'allié" }).click();
	const ally = awa.getByRole('textbox', { name: 'Nom de Mairie de Kayes', exact: true });
	await expect(ally).toHaveValue('Mairie de Kayes');
	await expect(ally).toBeDisabled();
});
