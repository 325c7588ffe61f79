/**
 * A vote on the common objective, end to end: a facilitator on a laptop, two participants on
 * phones. Results stay hidden until the facilitator reveals them, then appear on every screen.
 */
import type { Page } from '@playwright/test';
import { admitParticipant, createWorkshop, expect, test } from './fixtures';

const PHONE = { width: 390, height: 844 };
const OBJECTIVE = 'Scolariser toutes les filles de Kayes d’ici 2030';

async function openBoard(page: Page, path: string, name: string): Promise<void> {
	await admitParticipant(page, path, name);
	await page.goto(`${path}?step=objective`);
	await expect(page.getByRole('heading', { name: 'Objectif commun' })).toBeVisible();
}

/** Taps a fist-to-five level on the phone (the whole row is the target) and sends the vote. */
async function voteLevel(page: Page, level: string): Promise<void> {
	const row = page.locator('label.level', { hasText: level });
	const box = await row.boundingBox();
	// One thumb: every level is a full-width row at least 56 px high.
	expect(box!.height).toBeGreaterThanOrEqual(56);
	expect(box!.width).toBeGreaterThan(PHONE.width * 0.75);
	await row.click();
	await page.getByRole('button', { name: 'Voter', exact: true }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Vote enregistré' })).toBeVisible();
}

test('a facilitator opens a hidden vote, two phones vote, the reveal shows the results everywhere', async ({
	openPerson
}) => {
	const awa = await openPerson();
	const moussa = await openPerson({ viewport: PHONE });
	const fatou = await openPerson({ viewport: PHONE });
	const path = await createWorkshop(awa, 'Forum de Kayes');
	await awa.goto(`${path}?step=objective`);
	await openBoard(moussa, path, 'Moussa');
	await openBoard(fatou, path, 'Fatou');

	// A participant proposes; everyone sees it.
	await moussa.getByLabel("Formulation de l'objectif").fill(OBJECTIVE);
	await moussa
		.getByLabel('Pourquoi cet objectif ? (facultatif)')
		.fill('Le taux de scolarisation des filles baisse.');
	await moussa.getByRole('button', { name: 'Proposer', exact: true }).click();
	for (const page of [awa, moussa, fatou]) {
		await expect(page.getByTestId('proposal').filter({ hasText: OBJECTIVE })).toContainText(
			'Proposé par Moussa'
		);
	}

	// The facilitator puts it to an anonymous fist-to-five vote, results hidden.
	await awa.getByRole('checkbox', { name: `Sélectionner « ${OBJECTIVE} »` }).check();
	await expect(
		awa.getByText(
			"Consensus si personne n'est en dessous de 2 et si la moyenne atteint au moins 3."
		)
	).toBeVisible();
	await awa.getByRole('button', { name: 'Ouvrir le vote' }).click();
	await expect(awa.getByTestId('round-progress')).toHaveText('0 sur 2 ont voté');
	await expect(awa.getByTestId('not-voted')).toContainText('Moussa');
	await expect(awa.getByTestId('not-voted')).toContainText('Fatou');

	for (const page of [moussa, fatou]) {
		await expect(page.getByTestId('open-round')).toContainText('Vote ouvert');
		await expect(page.getByText('Vote anonyme : personne ne verra votre choix.')).toBeVisible();
	}
	await voteLevel(moussa, '4 · Bonne proposition');
	await expect(awa.getByTestId('round-progress')).toHaveText('1 sur 2 ont voté');
	await expect(awa.getByTestId('not-voted')).not.toContainText('Moussa');
	// A change of mind while open: the latest vote counts, once.
	await voteLevel(fatou, '1 · Fortes objections');
	await voteLevel(fatou, "3 · D'accord");
	await expect(awa.getByTestId('round-progress')).toHaveText('2 sur 2 ont voté');
	await expect(awa.getByText('Tout le monde a voté.')).toBeVisible();

	// Hidden until the reveal: no results on the participants' screens, even once closed.
	for (const page of [moussa, fatou])
		await expect(page.getByTestId('round-results')).toHaveCount(0);
	await awa.getByRole('button', { name: 'Clore le vote' }).click();
	for (const page of [moussa, fatou]) {
		await expect(page.getByText('Vote clos, résultats pas encore révélés')).toBeVisible();
		await expect(page.getByTestId('round-results')).toHaveCount(0);
	}
	await awa.getByRole('button', { name: 'Révéler les résultats' }).click();

	for (const page of [awa, moussa, fatou]) {
		const results = page.getByTestId('round-results');
		await expect(results).toBeVisible();
		await expect(results.getByTestId('verdict')).toHaveText('Consensus atteint');
		await expect(results).toContainText('Voix : 2');
		await expect(results).toContainText('Moyenne 3,5 · plus basse 3');
		await expect(results).toContainText("Consensus si personne n'est en dessous de 2");
		// Anonymous: nobody's position is listed.
		await expect(results).not.toContainText('Moussa');
		await expect(results).not.toContainText('Fatou');
	}
});

test('a named consent round: a block with its reason, a vote entered by the facilitator, the override; then live dots', async ({
	openPerson
}) => {
	const awa = await openPerson();
	const moussa = await openPerson({ viewport: PHONE });
	const path = await createWorkshop(awa, 'Forum de Kayes');
	await awa.goto(`${path}?step=objective`);
	await openBoard(moussa, path, 'Moussa');
	const fatou = await openPerson({ viewport: PHONE });
	await admitParticipant(fatou, path, 'Fatou');

	for (const wording of ['Objectif A', 'Objectif B']) {
		await awa.getByLabel("Formulation de l'objectif").fill(wording);
		await awa.getByRole('button', { name: 'Proposer', exact: true }).click();
		await expect(awa.getByTestId('proposal').filter({ hasText: wording })).toBeVisible();
	}
	await awa.getByRole('checkbox', { name: 'Sélectionner « Objectif A »' }).check();
	await awa.getByLabel("Consentement (d'accord, réserves, blocage)").check();
	await awa.getByRole('radio', { name: 'Nominatif' }).check();
	await expect(awa.getByText("Consensus s'il n'y a aucun blocage.")).toBeVisible();
	await awa.getByRole('button', { name: 'Ouvrir le vote' }).click();

	// A block needs its reason.
	await moussa.locator('label.consent', { hasText: 'Je bloque' }).click();
	await moussa.getByRole('button', { name: 'Voter', exact: true }).click();
	await expect(moussa.getByRole('alert')).toHaveText('Donnez la raison du blocage.');
	await moussa.getByLabel('Raison du blocage (obligatoire)').fill('Hors de notre mandat');
	await moussa.getByRole('button', { name: 'Voter', exact: true }).click();
	await expect(moussa.getByRole('status').filter({ hasText: 'Vote enregistré' })).toBeVisible();

	// Fatou has no phone with her: the facilitator enters her vote from the not-voted list.
	await awa.getByRole('button', { name: 'Saisir le vote de Fatou' }).click();
	await expect(awa.getByText('Vote saisi pour Fatou')).toBeVisible();
	await awa.locator('label.consent', { hasText: "D'accord" }).click();
	await awa.getByRole('button', { name: 'Voter', exact: true }).click();
	await expect(awa.getByTestId('round-progress')).toHaveText('2 sur 2 ont voté');

	await awa.getByRole('button', { name: 'Clore le vote' }).click();
	await awa.getByRole('button', { name: 'Révéler les résultats' }).click();
	const results = moussa.getByTestId('round-results');
	await expect(results.getByTestId('verdict')).toHaveText('Pas de consensus');
	await expect(results).toContainText('Blocages : 1');

	await awa
		.getByLabel('Raison pour passer outre le blocage (elle sera affichée)')
		.fill('Le mandat sera élargi en assemblée générale');
	await awa.getByRole('button', { name: 'Passer outre le blocage' }).click();
	await expect(results.getByTestId('verdict')).toHaveText('Consensus atteint');
	await expect(results).toContainText('Blocage levé par');
	await expect(results).toContainText('Le mandat sera élargi en assemblée générale');
	await results.getByText('Positions de chacun').click();
	await expect(results).toContainText('Fatou (CARE Mali)');
	await expect(results).toContainText('saisi par');

	// Live dots, named: each of Moussa's dots shows on the facilitator's screen as he votes.
	await awa.getByRole('checkbox', { name: 'Sélectionner « Objectif A »' }).check();
	await awa.getByRole('checkbox', { name: 'Sélectionner « Objectif B »' }).check();
	await awa.getByLabel('Vote par gommettes').check();
	await awa.getByRole('radio', { name: 'Nominatif' }).check();
	await awa.getByLabel('Résultats en direct (vote nominatif seulement)').check();
	await awa.getByRole('button', { name: 'Ouvrir le vote' }).click();
	await expect(moussa.getByText('Gommettes restantes : 3')).toBeVisible();
	for (let dot = 0; dot < 2; dot++)
		await moussa.getByRole('button', { name: 'Ajouter une gommette à « Objectif B »' }).click();
	await moussa.getByRole('button', { name: 'Ajouter une gommette à « Objectif A »' }).click();
	await expect(
		moussa.getByRole('button', { name: 'Ajouter une gommette à « Objectif A »' })
	).toBeDisabled();
	await moussa.getByRole('button', { name: 'Voter', exact: true }).click();
	const live = awa.getByTestId('open-round').getByTestId('round-results').first();
	await expect(live).toContainText('Gommettes : 2');
	await expect(live.getByTestId('verdict').filter({ hasText: 'En tête' })).toHaveCount(1);
});
