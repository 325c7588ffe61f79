/**
 * Imports go one way: the process shell (`server/`) imports the core (`src/`), never the reverse,
 * and the browser's code never reaches the server core. Every import of every source file is
 * resolved to a path and checked, so a new file can't quietly turn the arrow around.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SRC = path.join(ROOT, 'src');
const SHELL = path.join(ROOT, 'server');

function sourceFiles(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'paraglide' ? [] : sourceFiles(full);
		return /\.(ts|js|svelte)$/.test(entry.name) ? [full] : [];
	});
}

/** Every module specifier a file imports (static, dynamic and `export … from`). */
function specifiers(file: string): string[] {
	const text = fs.readFileSync(file, 'utf8');
	const found = new Set<string>();
	for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g))
		found.add(match[1]);
	return [...found];
}

/** Where a specifier points, for relative and `$lib` ones; null for packages. */
function target(file: string, specifier: string): string | null {
	if (specifier.startsWith('$lib/')) return path.join(SRC, 'lib', specifier.slice(5));
	if (specifier.startsWith('.')) return path.resolve(path.dirname(file), specifier);
	return null;
}

function inside(file: string, dir: string): boolean {
	return file === dir || file.startsWith(dir + path.sep);
}

const files = sourceFiles(SRC);

describe('import direction', () => {
	it('finds the sources it checks', () => {
		expect(files.length).toBeGreaterThan(100);
		expect(files).toContain(path.join(SRC, 'lib/server/commands/command.ts'));
	});

	it('keeps src/ free of imports from the shell (server/)', () => {
		const wrong = files.flatMap((file) =>
			specifiers(file)
				.filter((specifier) => {
					const resolved = target(file, specifier);
					return resolved !== null && inside(resolved, SHELL);
				})
				.map((specifier) => `${path.relative(ROOT, file)} imports ${specifier}`)
		);
		expect(wrong).toEqual([]);
	});

	it('keeps the pure shared code free of the server core and the browser state', () => {
		const shared = path.join(SRC, 'lib/shared');
		const wrong = files
			.filter((file) => inside(file, shared))
			.flatMap((file) =>
				specifiers(file)
					.filter((specifier) => {
						const resolved = target(file, specifier);
						return resolved !== null && !inside(resolved, shared);
					})
					.map((specifier) => `${path.relative(ROOT, file)} imports ${specifier}`)
			);
		expect(wrong).toEqual([]);
	});

	it('checks what it claims: an import of the shell would be caught', () => {
		const file = path.join(SRC, 'lib/server/commands/scores.ts');
		expect(inside(target(file, '../../../../server/services')!, SHELL)).toBe(true);
		expect(inside(target(file, '../ports/storage')!, SHELL)).toBe(false);
	});
});
