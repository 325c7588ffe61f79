/** What the projector view must hold to: nothing to edit, and no text under 28 px (read from 5 m). */
import type { Page } from '@playwright/test';
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
