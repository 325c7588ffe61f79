/** The revealed map's label layout: inside the plane, and no label over another or over a dot. */
import { describe, expect, it } from 'vitest';
import { overlaps, placeLabels, type Point } from '../../src/lib/components/map-labels';

const PLANE = { width: 280, height: 280 };
const SIZE = 27;
const RADIUS = 9;

function expectClear(dots: Point[], spots: Point[]): void {
	const rects = spots.map((spot) => ({ ...spot, width: SIZE, height: SIZE }));
	for (const rect of rects) {
		expect(rect.x).toBeGreaterThanOrEqual(0);
		expect(rect.y).toBeGreaterThanOrEqual(0);
		expect(rect.x + SIZE).toBeLessThanOrEqual(PLANE.width);
		expect(rect.y + SIZE).toBeLessThanOrEqual(PLANE.height);
	}
	for (let i = 0; i < rects.length; i++) {
		for (let j = i + 1; j < rects.length; j++) expect(overlaps(rects[i], rects[j])).toBe(false);
		for (const dot of dots) {
			const disc = { x: dot.x - RADIUS, y: dot.y - RADIUS, width: RADIUS * 2, height: RADIUS * 2 };
			expect(overlaps(rects[i], disc)).toBe(false);
		}
	}
}

describe('placeLabels', () => {
	it('puts a lone label right of its dot', () => {
		const [spot] = placeLabels([{ x: 100, y: 100 }], PLANE, SIZE, RADIUS);
		expect(spot.x).toBeGreaterThan(100);
		expect(Math.abs(spot.y + SIZE / 2 - 100)).toBeLessThan(1);
	});

	it('keeps labels of allies in a corner inside the plane', () => {
		const dots = [
			{ x: 280, y: 0 },
			{ x: 0, y: 280 },
			{ x: 280, y: 280 },
			{ x: 0, y: 0 }
		];
		expectClear(dots, placeLabels(dots, PLANE, SIZE, RADIUS));
	});

	it('separates fifteen allies, five of them at the same position', () => {
		const dots: Point[] = [];
		for (let i = 0; i < 5; i++) dots.push({ x: 140, y: 140 });
		for (let i = 0; i < 10; i++) dots.push({ x: 20 + (i % 5) * 60, y: i < 5 ? 40 : 240 });
		const spots = placeLabels(dots, PLANE, SIZE, RADIUS);
		const rects = spots.map((spot) => ({ ...spot, width: SIZE, height: SIZE }));
		for (let i = 0; i < rects.length; i++) {
			for (let j = i + 1; j < rects.length; j++) expect(overlaps(rects[i], rects[j])).toBe(false);
		}
	});
});
