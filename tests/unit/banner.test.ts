/** What `npm start` prints once listening: this computer's address, the phones', the data. */
import { describe, expect, it } from 'vitest';
import { formatBanner } from '../../server/banner';

const base = { host: '0.0.0.0', port: 3000, dataDir: '/srv/coalition/data', publicUrl: null };

describe('formatBanner', () => {
	it('offers the LAN addresses for phones, like Vite’s Network line', () => {
		const text = formatBanner({ ...base, lan: ['192.168.1.20', '10.0.0.5'] });
		expect(text).toContain('This computer:  http://localhost:3000');
		expect(text).toContain('Phones:         http://192.168.1.20:3000');
		expect(text).toContain('                  http://10.0.0.5:3000');
		expect(text).toContain('Data:           /srv/coalition/data/coalition-board.sqlite');
		expect(text.split('\n').length).toBeLessThan(10);
	});

	it('names PUBLIC_URL when it is set', () => {
		const text = formatBanner({
			...base,
			publicUrl: 'https://forum.example.org/',
			lan: ['192.168.1.20']
		});
		expect(text).toContain('Phones:         https://forum.example.org   (PUBLIC_URL)');
		expect(text).not.toContain('192.168.1.20');
	});

	it('says no phone can join on a machine without a network, or listening on loopback', () => {
		expect(formatBanner({ ...base, lan: [] })).toContain('no phone can join');
		expect(formatBanner({ ...base, host: '127.0.0.1', lan: ['192.168.1.20'] })).toContain(
			'no phone can join'
		);
	});
});
