/**
 * Where the revealed map's labels go: each one beside its ally's dot, inside the plane, and never
 * over another label or dot. Greedy: allies in order, each takes the first free spot on rings of
 * growing distance around its dot (right first, then around). Pixels, origin top-left.
 */

export interface Point {
	x: number;
	y: number;
}

interface Rect extends Point {
	width: number;
	height: number;
}

const DIRECTIONS: Point[] = [
	{ x: 1, y: 0 },
	{ x: 1, y: -1 },
	{ x: 0, y: -1 },
	{ x: -1, y: -1 },
	{ x: -1, y: 0 },
	{ x: -1, y: 1 },
	{ x: 0, y: 1 },
	{ x: 1, y: 1 }
];
const RINGS = 8;

/**
 * Top-left corners for square labels of side `size` next to `dots` (centres, radius `dotRadius`)
 * in a `width` × `height` plane. A label that finds no free spot (a crowded plane) takes its
 * nearest spot inside the plane.
 */
export function placeLabels(
	dots: Point[],
	plane: { width: number; height: number },
	size: number,
	dotRadius: number
): Point[] {
	const obstacles: Rect[] = dots.map((dot) => ({
		x: dot.x - dotRadius,
		y: dot.y - dotRadius,
		width: dotRadius * 2,
		height: dotRadius * 2
	}));
	const placed: Rect[] = [];
	return dots.map((dot) => {
		const spot = freeSpot(dot, plane, size, dotRadius, [...obstacles, ...placed]);
		placed.push({ ...spot, width: size, height: size });
		return spot;
	});
}

function freeSpot(
	dot: Point,
	plane: { width: number; height: number },
	size: number,
	dotRadius: number,
	taken: Rect[]
): Point {
	let first: Point | null = null;
	for (let ring = 0; ring < RINGS; ring++) {
		const distance = dotRadius + size / 2 + 2 + ring * (size * 0.6);
		for (const direction of DIRECTIONS) {
			const spot = clamp(
				{
					x: dot.x + direction.x * distance - size / 2,
					y: dot.y + direction.y * distance - size / 2
				},
				plane,
				size
			);
			first ??= spot;
			const rect = { ...spot, width: size, height: size };
			if (!taken.some((other) => overlaps(rect, other))) return spot;
		}
	}
	return first!;
}

function clamp(spot: Point, plane: { width: number; height: number }, size: number): Point {
	return {
		x: Math.min(Math.max(spot.x, 0), Math.max(plane.width - size, 0)),
		y: Math.min(Math.max(spot.y, 0), Math.max(plane.height - size, 0))
	};
}

export function overlaps(a: Rect, b: Rect): boolean {
	return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
