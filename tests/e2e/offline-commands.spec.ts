/**
 * Commands made with no network: a vote cast offline says it will be sent, waits on the phone
 * (IndexedDB) across a reload, is sent when the network is back and counted once; one that
 * arrives after its round closed is refused in words. "No network" is the server stopped (see
 * offline-copy.spec.ts).
 */
import type { Page } from '@playwright/test';
import { admitParticipant, createWorkshop, expect, test, waitUntilHeldOffline } from './fixtures';

const PHONE = { viewport: { width: 390, height: 844 } };
const OBJECTIVE = 'Scolariser toutes les filles de Kayes d’ici 2030';
const RECONNECT = { timeout: 30_000 };

/** A facilitator with a proposal put to an anonymous fist-to-five vote; Moussa's phone sees it. */
async function openRound(awa: Page, moussa: Page): Promise<string> {
	const path = await createWorkshop(awa, 'Forum de Kayes');
	await awa.goto(`${path}?step=objective`);
	await admitParticipant(moussa, path, 'Moussa');
	await moussa.goto(`${path}?step=objective`);
	await expect(moussa.getByTestId('save-status')).toHaveText('Enregistré');
	await awa.getByLabel("Formulation de l'objectif").fill(OBJECTIVE);
	await awa.getByRole('button', { name: 'Proposer', exact: true }).click();
	await awa.getByRole('checkbox', { name: `Sélectionner « ${OBJECTIVE} »` }).check();
	await awa.getByRole('button', { name: 'Ouvrir le vote' }).click();
	await expect(awa.getByTestId('round-progress')).toHaveText('0 sur 1 ont voté');
	await expect(moussa.getByTestId('open-round')).toContainText('Vote ouvert');
	await expect(moussa.getByRole('button', { name: 'Voter', exact: true })).toBeVisible();
	// The phone keeps the board for offline use (service worker and local copy).
	await waitUntilHeldOffline(moussa, path);
	return path;
}

/** Votes while the server is down: the phone says the vote will be sent, and what waits. */
async function voteOffline(moussa: Page): Promise<void> {
	await moussa.locator('label.level', { hasText: '4 · Bonne proposition' }).click();
	await moussa.getByRole('button', { name: 'Voter', exact: true }).click();
	await expect(
		moussa.getByText('Hors ligne : votre vote sera envoyé au retour du réseau, une seule fois.')
	).toBeVisible();
	await expect(moussa.getByTestId('save-status')).toContainText('1 envoi en attente du réseau');
}

test('a vote cast offline waits on the phone across a reload and is counted once when back', async ({
	app,
	openPerson
}) => {
	const awa = await openPerson();
	const moussa = await openPerson(PHONE);
	await openRound(awa, moussa);

	await app.stop();
	await voteOffline(moussa);
	await moussa.reload();
	await expect(moussa.getByRole('heading', { name: 'Objectif commun' })).toBeVisible();
	await expect(moussa.getByTestId('save-status')).toContainText('1 envoi en attente du réseau');

	await app.start();
	await expect(moussa.getByTestId('save-status')).toHaveText('Enregistré', RECONNECT);
	await expect(moussa.getByTestId('save-status')).not.toContainText('en attente');
	await expect(awa.getByTestId('round-progress')).toHaveText('1 sur 1 ont voté', RECONNECT);
	// Sent by the page that cast it and again by the reloaded one, perhaps: counted once.
	await awa.getByRole('button', { name: 'Clore le vote' }).click();
	await awa.getByRole('button', { name: 'Révéler les résultats' }).click();
	await expect(awa.getByTestId('round-results')).toContainText('Voix : 1');
	await expect(moussa.getByTestId('round-results')).toContainText('Voix : 1');
});

test('a vote cast offline that arrives after its round closed is refused in words', async ({
	app,
	openPerson
}) => {
	const awa = await openPerson();
	const moussa = await openPerson(PHONE);
	const path = await openRound(awa, moussa);

	await app.stop();
	await voteOffline(moussa);
	// The phone's page is gone while the round closes without its vote.
	await moussa.goto('about:blank');
	await app.start();
	await expect(awa.getByTestId('save-status')).toHaveText('Enregistré', RECONNECT);
	// Closing cannot wait: while the facilitator's command socket is still reconnecting it is
	// refused at once ("réessayez"), and she taps again.
	await expect(async () => {
		await awa.getByRole('button', { name: 'Clore le vote' }).click();
		await expect(awa.getByText('Vote clos, résultats pas encore révélés')).toBeVisible({
			timeout: 2_000
		});
	}).toPass(RECONNECT);

	await moussa.goto(`${path}?step=objective`);
	await expect(moussa.getByRole('alert')).toContainText(
		'Envoyé au retour du réseau, mais refusé : Le vote est clos.'
	);
	await moussa.getByRole('button', { name: 'Compris' }).click();
	await expect(moussa.getByRole('alert')).toHaveCount(0);
	await expect(awa.getByTestId('round-progress')).toHaveText('0 sur 1 ont voté');
});
