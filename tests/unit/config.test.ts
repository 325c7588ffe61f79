import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../server/config';

describe('configuration', () => {
	it('has working defaults', () => {
		const config = loadConfig({});
		expect(config.port).toBe(3000);
		expect(config.dataDir).toBe(path.resolve('./data'));
		expect(config.limits.maxMessageBytes).toBe(1024 * 1024);
		expect(config.limits.messagesPerSecond).toBe(200);
		expect(config.limits.maxDocumentBytes).toBe(50 * 1024 * 1024);
		expect(config.origins).toEqual([]);
		expect(config.signup).toBe('open');
		expect(config.sessionMaxDays).toBe(90);
		expect(config.database).toBeNull();
		expect(config.redisUrl).toBeNull();
	});

	it('takes PostgreSQL and Redis for a deployment of several instances', () => {
		const config = loadConfig({
			DATABASE_URL: 'postgres://coalition@db/coalition',
			DATABASE_SCHEMA: 'kayes',
			REDIS_URL: 'rediss://cache:6380'
		});
		expect(config.database).toEqual({ url: 'postgres://coalition@db/coalition', schema: 'kayes' });
		expect(config.redisUrl).toBe('rediss://cache:6380');
	});

	it.each([
		['PORT', 'abc'],
		['PORT', '70000'],
		['MAX_MESSAGE_BYTES', '-1'],
		['COMPACT_ROWS', '1.5'],
		['LOG_LEVEL', 'loud'],
		['PUBLIC_URL', 'ftp://x'],
		['ORIGIN', 'not a url'],
		['SIGNUP', 'maybe'],
		['SESSION_MAX_DAYS', '0'],
		['DATABASE_URL', 'mysql://db/x'],
		['DATABASE_SCHEMA', 'Coalition; DROP'],
		['REDIS_URL', 'http://127.0.0.1:6379'],
		['REDIS_URL', 'not a url']
	])('refuses %s=%s with an error naming the variable', (name, value) => {
		expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
		expect(() => loadConfig({ [name]: value })).toThrow(name);
	});

	it('derives the allowed origin from PUBLIC_URL when ORIGIN is unset', () => {
		expect(loadConfig({ PUBLIC_URL: 'https://forum.example.org/' }).origins).toEqual([
			'https://forum.example.org'
		]);
		expect(loadConfig({ ORIGIN: 'http://a.example, http://b.example:8080' }).origins).toEqual([
			'http://a.example',
			'http://b.example:8080'
		]);
	});
});
