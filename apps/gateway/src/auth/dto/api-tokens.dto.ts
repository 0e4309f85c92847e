import { z } from 'zod';

export const createApiTokenSchema = z
  .object({
    name: z.string().trim().min(1, 'expected a name').max(100, 'expected at most 100 characters'),
    expiresAt: z.iso
      .datetime({ offset: true, error: 'expected an ISO date-time such as 2027-01-31T00:00:00Z' })
      .transform((value) => new Date(value))
      .refine((date) => date.getTime() > Date.now(), 'expected a time in the future')
      .optional(),
  })
  .strict();
export type CreateApiTokenDto = z.infer<typeof createApiTokenSchema>;
