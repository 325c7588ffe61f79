/**
 * What the screens of a room must hold to, measured in the browser: a phone never scrolls
 * sideways and shows the step's action on its first screen; the projector fits its screen; the
 * revealed map's labels stay inside the map and apart from each other.
 */
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

export const PHONE = { viewport: { width: 360, height: 640 } };
export const LAPTOP = { viewport: { width: 1366, height: 768 } };

/** Every step of both options, in the path's order, with its title. */
export const STEPS = [
	['candidates', 'Option 1 : Rejoindre une coalition déjà existante'],
	['identify', 'Étape 1 : Identifier les alliés'],
	['study', 'Étape 2 : Étudier les alliés pour mieux les connaître'],
	['objective', "L'objectif commun"],
	['mobilise', "Étape 3 : Intéresser les alliés à l'objectif"],
	['tasks', 'Étape 4 : Définir les responsabilités et rôles de chaque allié — qui fera quoi ?'],
	['maintain', 'Étape 5 : Gérer et entretenir les alliances']
] as const;

/** The facilitator opens `step` on their laptop and brings everyone there. */
export async function bringEveryone(laptop: Page, board: string, step: string): Promise<void> {
	await laptop.goto(`${board}?step=${step}`);
	await laptop.getByRole('button', { name: 'Amener tout le monde à cette étape' }).click();
	await expect(
		laptop.getByRole('button', { name: 'Amener tout le monde à cette étape' })
	).toHaveCount(0);
}

/** Each step's primary action on a participant's board: what their first screen must show. */
export const STEP_ACTIONS: Record<string, (page: Page) => Locator> = {
	candidates: (page) =>
		page.getByTestId('candidate-scoring').first().getByRole('button', { name: '1 sur 5' }).first(),
	identify: (page) => page.getByRole('button', { name: "Ajouter l'allié" }),
	study: (page) =>
		page.getByTestId('map-placement').first().getByRole('button', { name: '1 sur 5' }).first(),
	objective: (page) => page.getByRole('button', { name: 'Proposer', exact: true }),
	mobilise: (page) => page.getByTestId('pipeline-card').first().getByRole('button').first(),
	tasks: (page) => page.getByRole('button', { name: 'Ajouter la tâche' }),
	maintain: (page) => page.getByRole('button', { name: 'Ajouter le principe' })
};

/** 200 characters without a space: the longest ally name a phone must survive. */
export const UNBROKEN = 'Coordinationdesassociations'.repeat(8).slice(0, 200);

/**
 * What sticks out past the right edge of the screen, deepest first (the text run or box that
 * pushes, not every ancestor it widened): what to fix when a page is too wide.
 */
export async function pastRightEdge(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const out = new Set<Element>();
		const walker = document.createTreeWalker(
			document.body,
			NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT
		);
		const range = document.createRange();
		while (walker.nextNode()) {
			const node = walker.currentNode;
			range.selectNodeContents(node);
			const box =
				node.nodeType === Node.TEXT_NODE
					? range.getBoundingClientRect()
					: (node as Element).getBoundingClientRect();
			if (box.width === 0 || box.right <= window.innerWidth + 0.5) continue;
			out.add(node.nodeType === Node.TEXT_NODE ? node.parentElement! : (node as Element));
		}
		const deepest = [...out].filter(
			(element) => ![...out].some((other) => other !== element && element.contains(other))
		);
		return deepest.slice(0, 5).map((element) => {
			const right = Math.round(element.getBoundingClientRect().right);
			const text = (element.textContent ?? '').trim().slice(0, 30);
			return `${element.tagName.toLowerCase()}.${element.className} ${right} «${text}»`;
		});
	});
}

export async function expectNoSideScroll(page: Page, what = ''): Promise<void> {
	const { scrollWidth, innerWidth } = await page.evaluate(() => ({
		scrollWidth: document.documentElement.scrollWidth,
		innerWidth: window.innerWidth
	}));
	if (scrollWidth <= innerWidth) return;
	const culprits = await pastRightEdge(page);
	expect(scrollWidth, `page width ${what}: ${culprits.join('; ')}`).toBeLessThanOrEqual(innerWidth);
}

export async function expectNoVerticalScroll(page: Page, what = ''): Promise<void> {
	const { scrollHeight, innerHeight } = await page.evaluate(() => ({
		scrollHeight: document.documentElement.scrollHeight,
		innerHeight: window.innerHeight
	}));
	expect(scrollHeight, `page height ${what}`).toBeLessThanOrEqual(innerHeight);
}

/** Entirely inside the first screen, without scrolling (and above a phone's bottom bar). */
export async function expectInFirstViewport(page: Page, target: Locator, what = ''): Promise<void> {
	await page.evaluate(() => window.scrollTo(0, 0));
	const box = await target.boundingBox();
	expect(box, `${what} rendered`).not.toBeNull();
	const viewport = page.viewportSize()!;
	const bar = await page.locator('.path-bar').boundingBox();
	const bottom = bar && bar.height > 0 ? bar.y : viewport.height;
	expect(box!.y, `${what} top`).toBeGreaterThanOrEqual(0);
	expect(box!.y + box!.height, `${what} bottom`).toBeLessThanOrEqual(bottom);
	expect(box!.x + box!.width, `${what} right`).toBeLessThanOrEqual(viewport.width);
}

type Box = { x: number; y: number; width: number; height: number };

function overlap(a: Box, b: Box): boolean {
	return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The revealed map's labels: inside the grid's figure, none over another. */
export async function expectMapLabelsClear(page: Page): Promise<void> {
	const grid = page.getByTestId('ally-map-grid');
	const area = (await grid.boundingBox())!;
	const labels: Box[] = [];
	for (const label of await grid.locator('.dot-name').all())
		labels.push((await label.boundingBox())!);
	expect(labels.length).toBeGreaterThan(0);
	for (const box of labels) {
		expect(box.x, 'label left').toBeGreaterThanOrEqual(area.x - 0.5);
		expect(box.x + box.width, 'label right').toBeLessThanOrEqual(area.x + area.width + 0.5);
	}
	for (let i = 0; i < labels.length; i++) {
		for (let j = i + 1; j < labels.length; j++) {
			expect(overlap(labels[i], labels[j]), `labels ${i} and ${j} overlap`).toBe(false);
		}
	}
}
