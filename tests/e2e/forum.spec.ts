/**
 * The forum's story of its common objective, on five screens: the facilitator's laptop, three
 * participants' phones (360×640) and an observer from a member organisation. Proposals, the final
 * wording, a hidden fist-to-five round and its reveal, a named consent round, each organisation's
 * endorsement, the lock — and the coalition charter that nobody can edit afterwards.
 *
 * The page exposes no handle on its Y.Doc, so a forged write into the `charter` root from a
 * participant's browser is not attempted here: tests/integration/charter-lock.test.ts covers it
 * with a raw client. This test checks that the charter offers no control to edit it.
 */
import type { Locator, Page } from '@playwright/test';
import { seedMember } from '../fixtures/members';
import { admitParticipant, createWorkshop, expect, test } from './fixtures';
import { expectProjectorReadable } from './projector';

const PHONE = { viewport: { width: 360, height: 640 } };
const FINAL = 'Qu’en 2030 toutes les filles de Kayes entrent au collège et y restent';
const RESERVATION = 'Prévoir aussi des classes passerelles pour celles qui ont déjà quitté l’école';
const GRADIENT = 'Gradient de consensus (du poing aux cinq doigts)';
const CONSENT = "Consentement (d'accord, réserves, blocage)";

function stepHeading(page: Page): Locator {
	return page.getByRole('heading', { level: 2 }).and(page.locator('#step-title'));
}

/** The round as shown in the step, by its mode (rounds are listed newest first). */
function roundOf(page: Page, mode: string): Locator {
	return page
		.locator('[data-testid^="round-"]')
		.filter({ has: page.locator('.round-head', { hasText: mode }) });
}

async function propose(page: Page, wording: string): Promise<void> {
	await page.getByLabel("Formulation de l'objectif").fill(wording);
	await page.getByRole('button', { name: 'Proposer', exact: true }).click();
	await expect(page.getByTestId('proposal').filter({ hasText: wording })).toBeVisible();
}

/** One thumb: the chosen row is a big target, then "Voter". */
async function vote(page: Page, row: Locator, reservation?: string): Promise<void> {
	const box = await row.boundingBox();
	expect(box!.height).toBeGreaterThanOrEqual(44);
	expect(box!.width).toBeGreaterThan(PHONE.viewport.width * 0.75);
	await row.click();
	if (reservation) await page.getByLabel('Vos réserves (facultatif)').fill(reservation);
	await page.getByRole('button', { name: 'Voter', exact: true }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Vote enregistré' })).toBeVisible();
}

/** Nothing about a hidden round on a participant's screen: no results, no count, no tally. */
async function expectNothingRevealed(page: Page): Promise<void> {
	await expect(page.getByTestId('round-results')).toHaveCount(0);
	await expect(page.getByTestId('round-progress')).toHaveCount(0);
	await expect(page.getByText('Décompte caché')).toHaveCount(0);
	await expect(page.getByText(/Moyenne \d/)).toHaveCount(0);
}

test('the forum agrees on its objective: proposals, a hidden vote and its reveal, consent, the lock, the charter', async ({
	app,
	openPerson
}) => {
	// Five browsers at once on a shared 2-core machine: room above the default 60 s.
	test.setTimeout(90_000);
	const awa = await openPerson();
	const moussa = await openPerson(PHONE);
	const fatou = await openPerson(PHONE);
	const ibrahim = await openPerson(PHONE);
	const aminata = await openPerson();
	const participants = [moussa, fatou, ibrahim];
	const everyone = [awa, ...participants, aminata];
	let path = '';

	await test.step('the facilitator opens the forum and brings everyone to the common objective', async () => {
		path = await createWorkshop(awa, 'Forum de Kayes');
		await admitParticipant(moussa, path, 'Moussa', 'Radio rurale de Kayes');
		await admitParticipant(fatou, path, 'Fatou', 'CARE Mali');
		await admitParticipant(ibrahim, path, 'Ibrahim', 'Association des mères d’élèves');
		const observer = await seedMember(app.dataDir, path.split('/').pop()!, {
			role: 'observer',
			name: 'Aminata',
			organisation: 'Oxfam'
		});
		await aminata
			.context()
			.addCookies([
				{ name: 'session', value: observer.token, url: app.url, httpOnly: true, sameSite: 'Lax' }
			]);
		for (const page of [...participants, aminata]) await page.goto(path);

		await awa.goto(`${path}?step=objective`);
		await awa.getByRole('button', { name: 'Amener tout le monde à cette étape' }).click();
		for (const page of [...participants, aminata]) {
			await expect(stepHeading(page)).toHaveText("L'objectif commun");
			await expect(page.getByTestId('follow-banner')).toContainText('Vous suivez le groupe');
		}
		await expect(aminata.getByLabel("Formulation de l'objectif")).toHaveCount(0);
		// With five people present, the laptop's side column (presence, path) stays beside the board.
		const spilling = await awa.evaluate(() => {
			const boardLeft = document.querySelector('.board-main')!.getBoundingClientRect().left;
			return [...document.querySelectorAll('.board-side *')].filter(
				(element) => element.getBoundingClientRect().right > boardLeft
			).length;
		});
		expect(spilling, 'side column elements over the board').toBe(0);
	});

	await test.step('participants propose objectives from their phones; everyone sees them', async () => {
		await propose(moussa, 'Scolariser toutes les filles de Kayes d’ici 2030');
		await propose(fatou, 'Réduire l’abandon scolaire des filles au collège');
		await propose(ibrahim, 'Des cantines dans toutes les écoles du cercle');
		for (const page of everyone) await expect(page.getByTestId('proposal')).toHaveCount(3);
		await expect(
			aminata.getByTestId('proposal').filter({ hasText: 'Scolariser toutes les filles' })
		).toContainText('Proposé par Moussa');
	});

	await test.step('the facilitator merges two proposals into the final wording', async () => {
		await awa
			.getByRole('checkbox', {
				name: 'Sélectionner « Scolariser toutes les filles de Kayes d’ici 2030 »'
			})
			.check();
		await awa
			.getByRole('checkbox', {
				name: 'Sélectionner « Réduire l’abandon scolaire des filles au collège »'
			})
			.check();
		const merge = awa.locator('details.merge');
		await merge.locator('summary').click();
		await merge.getByLabel("Formulation de l'objectif").fill(FINAL);
		await merge.getByRole('button', { name: 'Fusionner en formulation finale' }).click();
		for (const page of everyone) {
			const final = page.getByTestId('proposal').filter({ hasText: FINAL });
			await expect(final).toContainText('Formulation finale');
			// The merged sources leave the list; Ibrahim's proposal stays.
			await expect(page.getByTestId('proposal')).toHaveCount(2);
		}
		// The facilitator's wording is theirs to edit, not the participants'.
		for (const page of participants) {
			await expect(
				page
					.getByTestId('proposal')
					.filter({ hasText: FINAL })
					.getByRole('button', { name: 'Modifier' })
			).toHaveCount(0);
		}
	});

	await test.step('a hidden, anonymous fist-to-five round: three phones vote, nobody sees a result', async () => {
		await awa.getByRole('checkbox', { name: `Sélectionner « ${FINAL} »` }).check();
		await expect(awa.getByLabel(GRADIENT)).toBeChecked();
		await expect(awa.getByRole('radio', { name: 'Anonyme' })).toBeChecked();
		await awa.getByRole('button', { name: 'Ouvrir le vote' }).click();
		await expect(awa.getByTestId('round-progress')).toHaveText('0 sur 3 ont voté');

		for (const page of participants) {
			await expect(page.getByTestId('open-round')).toContainText('Vote ouvert');
			await expect(page.getByText('Vote anonyme : personne ne verra votre choix.')).toBeVisible();
		}
		await expect(aminata.getByTestId('open-round')).toContainText('Vote ouvert');
		await expect(aminata.getByRole('button', { name: 'Voter', exact: true })).toHaveCount(0);

		await vote(moussa, moussa.locator('label.level', { hasText: '4 · Bonne proposition' }));
		await expect(awa.getByTestId('round-progress')).toHaveText('1 sur 3 ont voté');
		await vote(fatou, fatou.locator('label.level', { hasText: "3 · D'accord" }));
		await vote(ibrahim, ibrahim.locator('label.level', { hasText: "5 · Entièrement d'accord" }));
		await expect(awa.getByTestId('round-progress')).toHaveText('3 sur 3 ont voté');
		await expect(awa.getByText('Tout le monde a voté.')).toBeVisible();
		// The hidden tally is the facilitator's alone.
		await awa.getByText('Décompte caché (animateurs seulement)').click();
		await expect(awa.getByTestId('open-round').getByText('Moyenne 4 · plus basse 3')).toBeVisible();
		for (const page of [...participants, aminata]) await expectNothingRevealed(page);
	});

	await test.step('the facilitator closes the round: still hidden; then reveals it to everyone', async () => {
		await awa.getByRole('button', { name: 'Clore le vote' }).click();
		for (const page of [...participants, aminata]) {
			await expect(page.getByText('Vote clos, résultats pas encore révélés')).toBeVisible();
			await expectNothingRevealed(page);
		}
		await awa.getByRole('button', { name: 'Révéler les résultats' }).click();
		for (const page of everyone) {
			const results = roundOf(page, GRADIENT).getByTestId('round-results');
			await expect(results.getByTestId('verdict')).toHaveText('Consensus atteint');
			await expect(results).toContainText('Voix : 3');
			await expect(results).toContainText('Moyenne 4 · plus basse 3');
			// Anonymous: nobody's position is named.
			for (const name of ['Moussa', 'Fatou', 'Ibrahim'])
				await expect(results).not.toContainText(name);
		}
	});

	await test.step('a named consent round on the final wording: two agree, one with reservations', async () => {
		await awa.getByRole('checkbox', { name: `Sélectionner « ${FINAL} »` }).check();
		await awa.getByLabel(CONSENT).check();
		await awa.getByRole('radio', { name: 'Nominatif' }).check();
		await expect(awa.getByText("Consensus s'il n'y a aucun blocage.")).toBeVisible();
		await awa.getByRole('button', { name: 'Ouvrir le vote' }).click();
		await expect(awa.getByTestId('round-progress')).toHaveText('0 sur 3 ont voté');

		await vote(moussa, moussa.locator('label.consent', { hasText: "D'accord" }));
		await vote(
			fatou,
			fatou.locator('label.consent', { hasText: "J'ai des réserves" }),
			RESERVATION
		);
		await vote(ibrahim, ibrahim.locator('label.consent', { hasText: "D'accord" }));
		await expect(awa.getByTestId('round-progress')).toHaveText('3 sur 3 ont voté');
		for (const page of [...participants, aminata]) {
			await expect(roundOf(page, CONSENT).getByTestId('round-results')).toHaveCount(0);
		}

		await awa.getByRole('button', { name: 'Clore le vote' }).click();
		await awa.getByRole('button', { name: 'Révéler les résultats' }).click();
		for (const page of everyone) {
			const results = roundOf(page, CONSENT).getByTestId('round-results');
			await expect(results.getByTestId('verdict')).toHaveText('Consensus atteint');
			await expect(results).toContainText("D'accord : 2 · Réserves : 1 · Blocages : 0");
		}
	});

	await test.step('each organisation endorses through its delegate; the facilitator locks the charter; participants and the observer read it', async () => {
		await expect(awa.getByTestId('charter')).toHaveCount(0);
		// Persons voted; organisations endorse. Fatou carries CARE Mali's reservation into the charter.
		for (const [page, organisation] of [
			[moussa, 'Radio rurale de Kayes'],
			[fatou, 'CARE Mali'],
			[ibrahim, 'Association des mères d’élèves']
		] as const) {
			const mine = page.getByTestId('endorsements');
			if (page === fatou) await mine.getByLabel('Réserve (facultatif)').fill(RESERVATION);
			await mine.getByRole('button', { name: `Approuver au nom de ${organisation}` }).click();
			await expect(mine).toContainText('Approuvé par');
		}
		await expect(aminata.getByTestId('endorsements')).toHaveCount(0);
		await awa.getByRole('button', { name: 'Verrouiller la charte' }).click();
		await expect(awa.getByTestId('facilitator-panel').getByRole('status')).toHaveText(
			'Charte verrouillée (version 1).'
		);
		await expect(awa.getByRole('button', { name: 'Déverrouiller la charte' })).toBeVisible();

		for (const page of everyone) {
			const charter = page.getByTestId('charter');
			await expect(charter).toContainText('Version 1');
			await expect(charter).toContainText('Verrouillée par');
			await expect(charter.locator('blockquote')).toHaveText(FINAL);
			const endorsers = charter.getByTestId('charter-endorser');
			await expect(endorsers).toHaveCount(3);
			await expect(endorsers.filter({ hasText: 'Radio rurale de Kayes' })).toBeVisible();
			await expect(endorsers.filter({ hasText: 'Association des mères d’élèves' })).toBeVisible();
			await expect(endorsers.filter({ hasText: 'CARE Mali' })).toContainText(
				`Réserve : ${RESERVATION}`
			);
		}
	});

	await test.step('afterwards nobody can edit the charter; the live board moves on without changing it', async () => {
		for (const page of [...participants, aminata]) {
			const charter = page.getByTestId('charter');
			await expect(
				charter.locator('input, select, textarea, button, [contenteditable]')
			).toHaveCount(0);
			await expect(page.getByRole('button', { name: 'Verrouiller la charte' })).toHaveCount(0);
			await expect(page.getByRole('button', { name: 'Déverrouiller la charte' })).toHaveCount(0);
		}
		// The facilitator rewords the live proposal: the board changes, the locked charter does not.
		const reworded = `${FINAL}, et les y accompagner`;
		// The final proposal, whatever its text while it is being edited.
		const final = awa.getByTestId('proposal').and(awa.locator('.final'));
		await expect(final).toContainText(FINAL);
		await final.getByRole('button', { name: 'Modifier' }).click();
		await final.getByLabel("Formulation de l'objectif").fill(reworded);
		await final.getByRole('button', { name: 'Enregistrer' }).click();
		for (const page of everyone) {
			await expect(page.getByTestId('proposal').filter({ hasText: reworded })).toBeVisible();
			await expect(page.getByTestId('charter').locator('blockquote')).toHaveText(FINAL);
			await expect(page.getByTestId('charter')).toContainText('Version 1');
		}
		// After a reload too: the charter comes from the server, as locked.
		await ibrahim.reload();
		await expect(ibrahim.getByTestId('charter').locator('blockquote')).toHaveText(FINAL);
	});

	await test.step('the observer puts the charter on the projector page: readable from the back of the room', async () => {
		await aminata.setViewportSize({ width: 1920, height: 1080 });
		await aminata.goto(`${path}/projector`);
		const charter = aminata.getByTestId('charter');
		await expect(charter.locator('blockquote')).toHaveText(FINAL);
		await expect(charter).toContainText(`Réserve : ${RESERVATION}`);
		await expectProjectorReadable(aminata);
	});
});
