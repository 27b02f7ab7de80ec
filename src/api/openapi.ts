import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiResponse } from '@nestjs/swagger';
import { JsonSchema, Rule } from '../config/schema/rule';
import { object, list } from '../config/schema/structure.rules';
import { integer, string } from '../config/schema/scalar.rules';
import { PREDICT_BODY } from '../registry/input-validation';
import { experimentJsonSchema } from '../trials/experiment-validation';
import * as experiments from './schemas/experiment.schemas';
import * as models from './schemas/model.schemas';

/** The body of every error response. */
const ERROR_BODY = object({
  statusCode: integer({ min: 400, max: 599 }),
  error: string(),
  message: string(),
  problems: list(object({ path: string(), message: string() }))
    .optional()
    .describe('Every problem, by path (400 only).'),
});

/**
 * Every named schema of the OpenAPI document, from the same rules that validate requests (config,
 * bodies) and describe responses. Routes refer to them by name.
 */
export const API_SCHEMAS = {
  ExperimentConfig: { jsonSchema: () => experimentJsonSchema() },
  ExperimentCreated: experiments.CREATED,
  Experiment: experiments.EXPERIMENT_VIEW,
  ExperimentList: experiments.EXPERIMENT_LIST,
  ResumeBody: experiments.RESUME_BODY,
  UpdateBody: experiments.UPDATE_BODY,
  EnqueueBody: experiments.ENQUEUE_BODY,
  Trial: experiments.TRIAL_VIEW,
  TrialDetail: experiments.TRIAL_DETAIL,
  TrialPage: experiments.TRIAL_PAGE,
  Leaderboard: experiments.LEADERBOARD,
  GlobalLeaderboard: experiments.GLOBAL_LEADERBOARD,
  ModelList: models.MODEL_LIST,
  ModelDetail: models.MODEL_DETAIL,
  ModelVersion: models.MODEL_VERSION,
  PromoteBody: models.PROMOTE_BODY,
  PromotionResult: models.PROMOTION_RESULT,
  AliasBody: models.ALIAS_BODY,
  AliasMove: models.ALIAS_MOVE,
  ArchiveBody: models.ARCHIVE_BODY,
  PredictBody: PREDICT_BODY,
  Predictions: models.PREDICT_RESPONSE,
  Error: ERROR_BODY,
} satisfies Record<string, Pick<Rule<unknown>, 'jsonSchema'>>;

/** The name of a schema of the document. */
export type SchemaName = keyof typeof API_SCHEMAS;

/** The `components.schemas` of the OpenAPI document. */
export function componentSchemas(): Record<string, JsonSchema> {
  return Object.fromEntries(Object.entries(API_SCHEMAS).map(([name, rule]) => [name, rule.jsonSchema()]));
}

const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });

/** Declares a route's request body by schema name. */
export function Body(name: SchemaName, required = true): MethodDecorator {
  return ApiBody({ schema: ref(name), required });
}

const ERROR_TITLES: Record<number, string> = {
  400: 'bad input, every problem by path',
  404: 'no such experiment, trial or model',
  409: 'conflicts with the current state',
};

/** Declares a route's success response (a schema name, or none for 204) and the errors it can answer with. */
export function Returns(status: number, name: SchemaName | null, errors: readonly (400 | 404 | 409)[] = [400]): MethodDecorator {
  return applyDecorators(
    ApiResponse({ status, description: name ?? 'no content', ...(name ? { schema: ref(name) } : {}) }),
    ...errors.map((code) => ApiResponse({ status: code, description: ERROR_TITLES[code], schema: ref('Error') })),
  );
}
