/**
 * What the screens of a room must hold to, measured in the browser: a phone never scrolls
 * sideways and shows the step's action on its first screen; the projector fits its screen; the
 * revealed map's labels stay inside the map and apart from each other.
 */
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

export const PHONE = { viewport: { width: 360, height: 640 } };
export const LAPTOP = { viewport: { width: 1366, height: 768 } };

/** 200 characters without a space: the longest ally name a phone must survive. */
export const UNBROKEN = 'Coordinationdesassociations'.repeat(8).slice(0, 200);

export async function expectNoSideScroll(page: Page, what = ''): Promise<void> {
	const { scrollWidth, innerWidth, culprits } = await page.evaluate(() => ({
		scrollWidth: document.documentElement.scrollWidth,
		innerWidth: window.innerWidth,
		// What sticks out past the right edge (text runs too): what to fix when this fails.
		culprits: (() => {
			const found: string[] = [];
			const walker = document.createTreeWalker(
				document.body,
				NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT
			);
			while (walker.nextNode() && found.length < 5) {
				const node = walker.currentNode;
				const range = document.createRange();
				range.selectNodeContents(node);
				const right =
					node.nodeType === Node.TEXT_NODE
						? range.getBoundingClientRect().right
						: (node as Element).getBoundingClientRect().right;
				if (right <= window.innerWidth + 0.5) continue;
				const element = node.nodeType === Node.TEXT_NODE ? node.parentElement! : (node as Element);
				found.push(`${element.tagName.toLowerCase()}.${element.className} ${Math.round(right)}`);
			}
			return found;
		})()
	}));
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
