/** The address phones get: PUBLIC_URL, the browser's own address, or a LAN address for localhost. */
import { describe, expect, it } from 'vitest';
import {
	isLoopbackHost,
	lanAddresses,
	phoneAddress,
	shortAddress
} from '../../src/lib/server/phone-address';

const entry = (address: string, family: 'IPv4' | 'IPv6', internal = false) => ({
	address,
	family,
	internal,
	netmask: '',
	mac: '00:00:00:00:00:00',
	cidr: null
});

describe('lanAddresses', () => {
	it('lists non-internal IPv4 addresses only', () => {
		const interfaces = {
			lo: [entry('127.0.0.1', 'IPv4', true), entry('::1', 'IPv6', true)],
			wlan0: [entry('192.168.1.20', 'IPv4'), entry('fe80::1', 'IPv6')],
			eth0: [entry('10.0.0.5', 'IPv4')]
		};
		// @ts-expect-error scope_id-less IPv6 entries are fine for this function
		expect(lanAddresses(interfaces)).toEqual(['192.168.1.20', '10.0.0.5']);
	});
});

describe('phoneAddress', () => {
	it('uses PUBLIC_URL when set, whatever the browser used', () => {
		expect(
			phoneAddress({
				publicUrl: 'https://forum.example.org/',
				origin: 'http://localhost:3000',
				lan: ['192.168.1.20']
			})
		).toEqual({
			base: 'https://forum.example.org',
			loopback: false,
			replacedLoopback: false,
			others: []
		});
	});

	it('offers the LAN address on the same port when the browser used localhost', () => {
		expect(
			phoneAddress({
				publicUrl: null,
				origin: 'http://localhost:3000',
				lan: ['192.168.1.20', '10.0.0.5']
			})
		).toEqual({
			base: 'http://192.168.1.20:3000',
			loopback: false,
			replacedLoopback: true,
			others: ['http://10.0.0.5:3000']
		});
	});

	it('keeps the address the browser used when it is already a LAN one', () => {
		const address = phoneAddress({
			publicUrl: null,
			origin: 'http://10.0.0.5:3000',
			lan: ['192.168.1.20']
		});
		expect(address.base).toBe('http://10.0.0.5:3000');
		expect(address.replacedLoopback).toBe(false);
	});

	it('says so when no phone can open the address: loopback and no network', () => {
		expect(
			phoneAddress({ publicUrl: null, origin: 'http://127.0.0.1:3000', lan: [] }).loopback
		).toBe(true);
		expect(
			phoneAddress({ publicUrl: 'http://localhost:3000', origin: 'http://10.0.0.5:3000', lan: [] })
				.loopback
		).toBe(true);
	});
});

describe('isLoopbackHost and shortAddress', () => {
	it('knows the loopback names', () => {
		for (const host of ['localhost', 'app.localhost', '127.0.0.1', '127.1.2.3', '[::1]'])
			expect(isLoopbackHost(host)).toBe(true);
		for (const host of ['192.168.1.20', 'forum.example.org', '10.0.0.1'])
			expect(isLoopbackHost(host)).toBe(false);
	});

	it('drops the scheme', () => {
		expect(shortAddress('http://192.168.1.20:3000/join')).toBe('192.168.1.20:3000/join');
	});
});
