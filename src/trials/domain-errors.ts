import { ConfigProblem } from '../config/experiment-spec.types';

/** Something asked for does not exist (HTTP 404). */
export class NotFoundError extends Error {}

/** The request is well-formed but conflicts with the current state (HTTP 409). */
export class ConflictError extends Error {}

/** Bad input that is not a config: a query parameter, a cursor, a body field (HTTP 400). */
export class BadRequestError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  }
}
