/**
 * Option 1 in the room: a facilitator on a laptop, two participants on phones (360×640). Each
 * participant scores a candidate coalition privately; nothing shows until the facilitator reveals
 * the scores; then the medians appear on all three screens, and the decision too.
 */
import type { Locator, Page } from '@playwright/test';
import { admitParticipant, createWorkshop, expect, test } from './fixtures';

const PHONE = { viewport: { width: 360, height: 640 } };
const CANDIDATE = 'Coalition pour l’eau à Kayes';

async function openBoard(page: Page, path: string, name: string): Promise<void> {
	await admitParticipant(page, path, name);
	await page.goto(`${path}?step=candidates`);
	await expect(page.getByTestId('save-status')).toHaveText('Enregistré');
}

function candidate(page: Page): Locator {
	return page
		.getByTestId('candidate-card')
		.filter({ has: page.getByRole('textbox', { name: `Nom de la coalition ${CANDIDATE}` }) });
}

/** Taps one score per criterion, in the method's order, and waits until each shows as chosen. */
async function score(page: Page, scores: number[]): Promise<void> {
	const criteria = [
		'Réputation/crédibilité',
		'Leadership/expertise',
		'Consensus',
		'Fonctionnalité et ressources/complémentarité',
		'Flexibilité'
	];
	const card = candidate(page);
	for (const [index, criterion] of criteria.entries()) {
		const group = card.getByRole('group', { name: `${criterion} — ${CANDIDATE}` });
		await group.getByRole('button', { name: `${scores[index]} sur 5` }).click();
		await expect(group.getByRole('button', { name: `${scores[index]} sur 5` })).toHaveAttribute(
			'aria-pressed',
			'true'
		);
	}
}

function median(page: Page, criterion: string): Locator {
	return candidate(page).getByTestId(`result-${criterion}`).getByTestId('median');
}

test('two participants score privately on phones; the facilitator reveals; the medians appear on every screen', async ({
	openPerson
}) => {
	const oumar = await openPerson();
	const awa = await openPerson(PHONE);
	const moussa = await openPerson(PHONE);
	const board = await createWorkshop(oumar, 'Forum de Kayes');
	await oumar.goto(`${board}?step=candidates`);
	await openBoard(awa, board, 'Awa');
	await openBoard(moussa, board, 'Moussa');

	await oumar.getByLabel('Nom de la coalition', { exact: true }).fill(CANDIDATE);
	await oumar.getByRole('button', { name: 'Ajouter la coalition' }).click();
	for (const page of [oumar, awa, moussa]) await expect(candidate(page)).toBeVisible();
	const progress = candidate(oumar).getByTestId('scoring-progress');
	await expect(progress).toContainText('Ont noté les 5 critères : 0 sur 2');
	await expect(progress).toContainText('Manquent : Awa, Moussa');

	// The method's guiding question is there as help.
	await candidate(awa).getByText('Questions pour guider la note').first().click();
	await expect(
		candidate(awa).getByText(/Les organisations membres composant la coalition/)
	).toBeVisible();

	await score(awa, [4, 2, 1, 3, 5]);
	await expect(progress).toContainText('1 sur 2');
	await expect(progress).toContainText('Manquent : Moussa');
	await score(moussa, [2, 4, 4, 3, 5]);
	await expect(progress).toContainText('2 sur 2');

	// Private: nobody sees another's score, and no screen shows a result before the reveal.
	const awaReputation = candidate(moussa).getByRole('group', {
		name: `Réputation/crédibilité — ${CANDIDATE}`
	});
	await expect(awaReputation.getByRole('button', { name: '4 sur 5' })).toHaveAttribute(
		'aria-pressed',
		'false'
	);
	for (const page of [oumar, awa, moussa]) {
		await expect(candidate(page).getByTestId('candidate-results')).toHaveCount(0);
		await expect(
			candidate(page).getByText("Notes cachées jusqu'à ce que l'animateur les révèle.")
		).toBeVisible();
	}
	// A reload keeps one's own scores (they live on the server, not in the page).
	await awa.reload();
	await expect(
		candidate(awa)
			.getByRole('group', { name: `Réputation/crédibilité — ${CANDIDATE}` })
			.getByRole('button', { name: '4 sur 5' })
	).toHaveAttribute('aria-pressed', 'true');

	await candidate(oumar).getByRole('button', { name: 'Révéler les notes' }).click();
	for (const page of [oumar, awa, moussa]) {
		await expect(median(page, 'reputation')).toHaveText('3');
		await expect(median(page, 'leadership')).toHaveText('3');
		await expect(median(page, 'consensus')).toHaveText('2,5');
		await expect(median(page, 'flexibility')).toHaveText('5');
		// Consensus (1 and 4) is where the two disagree most.
		await expect(candidate(page).getByTestId('result-consensus')).toContainText(
			'Le groupe est le plus partagé sur ce critère'
		);
		await expect(candidate(page).getByTestId('result-consensus')).toContainText('de 1 à 4');
		await expect(candidate(page).getByTestId('result-consensus')).toContainText('2 voix');
	}
	// Aggregates only: no participant's name next to a score anywhere in the results.
	await expect(candidate(awa).getByTestId('candidate-results')).not.toContainText('Moussa');

	await candidate(oumar)
		.getByRole('group', { name: `Décision pour ${CANDIDATE}` })
		.getByRole('button', { name: 'Négocier' })
		.click();
	for (const page of [oumar, awa, moussa]) {
		await expect(candidate(page).getByTestId('candidate-decision')).toHaveText(
			/Décision : Négocier/
		);
	}
	// Participants get no facilitator controls.
	await expect(candidate(awa).getByRole('button', { name: 'Révéler les notes' })).toHaveCount(0);
	await expect(
		candidate(awa).getByRole('group', { name: `Décision pour ${CANDIDATE}` })
	).toHaveCount(0);

	// On the phone, every control of the step is a thumb's size (44×44 px at least).
	const tooSmall = await awa.evaluate(() =>
		[
			...document.querySelectorAll(
				'[data-testid="candidates-step"] :is(input, select, textarea, button, summary)'
			)
		]
			.map((element) => ({ element, box: element.getBoundingClientRect() }))
			.filter(({ box }) => box.width > 0 && (box.width < 44 || box.height < 44))
			.map(({ element, box }) => `${element.outerHTML.slice(0, 60)} ${box.width}×${box.height}`)
	);
	expect(tooSmall).toEqual([]);
	await awa.screenshot({ path: test.info().outputPath('candidates-phone.png'), fullPage: true });
});
