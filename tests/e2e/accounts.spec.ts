/** A facilitator's account, through the pages, in French and in English. */
import { SEEDED_PASSWORD } from '../fixtures/accounts';
import { expect, signInAsFacilitator, test } from './fixtures';

test('a facilitator signs up, creates a workshop, signs out, signs in again and finds it', async ({
	openPerson
}) => {
	const page = await openPerson();
	await page.goto('/');
	await expect(page).toHaveURL(/\/signin$/);
	await page.getByRole('link', { name: 'Créer un compte' }).click();
	// The sign-in page has a login field too: fill the sign-up page's, once it is there.
	await expect(page.getByRole('heading', { name: "Créer un compte d'animateur" })).toBeVisible();

	await page.getByLabel('Votre nom').fill('Amina Traoré');
	await page.getByLabel('Identifiant').fill('amina.traore');
	await page.getByLabel('Mot de passe').fill('court');
	await page.getByRole('button', { name: 'Créer le compte' }).click();
	// The browser's own check (minlength) stops the form before the server sees it.
	await expect(page).toHaveURL(/\/signup$/);
	await page.getByLabel('Mot de passe').fill('forum-de-kayes-2026');
	await page.getByRole('button', { name: 'Créer le compte' }).click();

	await expect(page.getByRole('heading', { name: 'Nouvel atelier' })).toBeVisible();
	await page.getByLabel("Titre de l'atelier").fill('Forum de Kayes');
	await page.getByRole('button', { name: "Créer l'atelier" }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Forum de Kayes' })).toBeVisible();
	// The room sees the facilitator's name, not their login.
	await expect(page.getByTestId('workshop-facts')).toContainText('Vous : Amina Traoré');
	await expect(page.locator('.presence')).toContainText('Amina Traoré (vous)');

	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
	await page.goto('/');
	await expect(page).toHaveURL(/\/signin$/);

	await page.getByLabel('Identifiant').fill('amina.traore');
	await page.getByLabel('Mot de passe').fill('pas-le-bon-mot');
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page.getByRole('alert')).toHaveText('Identifiant ou mot de passe incorrect.');

	await page.getByLabel('Mot de passe').fill('forum-de-kayes-2026');
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page.getByRole('heading', { name: 'Mes ateliers' })).toBeVisible();
	await page.getByRole('link', { name: 'Forum de Kayes' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Forum de Kayes' })).toBeVisible();
});

test('changing the password signs the other devices out; "every device" signs this one out too', async ({
	openPerson
}) => {
	const laptop = await openPerson({ locale: 'en-GB' });
	const phone = await openPerson({ locale: 'en-GB' });
	const { login } = await signInAsFacilitator(laptop);
	await phone.goto('/signin');
	await phone.getByLabel('Login').fill(login);
	await phone.getByLabel('Password').fill(SEEDED_PASSWORD);
	await phone.getByRole('button', { name: 'Sign in' }).click();
	await expect(phone.getByRole('heading', { name: 'My workshops' })).toBeVisible();

	await laptop.goto('/account');
	await expect(laptop.getByText(`Signed in as ${login}`)).toBeVisible();
	await laptop.getByLabel('Current password').fill(SEEDED_PASSWORD);
	await laptop.getByLabel('New password').fill('a much longer passphrase');
	await laptop.getByRole('button', { name: 'Change the password' }).click();
	await expect(laptop.getByRole('status')).toHaveText(
		'Password changed. Your other devices have been signed out.'
	);
	await phone.reload();
	await expect(phone).toHaveURL(/\/signin$/);

	await laptop.getByRole('button', { name: 'Sign out of every device' }).click();
	await expect(laptop).toHaveURL(/\/signin$/);
	await laptop.goto('/account');
	await expect(laptop).toHaveURL(/\/signin$/);
});
