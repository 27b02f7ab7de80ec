import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiResponse } from '@nestjs/swagger';
import { JsonSchema, Rule } from '../config/schema/rule';
import { object, list } from '../config/schema/structure.rules';
import { integer, string } from '../config/schema/scalar.rules';
import { PREDICT_BODY } from '../registry/input-validation';
import { experimentJsonSchema } from '../trials/experiment-validation';
import * as analysis from './schemas/analysis.schemas';
import * as experiments from './schemas/experiment.schemas';
import * as auth from './schemas/auth.schemas';
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
  Importance: analysis.IMPORTANCE,
  DashboardExperiments: analysis.DASHBOARD_EXPERIMENTS,
  Overview: analysis.OVERVIEW,
  TrialChanges: analysis.CHANGES,
  TablePage: analysis.TABLE_PAGE,
  Contour: analysis.CONTOUR,
  Curves: analysis.CURVES,
  TrialFiles: analysis.TRIAL_FILES,
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
  NewKeyBody: auth.NEW_KEY_BODY,
  KeyList: auth.KEY_LIST,
  KeyCreated: auth.KEY_CREATED,
  AuditList: auth.AUDIT_LIST,
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
  return applyDecorators(ApiBody({ schema: ref(name), required }), ApiResponse({ status: 415, description: ERROR_TITLES[415], schema: ref('Error') }));
}

const ERROR_TITLES: Record<number, string> = {
  400: 'bad input, every problem by path',
  404: 'no such experiment, trial or model',
  409: 'conflicts with the current state',
  415: 'not JSON (or YAML where a config is read): a POST must say Content-Type application/json',
};

/** What any route behind the access guard may answer, whatever it does. */
const ACCESS_ERRORS: Record<number, string> = {
  401: 'no API key, or one that is unknown or revoked (once any key exists)',
  403: "the key's scope is not enough, or a cross-origin request",
  429: 'over the rate limit or the running-experiment limit (Retry-After says when)',
};

/** Declares a route's success response (a schema name, or none for 204) and the errors it can answer with. */
export function Returns(status: number, name: SchemaName | null, errors: readonly (400 | 404 | 409 | 415)[] = [400]): MethodDecorator {
  return applyDecorators(
    ApiResponse({ status, description: name ?? 'no content', ...(name ? { schema: ref(name) } : {}) }),
    ...errors.map((code) => ApiResponse({ status: code, description: ERROR_TITLES[code], schema: ref('Error') })),
    ...Object.entries(ACCESS_ERRORS).map(([code, description]) => ApiResponse({ status: Number(code), description, schema: ref('Error') })),
  );
}
