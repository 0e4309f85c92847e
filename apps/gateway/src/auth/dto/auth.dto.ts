import { z } from 'zod';
import { isTimeZone } from '@homehelper/contracts';

const email = z.string().trim().toLowerCase().pipe(z.email('expected an email address').max(254));
const timeZone = z.string().refine(isTimeZone, 'expected an IANA time zone such as Europe/Berlin');

export const registerSchema = z
  .object({
    email,
    password: z.string().min(8, 'expected at least 8 characters').max(128, 'expected at most 128 characters'),
    fullName: z.string().trim().min(1).max(200).optional(),
    timezone: timeZone.optional(),
  })
  .strict();
export type RegisterDto = z.infer<typeof registerSchema>;

export const loginSchema = z
  .object({
    email,
    password: z.string().min(1).max(128),
  })
  .strict();
export type LoginDto = z.infer<typeof loginSchema>;

export const updateMeSchema = z
  .object({
    fullName: z.string().trim().min(1).max(200).nullable().optional(),
    timezone: timeZone.optional(),
    currentPassword: z.string().min(1).max(128).optional(),
    newPassword: z.string().min(8, 'expected at least 8 characters').max(128, 'expected at most 128 characters').optional(),
  })
  .strict()
  .refine((dto) => dto.newPassword === undefined || dto.currentPassword !== undefined, {
    message: 'changing the password needs currentPassword',
    path: ['currentPassword'],
  });
export type UpdateMeDto = z.infer<typeof updateMeSchema>;
