import { integer, number, oneOf, string } from '../../config/schema/scalar.rules';
import { list, object } from '../../config/schema/structure.rules';
import { IMPORTANCE_METHODS } from '../../search/importance/importance.types';

/** `GET /experiments/:id/importance`: parameters by importance, most important first; the shares sum to 1. */
export const IMPORTANCE = object({
  experimentId: integer(),
  metric: string(),
  direction: oneOf(['minimize', 'maximize'] as const),
  method: oneOf(IMPORTANCE_METHODS),
  trials: integer({ min: 0 }).describe('The complete trials it was computed over.'),
  params: list(
    object({
      name: string(),
      importance: number({ min: 0, max: 1 }),
      activeTrials: integer({ min: 0 }).describe('Trials in which the parameter was active (fewer for a conditional one).'),
    }),
  ),
});
