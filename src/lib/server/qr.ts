/**
 * The invite link's QR code, drawn here as SVG (no external service, no JavaScript shipped to the
 * page): one path, a horizontal run of dark modules per segment, a 4-module quiet zone.
 */
import { encode } from 'uqr';

/** Error correction M: still scans from a projector with some glare, at a modest size. */
export function renderQrSvg(text: string, label: string): string {
	const { data, size } = encode(text, { ecc: 'M', border: 4 });
	let path = '';
	for (let y = 0; y < size; y++) {
		let x = 0;
		while (x < size) {
			if (!data[y][x]) {
				x += 1;
				continue;
			}
			const start = x;
			while (x < size && data[y][x]) x += 1;
			path += `M${start} ${y}h${x - start}v1h${start - x}z`;
		}
	}
	return (
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" role="img" aria-label="${escapeAttribute(label)}" shape-rendering="crispEdges">` +
		`<rect width="${size}" height="${size}" fill="#fff"/><path fill="#000" d="${path}"/></svg>`
	);
}

function escapeAttribute(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
