import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

// The dependency rules of the workspace (STYLE.md §7), checked on every import of every source file.
const ROOT = path.resolve(__dirname, '../../..');

interface Project {
  name: string;
  root: string;
  kind: 'app' | 'lib';
}

const projects: Project[] = (['apps', 'libs'] as const).flatMap((folder) =>
  readdirSync(path.join(ROOT, folder)).map((name) => ({ name, root: path.join(ROOT, folder, name), kind: folder === 'apps' ? 'app' : 'lib' })),
);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function importsOf(file: string): Project[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|require\(|import\()\s*['"]([^'"]+)['"]/g)].map((match) => match[1]);
  return specifiers.flatMap((specifier) => {
    if (specifier.startsWith('@homehelper/')) return projects.filter((p) => p.kind === 'lib' && p.name === specifier.slice(12));
    if (!specifier.startsWith('.')) return [];
    const target = path.resolve(path.dirname(file), specifier);
    return projects.filter((p) => target === p.root || target.startsWith(p.root + path.sep));
  });
}

const violations = (rule: (from: Project, to: Project, file: string) => boolean) =>
  projects.flatMap((from) =>
    sourceFiles(from.root).flatMap((file) =>
      importsOf(file)
        .filter((to) => to.name !== from.name || to.kind !== from.kind)
        .filter((to) => rule(from, to, file))
        .map((to) => `${path.relative(ROOT, file)} → ${to.kind}s/${to.name}`),
    ),
  );

describe('workspace boundaries', () => {
  it('finds the six services and the libraries', () => {
    expect(projects.filter((p) => p.kind === 'app').map((p) => p.name).sort()).toEqual(
      ['app-manager', 'gateway', 'habit-service', 'scheduler', 'system-monitor', 'ui-manager'],
    );
  });

  it('libraries never import an app, and apps never import each other', () => {
    expect(violations((_, to) => to.kind === 'app')).toEqual([]);
  });

  it('contracts import nothing of ours', () => {
    expect(violations((from) => from.kind === 'lib' && from.name === 'contracts')).toEqual([]);
  });

  it('only tests use the testing library', () => {
    expect(violations((from, to, file) => to.name === 'testing' && from.name !== 'testing' && !file.endsWith('.spec.ts'))).toEqual([]);
  });
});
