import { ValueTransformer } from 'typeorm';

/** Postgres numeric arrives as a string (it can exceed a double); these columns are small enough for numbers. */
export const numeric: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
