import { z } from 'zod';

/** DESIGN §5: the one schema of `homehelper.json`. Paths are checked against the app's folder in validate-manifest.ts. */

export const APP_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const ENV_KEY_PATTERN = /^[A-Z_][A-Z0-9_]*$/;

/** Variables HomeHelper gives every app itself (DESIGN §5); a manifest may not override them. */
export const RESERVED_ENV_KEYS: readonly string[] = ['PORT', 'HOMEHELPER_APP_ID', 'HOMEHELPER_DATA_DIR', 'HOMEHELPER_LOG_DIR', 'REDIS_URL'];

export const MANIFEST_LIMITS = {
  fileBytes: 64 * 1024,
  envKeys: 100,
  envValueChars: 4096,
  commandArgs: 256,
  argChars: 4096,
  pathChars: 1024,
} as const;

const NUL = /\0/;

const wholeNumber = (min: number, max: number) =>
  z.number().int('must be a whole number').min(min, `must be from ${min} to ${max}`).max(max, `must be from ${min} to ${max}`);

const seconds = (min: number, max: number) =>
  z.number().min(min, `must be from ${min} to ${max} seconds`).max(max, `must be from ${min} to ${max} seconds`);

/** A path relative to the app's folder; whether it stays inside is decided against the real folder later. */
const relativePath = z
  .string()
  .min(1, 'must not be empty')
  .max(MANIFEST_LIMITS.pathChars, `must be at most ${MANIFEST_LIMITS.pathChars} characters`)
  .refine((value) => !NUL.test(value), 'must not contain a NUL character')
  .refine((value) => !value.startsWith('/'), 'must be a path relative to the app folder, not an absolute path');

const argument = z
  .string()
  .min(1, 'must be a non-empty string')
  .max(MANIFEST_LIMITS.argChars, `must be at most ${MANIFEST_LIMITS.argChars} characters`)
  .refine((value) => !NUL.test(value), 'must not contain a NUL character');

const command = z
  .array(argument, {
    error: (issue) =>
      typeof issue.input === 'string'
        ? 'must be an argv array such as ["python3", "main.py"], not a shell string'
        : 'must be an argv array of strings such as ["python3", "main.py"]',
  })
  .min(1, 'must name at least the program to run')
  .max(MANIFEST_LIMITS.commandArgs, `must have at most ${MANIFEST_LIMITS.commandArgs} elements`);

const env = z
  .record(
    z.string(),
    z
      .string({ error: 'must be a string' })
      .max(MANIFEST_LIMITS.envValueChars, `must be at most ${MANIFEST_LIMITS.envValueChars} characters`)
      .refine((value) => !NUL.test(value), 'must not contain a NUL character'),
  )
  .superRefine((record, ctx) => {
    const keys = Object.keys(record);
    if (keys.length > MANIFEST_LIMITS.envKeys) ctx.addIssue({ code: 'custom', message: `must have at most ${MANIFEST_LIMITS.envKeys} variables` });
    for (const key of keys) {
      if (!ENV_KEY_PATTERN.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'is not a valid variable name (expected upper-case letters, digits and _)' });
      else if (RESERVED_ENV_KEYS.includes(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'is set by HomeHelper itself and cannot be overridden' });
    }
  });

const health = z
  .object({
    path: z
      .string()
      .max(MANIFEST_LIMITS.pathChars, `must be at most ${MANIFEST_LIMITS.pathChars} characters`)
      .regex(/^\/(?!\/)\S*$/, "must be a URL path starting with '/' such as /health")
      .optional(),
    tcp: z.boolean().optional(),
    intervalSeconds: seconds(1, 3600).default(10),
    timeoutSeconds: seconds(0.1, 300).default(2),
    startPeriodSeconds: seconds(0, 3600).default(30),
    failureThreshold: wholeNumber(1, 100).default(3),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.path !== undefined && value.tcp === true) ctx.addIssue({ code: 'custom', path: ['tcp'], message: 'must not be given with path: a probe is either HTTP or TCP' });
    if (value.path === undefined && value.tcp === false) ctx.addIssue({ code: 'custom', path: ['tcp'], message: 'is false but no HTTP path is given' });
    if (value.timeoutSeconds > value.intervalSeconds) ctx.addIssue({ code: 'custom', path: ['timeoutSeconds'], message: 'must not exceed intervalSeconds' });
  })
  // Without an HTTP path the probe is a TCP connect to the leased port.
  .transform((value) => (value.path === undefined ? { ...value, tcp: true } : { ...value, tcp: false }));

const restart = z
  .object({
    policy: z.enum(['always', 'on-failure', 'never'], { error: 'must be always, on-failure or never' }).default('on-failure'),
    maxAttempts: wholeNumber(0, 1000).default(5),
    backoffSeconds: seconds(0.1, 3600).default(1),
    maxBackoffSeconds: seconds(0.1, 86400).default(60),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.maxBackoffSeconds < value.backoffSeconds) ctx.addIssue({ code: 'custom', path: ['maxBackoffSeconds'], message: 'must not be less than backoffSeconds' });
  });

export const manifestSchema = z
  .object({
    id: z.string().regex(APP_ID_PATTERN, 'must be 1-40 lower-case letters, digits or -, starting with a letter or digit'),
    name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
    version: z.string().regex(/^\d+(\.\d+){0,2}([-+][0-9A-Za-z.-]{1,40})?$/, 'must be a version such as 1.2.0'),
    description: z.string().max(1000, 'must be at most 1000 characters').optional(),
    type: z.enum(['service', 'streamlit'], { error: 'must be service or streamlit' }),
    runtime: z.enum(['process', 'docker'], { error: 'must be process or docker' }).default('process'),
    image: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._\-/:@]{0,254}$/i, 'must be a container image reference such as python:3.12-slim')
      .optional(),
    command: command.optional(),
    entry: relativePath.optional(),
    port: wholeNumber(1024, 65535).optional(),
    env: env.default({}),
    health: health.prefault({}),
    restart: restart.prefault({}),
    autoStart: z.boolean().optional(),
    ttlSeconds: wholeNumber(10, 86400).optional(),
    resources: z
      .object({
        memoryMb: wholeNumber(16, 1024 * 1024).optional(),
        cpus: z.number().positive('must be more than 0').max(256, 'must be at most 256').optional(),
      })
      .strict()
      .optional(),
    setup: z.object({ requirements: relativePath.optional() }).strict().optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.runtime === 'docker' && value.image === undefined) ctx.addIssue({ code: 'custom', path: ['image'], message: 'is required when runtime is docker' });
    if (value.runtime === 'process' && value.image !== undefined) ctx.addIssue({ code: 'custom', path: ['image'], message: 'is only for runtime docker' });
    if (value.type === 'streamlit' && value.entry === undefined && value.command === undefined) {
      ctx.addIssue({ code: 'custom', path: ['entry'], message: 'is required for a streamlit app (the script to run, such as app.py), unless command runs another web UI' });
    }
    if (value.type === 'service' && value.entry !== undefined) ctx.addIssue({ code: 'custom', path: ['entry'], message: 'is only for streamlit apps; a service gives command' });
    if (value.type === 'service' && value.runtime === 'process' && value.command === undefined) {
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'is required for a service app run as a process' });
    }
  })
  // Services are always on unless told otherwise; streamlit apps start on demand.
  .transform((value) => ({ ...value, autoStart: value.autoStart ?? value.type === 'service' }));

/** A manifest as it is after validation, with every default filled. */
export type AppManifest = z.output<typeof manifestSchema>;
