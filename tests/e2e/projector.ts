/** What the projector view must hold to: nothing to edit, and no text under 28 px (read from 5 m). */
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

export const PROJECTOR = { viewport: { width: 1920, height: 1080 } };
export const PROJECTOR_MIN_TEXT_PX = 28;

export async function expectProjectorReadable(page: Page): Promise<void> {
	await expect(page.locator('input, select, textarea, button, [contenteditable]')).toHaveCount(0);
	const small = await page.evaluate((min) => {
		const found: string[] = [];
		const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		while (walker.nextNode()) {
			const node = walker.currentNode;
			const element = node.parentElement;
			if (!element || !node.textContent?.trim() || element.closest('script, style')) continue;
			if (element.getClientRects().length === 0) continue; // not rendered
			const size = parseFloat(getComputedStyle(element).fontSize);
			if (size < min) found.push(`${size}px: ${node.textContent.trim().slice(0, 40)}`);
		}
		return found;
	}, PROJECTOR_MIN_TEXT_PX);
	expect(small, 'text smaller than 28 px on the projector').toEqual([]);
}

/** Words longer than this are not ordinary words (a 200-character name): they may break. */
const LONGEST_WORD = 30;

/**
 * No ordinary word is split across two lines (as `overflow-wrap: anywhere` did in narrow columns:
 * "l’hydrauliqu|e"): each word's range has its boxes on one line. Hyphens and slashes are places a
 * line may end, so they separate words here.
 */
export async function expectNoSplitWords(page: Page, root = 'body'): Promise<void> {
	const split = await page.evaluate(
		({ root, longest }) => {
			const found: string[] = [];
			const scope = document.querySelector(root);
			if (!scope) return ['no ' + root];
			const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
			const range = document.createRange();
			while (walker.nextNode()) {
				const node = walker.currentNode as Text;
				const element = node.parentElement;
				if (!element || element.closest('script, style, .visually-hidden, option')) continue;
				if (element.getClientRects().length === 0) continue;
				for (const match of node.data.matchAll(/[^\s\-‐/]+/g)) {
					if (match[0].length < 2 || match[0].length > longest) continue;
					range.setStart(node, match.index);
					range.setEnd(node, match.index + match[0].length);
					const lines = new Set(
						[...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))
					);
					if (lines.size > 1) found.push(match[0]);
				}
			}
			return found;
		},
		{ root, longest: LONGEST_WORD }
	);
	expect(split, 'words split across lines').toEqual([]);
}

/** Every element `target` matches lies inside the screen: nothing cut off at the right or bottom. */
export async function expectAllOnScreen(page: Page, target: Locator, what: string): Promise<void> {
	const viewport = page.viewportSize()!;
	const boxes = await target.evaluateAll((elements) =>
		elements.map((element) => {
			const box = element.getBoundingClientRect();
			return { left: box.left, top: box.top, right: box.right, bottom: box.bottom };
		})
	);
	expect(boxes.length, `${what} shown`).toBeGreaterThan(0);
	for (const [index, box] of boxes.entries()) {
		expect(box.left, `${what} ${index + 1} left`).toBeGreaterThanOrEqual(0);
		expect(box.top, `${what} ${index + 1} top`).toBeGreaterThanOrEqual(0);
		expect(box.right, `${what} ${index + 1} right`).toBeLessThanOrEqual(viewport.width);
		expect(box.bottom, `${what} ${index + 1} bottom`).toBeLessThanOrEqual(viewport.height);
	}
}
