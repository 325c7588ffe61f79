// Every benchmark edit sets a new map key to the string `~e<id>~`; Yjs keeps that string intact in the
// update bytes, so receivers find which edits a message carries without building a Y.Doc.
const TILDE = 0x7e;

/** Calls `found(id)` for every `~e<digits>~` marker in `bytes` (a Buffer or Uint8Array). */
export function scanMarkers(bytes, found) {
	const buffer = Buffer.isBuffer(bytes)
		? bytes
		: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let at = buffer.indexOf('~e');
	while (at !== -1) {
		let i = at + 2;
		let id = 0;
		let digits = 0;
		while (i < buffer.length && buffer[i] >= 0x30 && buffer[i] <= 0x39) {
			id = id * 10 + (buffer[i] - 0x30);
			i += 1;
			digits += 1;
		}
		if (digits > 0 && buffer[i] === TILDE) {
			found(id);
			at = buffer.indexOf('~e', i + 1);
		} else {
			at = buffer.indexOf('~e', at + 1);
		}
	}
}

export const markerFor = (id) => `~e${id}~`;
