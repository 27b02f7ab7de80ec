import { ValueTransformer } from 'typeorm';

/**
 * Reads BIGINT/epoch-millisecond columns back as numbers: PostgreSQL's driver returns BIGINT as a
 * string, SQLite as a number.
 */
export const numberTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};
