/**
 * The projector runs the room: for a realistic forum (15 allies, 3 coalitions, 4 proposals, 8
 * tasks), every step fits one 1920×1080 screen without scrolling, with no control to edit and no
 * text under 28 px, nothing cut off at the right, no word split across two lines, the revealed
 * map's labels apart, step 4's tasks and roles all on the one screen; after the lock, the charter is one of the
 * screens the facilitator chooses and steps 3–5 can still be projected.
 */
import { createWorkshop, expect, openAsSameAccount, test } from './fixtures';
import {
	expectAllOnScreen,
	expectNoSplitWords,
	expectProjectorReadable,
	PROJECTOR
} from './projector';
import {
	LAPTOP,
	STEPS,
	bringEveryone as bring,
	expectMapLabelsClear,
	expectNoVerticalScroll,
	pastRightEdge
} from './room';
import { FINAL, seedRealisticForum } from './realistic-board';

test('every step of a realistic forum fits the projector’s screen; the charter is one choice among them', async ({
	app,
	openPerson
}) => {
	test.setTimeout(150_000);
	const awa = await openPerson(LAPTOP);
	const board = await createWorkshop(awa, 'Forum de Kayes');
	const token = (await awa.context().cookies()).find((cookie) => cookie.name === 'session')!.value;
	await seedRealisticForum(app, board.split('/').pop()!, { cookie: `session=${token}` } as never);
	const projector = await openPerson(PROJECTOR);
	await openAsSameAccount(projector, awa, `${board}/projector`);

	for (const [step, title] of STEPS) {
		await bring(awa, board, step);
		await expect(projector.locator('#step-title')).toHaveText(title);
		if (step === 'study') await expect(projector.getByTestId('ally-map-grid')).toBeVisible();
		if (step === 'objective')
			await expect(projector.getByTestId('verdict').first()).toHaveText('Consensus atteint');
		await projector.waitForTimeout(300);
		await projector.screenshot({ path: `test-results/projector-${step}.png` });
		await expectNoVerticalScroll(projector, step);
		await expectProjectorReadable(projector);
		expect(await pastRightEdge(projector), `cut off at the right on ${step}`).toEqual([]);
		await expectNoSplitWords(projector, '[data-testid="projector"]');
		if (step === 'study') {
			await expectMapLabelsClear(projector);
			// The map whole on the first page, down to its interest axis (the legend may page on).
			const map = projector.getByTestId('ally-map-grid');
			await expectAllOnScreen(projector, map.locator('[role="img"], .axis'), 'the map');
		}
		if (step === 'candidates') {
			// Each criterion's name stays clear of its spread (they overlapped at "Réputation/crédibilité").
			const over = await projector.getByTestId(/^result-/).evaluateAll(
				(rows) =>
					rows.filter((row) => {
						const name = row.querySelector('.criterion')!.getBoundingClientRect();
						const spread = row.querySelector('.spread')!.getBoundingClientRect();
						return name.right > spread.left + 0.5 && name.bottom > spread.top + 0.5;
					}).length
			);
			expect(over, 'criteria whose name runs under their spread').toBe(0);
		}
		if (step === 'tasks') {
			// Who does what, whole: every task and every column on the one screen.
			await expect(projector.getByTestId('matrix-task')).toHaveCount(8);
			await expectAllOnScreen(projector, projector.getByTestId('matrix-task'), 'task');
			await expectAllOnScreen(
				projector,
				projector.locator('[data-testid="role-matrix"] th'),
				'heading'
			);
			await expect(projector.getByTestId('projector-page')).toHaveCount(0);
		}
	}

	// The lock puts the charter up; bringing the group to step 4 projects step 4 again.
	await awa.goto(`${board}?step=objective`);
	await awa.getByRole('button', { name: 'Verrouiller la charte' }).click();
	await expect(projector.getByTestId('charter').locator('blockquote')).toHaveText(FINAL);
	await bring(awa, board, 'tasks');
	await expect(projector.locator('#step-title')).toHaveText(STEPS[5][1]);
	await expect(projector.getByTestId('charter')).toHaveCount(0);
	await awa.getByTestId('projector-control').getByRole('button', { name: 'La charte' }).click();
	await expect(projector.getByTestId('charter')).toBeVisible();
	await expectProjectorReadable(projector);
});
