/**
 * A whole forum with the six screens of the room at once: the facilitator's laptop (1366×768),
 * three participants' phones from three organisations and an observer's phone (360×640), and the
 * projector (1920×1080). Both options and every step, on a realistic board (15 allies with long
 * real names, 3 coalitions scored, the map revealed, a final wording agreed, 8 tasks) plus a
 * 200-character ally name without a space; then the lock and the archive.
 *
 * At every step: no phone scrolls sideways, each participant's step action is on their first
 * screen, and the projector shows the step on its one screen (nothing below or past the right,
 * no word split, map labels apart). The charter's contents are the charter's own tests' business:
 * here only that it is locked with the objective's wording.
 */
import type { Page } from '@playwright/test';
import { seedMember } from '../fixtures/members';
import { admitParticipant, createWorkshop, expect, openAsSameAccount, test } from './fixtures';
import { expectNoSplitWords, expectProjectorReadable, PROJECTOR } from './projector';
import { FINAL, seedRealisticForum } from './realistic-board';
import {
	LAPTOP,
	PHONE,
	STEPS,
	STEP_ACTIONS,
	UNBROKEN,
	bringEveryone,
	expectInFirstViewport,
	expectMapLabelsClear,
	expectNoSideScroll,
	expectNoVerticalScroll,
	pastRightEdge
} from './room';

const PEOPLE = [
	{
		name: 'Aïssata Maïmouna Coulibaly-Diarrassouba épouse Traoré',
		organisation: 'Association des femmes transformatrices de produits agricoles de Kayes'
	},
	{ name: 'Moussa Diarra', organisation: 'Radio rurale de Kayes' },
	{ name: 'Fatou Keïta', organisation: 'CARE Mali' }
];

/** What each participant does at a step, from their phone, before the screens are checked. */
const DOING: Partial<Record<string, (phone: Page) => Promise<void>>> = {
	identify: async (phone) => {
		await phone.getByLabel("Nom de l'allié", { exact: true }).fill(UNBROKEN);
		await phone.getByRole('button', { name: "Ajouter l'allié" }).click();
		await expect(phone.getByTestId('ally-card')).toHaveCount(16);
	},
	objective: async (phone) => {
		const wording = 'Des classes passerelles pour les filles qui ont quitté l’école';
		await phone.getByLabel("Formulation de l'objectif").fill(wording);
		await phone.getByRole('button', { name: 'Proposer', exact: true }).click();
		await expect(phone.getByTestId('proposal').filter({ hasText: wording })).toBeVisible();
	},
	tasks: async (phone) => {
		await phone
			.getByLabel('Nouvelle tâche', { exact: true })
			.fill('Visiter les écoles de Légal Ségou');
		await phone.getByRole('button', { name: 'Ajouter la tâche' }).click();
		await expect(phone.getByTestId('task-card')).toHaveCount(9);
	},
	maintain: async (phone) => {
		await phone
			.getByLabel('Nouveau principe', { exact: true })
			.fill('Rendre compte à chaque réunion');
		await phone.getByRole('button', { name: 'Ajouter le principe' }).click();
		await expect(phone.getByTestId('principle')).toHaveCount(4);
	}
};

/** The steps whose six screens are kept as screenshots (test-results/whole-forum/). */
const SHOT_AT: string[] = ['candidates', 'study', 'objective', 'tasks'];

async function shoot(screens: Record<string, Page>, moment: string): Promise<void> {
	for (const [who, page] of Object.entries(screens)) {
		await page.evaluate(() => window.scrollTo(0, 0));
		await page.screenshot({ path: `test-results/whole-forum/${moment}-${who}.png` });
	}
}

/** The projector shows the step on its one screen, readable, nothing cut off or split. */
async function expectProjectorFits(projector: Page, step: string): Promise<void> {
	await expectNoVerticalScroll(projector, `projector, ${step}`);
	expect(await pastRightEdge(projector), `projector cut off at the right, ${step}`).toEqual([]);
	await expectProjectorReadable(projector);
	await expectNoSplitWords(projector, '[data-testid="projector"]');
	if (step === 'study') await expectMapLabelsClear(projector);
}

test('a whole forum on six screens: both options, every step, the lock and the archive', async ({
	app,
	openPerson
}) => {
	test.setTimeout(180_000);
	const laptop = await openPerson(LAPTOP);
	const board = await createWorkshop(
		laptop,
		'Forum des organisations de la société civile de Kayes'
	);
	const workshopId = board.split('/').pop()!;
	const token = (await laptop.context().cookies()).find((cookie) => cookie.name === 'session')!;
	await seedRealisticForum(app, workshopId, { cookie: `session=${token.value}` } as never);

	const phones: Page[] = [];
	for (const person of PEOPLE) {
		const phone = await openPerson(PHONE);
		await admitParticipant(phone, board, person.name, person.organisation);
		await phone.goto(board);
		phones.push(phone);
	}
	const observer = await openPerson(PHONE);
	const seen = await seedMember(app.dataDir, workshopId, {
		role: 'observer',
		name: 'Aminata Sow',
		organisation: 'Oxfam'
	});
	await observer
		.context()
		.addCookies([{ name: 'session', value: seen.token, url: app.url, httpOnly: true }]);
	await observer.goto(board);
	const projector = await openPerson(PROJECTOR);
	await openAsSameAccount(projector, laptop, `${board}/projector`);
	const everyPhone = [...phones, observer];
	const screens = {
		laptop,
		phone1: phones[0],
		phone2: phones[1],
		phone3: phones[2],
		observer,
		projector
	};

	await test.step('the room joins from the projector’s join screen', async () => {
		await laptop.getByRole('button', { name: 'L’écran pour rejoindre' }).click();
		await expect(projector.getByTestId('join-screen')).toBeVisible();
		await expectNoVerticalScroll(projector, 'join screen');
		// The long title of the forum takes one line, not the step's room.
		const lines = await projector
			.getByRole('heading', { level: 1 })
			.evaluate(
				(h1) => (h1 as HTMLElement).offsetHeight / parseFloat(getComputedStyle(h1).lineHeight)
			);
		expect(lines, 'lines of the title on the projector').toBeLessThan(1.5);
		await shoot({ projector }, 'join');
	});

	for (const [index, [step, title]] of STEPS.entries()) {
		await test.step(`${title}: every screen holds`, async () => {
			await bringEveryone(laptop, board, step);
			for (const page of [...everyPhone, projector])
				await expect(page.locator('#step-title')).toHaveText(title);
			const doing = DOING[step];
			// One participant acts at each step, from another phone each time.
			if (doing) await doing(phones[index % phones.length]);
			await projector.waitForTimeout(300); // the pager's transition
			if (SHOT_AT.includes(step)) await shoot(screens, step);

			for (const phone of everyPhone) {
				await phone.evaluate(() => window.scrollTo(0, 0));
				await expectNoSideScroll(phone, step);
				await expectNoSplitWords(phone, 'main');
				if (step === 'study') await expectMapLabelsClear(phone);
			}
			for (const phone of phones) {
				// Once the map is revealed, the group's map is what step 2 shows first, placing after.
				if (step === 'study') {
					const map = (await phone.getByTestId('ally-map-grid').boundingBox())!;
					expect(map.y + 200, 'the revealed map starts on the first screen').toBeLessThan(
						(await phone.locator('.path-bar').boundingBox())!.y
					);
					continue;
				}
				const action = STEP_ACTIONS[step](phone);
				await expect(action).toBeVisible();
				await expectInFirstViewport(phone, action, `the action of ${step}`);
			}
			// The observer reads the step: it starts on their first screen.
			await expectInFirstViewport(observer, observer.locator('#step-title'), 'observer title');
			await expectNoSideScroll(laptop, `laptop, ${step}`);
			await expectInFirstViewport(laptop, laptop.locator('#step-title'), 'laptop title');
			await expectProjectorFits(projector, step);
		});
	}

	await test.step('the facilitator locks the charter: the projector shows the agreed wording', async () => {
		await laptop.goto(`${board}?step=objective`);
		await laptop.getByRole('button', { name: 'Verrouiller la charte' }).click();
		await expect(laptop.getByRole('button', { name: 'Déverrouiller la charte' })).toBeVisible();
		await expect(projector.getByTestId('charter').locator('blockquote')).toHaveText(FINAL);
		for (const phone of everyPhone) {
			await expect(phone.getByTestId('charter').locator('blockquote')).toHaveText(FINAL);
			await expectNoSideScroll(phone, 'with the charter');
		}
		// The group goes on after the lock: step 4 is projected again.
		await bringEveryone(laptop, board, 'tasks');
		await expect(projector.locator('#step-title')).toHaveText(STEPS[5][1]);
		await expectProjectorFits(projector, 'tasks');
	});

	await test.step('the facilitator archives the forum: every phone turns read-only', async () => {
		await laptop.getByRole('button', { name: "Archiver l'atelier" }).click();
		await laptop.getByRole('button', { name: "Confirmer l'archivage" }).click();
		for (const phone of everyPhone) {
			await expect(phone.getByRole('alert')).toContainText(
				'Ce tableau est archivé : il est en lecture seule.'
			);
			await expectNoSideScroll(phone, 'archived');
		}
		for (const phone of phones)
			await expect(phone.getByRole('button', { name: 'Ajouter la tâche' })).toBeDisabled();
		await expectProjectorFits(projector, 'archived');
		await shoot(screens, 'archived');
	});
});
