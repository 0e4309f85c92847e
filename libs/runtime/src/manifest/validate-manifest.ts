import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { AppManifest, manifestSchema } from './manifest.schema';

export type ManifestResult = { ok: true; manifest: AppManifest } | { ok: false; reasons: string[] };

/**
 * Validates a parsed `homehelper.json` against the schema, then checks that every path it names stays inside
 * `folder` (the app's folder, symlinks resolved). Reasons are sentences that start with the field they are about.
 *
 * The path rule:
 * - `entry` and `setup.requirements` are relative paths to files that must exist inside the folder.
 * - `command[0]` without a `/` (python3, node, streamlit) is a program found on PATH and is not a path.
 *   With a `/` it is a path: relative ones (./run.sh, bin/app) must stay inside the folder; absolute ones are
 *   refused unless they resolve inside the folder — name interpreters bare instead of /usr/bin/python3.
 * - Any other element (or the value of a `--option=value` element) is a path when it contains a `/` or is `..`;
 *   it must stay inside the folder whether or not it exists yet. A bare word (main.py, -m, http.server) is a
 *   path only when the folder holds something of that name, and then it must resolve inside the folder.
 *   URLs (scheme://…) are not paths; `~` paths are refused, since the app would expand them to the home folder.
 * - Existing paths are resolved with realpath, so a symlink out of the folder is refused; a path that does not
 *   exist yet is judged by its nearest existing parent.
 * - For runtime docker the command runs inside the image, so its elements are not checked against the folder.
 * This is a rule about what a manifest names, not a sandbox: the app's own code can still read what its user can.
 */
export function validateManifest(raw: unknown, folder: string): ManifestResult {
  const parsed = manifestSchema.safeParse(raw, { error: defaultMessage });
  if (!parsed.success) return { ok: false, reasons: reasonsOf(parsed.error) };

  let root: string;
  try {
    root = fs.realpathSync(folder);
  } catch {
    return { ok: false, reasons: [`folder ${folder} cannot be resolved`] };
  }
  const reasons = pathReasons(parsed.data, root);
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, manifest: parsed.data };
}

function pathReasons(manifest: AppManifest, root: string): string[] {
  const reasons: string[] = [];
  const add = (reason: string | undefined) => reason && reasons.push(reason);
  if (manifest.entry !== undefined) add(checkFile(root, 'entry', manifest.entry));
  if (manifest.setup?.requirements !== undefined) add(checkFile(root, 'setup.requirements', manifest.setup.requirements));
  if (manifest.runtime === 'process') manifest.command?.forEach((element, index) => add(checkCommandElement(root, index, element)));
  return reasons;
}

function checkFile(root: string, field: string, value: string): string | undefined {
  const where = locate(root, value);
  if (where.kind === 'outside') return `${field} ${value} ${where.why}`;
  if (where.kind === 'missing') return `${field} ${value} does not exist in the app folder`;
  if (!fs.statSync(where.real).isFile()) return `${field} ${value} is not a file`;
  return undefined;
}

function checkCommandElement(root: string, index: number, element: string): string | undefined {
  const field = `command[${index}]`;
  if (index === 0 && !element.includes('/')) return undefined;
  const value = element.startsWith('-') && element.includes('=') ? element.slice(element.indexOf('=') + 1) : element;
  if (value === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined;
  if (value === '~' || value.startsWith('~/')) return `${field} ${element} is a home-relative path; name a path inside the app folder`;
  const bareWord = !value.includes('/') && value !== '..';
  if (bareWord && !exists(path.join(root, value))) return undefined;
  const where = locate(root, value);
  if (where.kind !== 'outside') return undefined;
  const hint = index === 0 && path.isAbsolute(value) ? '; name the program bare (python3, node) so it is found on PATH' : '';
  return `${field} ${element} ${where.why}${hint}`;
}

type Location = { kind: 'inside'; real: string } | { kind: 'missing' } | { kind: 'outside'; why: string };

function locate(root: string, value: string): Location {
  const lexical = path.resolve(root, value);
  if (!isInside(root, lexical)) return { kind: 'outside', why: path.isAbsolute(value) ? 'is an absolute path outside the app folder' : 'leaves the app folder' };
  let real: string;
  try {
    real = fs.realpathSync(lexical);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { kind: 'outside', why: 'is a symlink loop' };
    const parent = nearestExistingParent(lexical);
    if (!isInside(root, parent)) return { kind: 'outside', why: 'resolves through a symlink to outside the app folder' };
    return { kind: 'missing' };
  }
  if (!isInside(root, real)) return { kind: 'outside', why: 'resolves through a symlink to outside the app folder' };
  return { kind: 'inside', real };
}

function nearestExistingParent(lexical: string): string {
  for (let current = path.dirname(lexical); ; current = path.dirname(current)) {
    try {
      return fs.realpathSync(current);
    } catch {
      if (path.dirname(current) === current) return current;
    }
  }
}

function exists(candidate: string): boolean {
  try {
    fs.lstatSync(candidate);
    return true;
  } catch {
    return false;
  }
}

export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** Messages for the issues the schema does not word itself. */
function defaultMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type') return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}`;
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map(String).join(', ')}`;
  return undefined;
}

function article(expected: string): string {
  if (expected === 'object' || expected === 'record') return 'a JSON object';
  if (expected === 'array') return 'an array';
  if (expected === 'int') return 'a whole number';
  return `a ${expected}`;
}

function reasonsOf(error: z.ZodError): string[] {
  const reasons: string[] = [];
  for (const issue of error.issues) {
    const field = fieldOf(issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) reasons.push(`${field ? `${field}.` : ''}${key} is not a known field`);
    } else {
      reasons.push(field ? `${field} ${issue.message}` : `homehelper.json ${issue.message}`);
    }
  }
  return reasons;
}

function fieldOf(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((field, segment) => {
    if (typeof segment === 'number') return `${field}[${segment}]`;
    return field === '' ? String(segment) : `${field}.${String(segment)}`;
  }, '');
}
