/**
 * What `npm start` tells a person at the terminal, once the server listens: where the app is on
 * this computer, the address phones use (like Vite's "Network:" line), and where the data is.
 */
import path from 'node:path';
import { isLoopbackHost } from '../src/lib/server/phone-address';

export function formatBanner(options: {
	host: string;
	port: number;
	dataDir: string;
	/** PostgreSQL in use, described without its password (server/storage/open.ts); absent: SQLite. */
	database?: string;
	publicUrl: string | null;
	lan: string[];
}): string {
	const { host, port, publicUrl } = options;
	const everywhere = host === '0.0.0.0' || host === '::';
	const local = `http://${everywhere ? 'localhost' : host.includes(':') ? `[${host}]` : host}:${port}`;
	const lines = ['', '  Coalition Board is ready.', '', `  This computer:  ${local}`];
	if (publicUrl) {
		lines.push(`  Phones:         ${publicUrl.replace(/\/$/, '')}   (PUBLIC_URL)`);
	} else if (everywhere && options.lan.length > 0) {
		const [first, ...others] = options.lan.map((address) => `http://${address}:${port}`);
		lines.push(`  Phones:         ${first}   (on the same Wi-Fi; PUBLIC_URL sets another)`);
		for (const other of others) lines.push(`                  ${other}`);
	} else if (!everywhere && !isLoopbackHost(host)) {
		lines.push(`  Phones:         ${local}`);
	} else {
		lines.push(
			'  Phones:         none — this computer is on no network (or HOST is loopback): no phone can join.'
		);
	}
	lines.push(
		`  Data:           ${options.database ?? path.join(options.dataDir, 'coalition-board.sqlite')}`,
		''
	);
	return lines.join('\n');
}
