import { describe, expect, it } from 'vitest';
import { renderQrSvg } from '../../src/lib/server/qr';
import { decodeQrSvg } from '../fixtures/qr';

describe('the invite QR code', () => {
	it('decodes to exactly the invite URL, short or long', () => {
		for (const url of [
			'http://192.168.1.10:3000/join/abcdefghijklmnopqrstuvwxyz234567',
			'https://forum-des-organisations.kayes.example.org/coalition-board/join/abcdefghijklmnopqrstuvwxyz234567'
		]) {
			expect(decodeQrSvg(renderQrSvg(url, 'QR'))).toBe(url);
		}
	});

	it('is one self-contained SVG with a quiet zone, a label and no script or external reference', () => {
		const svg = renderQrSvg('http://localhost/join/x', 'Code QR du lien "d’invitation"');
		expect(svg).toMatch(
			/^<svg [^>]*role="img" aria-label="Code QR du lien &quot;d’invitation&quot;"/
		);
		expect(svg).not.toMatch(/<script|href=|url\(/i);
		// 4 blank modules on every side: no run starts in the first or last 4 rows or columns.
		const size = Number(/viewBox="0 0 (\d+)/.exec(svg)![1]);
		for (const [, x, y, width] of svg.matchAll(/M(\d+) (\d+)h(\d+)/g)) {
			expect(Number(x)).toBeGreaterThanOrEqual(4);
			expect(Number(y)).toBeGreaterThanOrEqual(4);
			expect(Number(x) + Number(width)).toBeLessThanOrEqual(size - 4);
			expect(Number(y)).toBeLessThan(size - 4);
		}
	});
});
