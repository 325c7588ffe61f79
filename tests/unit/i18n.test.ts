import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

function readJson(file: string): Record<string, unknown> {
	return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

describe('translations', () => {
	it('gives French and English exactly the same message keys', () => {
		const fr = Object.keys(readJson('messages/fr.json')).filter((key) => key !== '$schema');
		const en = Object.keys(readJson('messages/en.json')).filter((key) => key !== '$schema');
		expect(en.sort()).toEqual(fr.sort());
		expect(fr.length).toBeGreaterThan(0);
	});

	it('loads the inlang plugins from disk, never from a URL (the venue may be offline)', () => {
		const settings = fs.readFileSync('project.inlang/settings.json', 'utf8');
		expect(settings).not.toMatch(/https?:\/\//i);
		const { modules } = JSON.parse(settings) as { modules: string[] };
		expect(modules.length).toBeGreaterThan(0);
		for (const module of modules) {
			expect(module).toMatch(/^\.\/node_modules\//);
			expect(fs.existsSync(module)).toBe(true);
		}
	});
});
