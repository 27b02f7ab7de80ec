import { AUDIT_ACTIONS } from '../../auth/audit.types';
import { KEY_NAME_PATTERN } from '../../auth/key.service';
import { SCOPES } from '../../auth/scopes';
import { anything, integer, oneOf, string, text } from '../../config/schema/scalar.rules';
import { list, map, nullable, object } from '../../config/schema/structure.rules';

const epochMs = integer({ min: 0 }).describe('milliseconds since 1970');

/** `POST /keys`: a new key's name and scope. */
export const NEW_KEY_BODY = object({
  name: string({ pattern: KEY_NAME_PATTERN, patternHint: "1-64 letters, digits, '.', '_' or '-'" }),
  scope: oneOf(SCOPES),
}).notAnObject('must be an object such as {"name": "ci", "scope": "write"}');

const KEY_VIEW = object({
  id: string().describe('The public part of the key.'),
  name: string(),
  scope: oneOf(SCOPES),
  createdAt: epochMs,
  revokedAt: nullable(epochMs),
  lastUsedAt: nullable(epochMs),
});

/** `GET /keys`. */
export const KEY_LIST = list(KEY_VIEW);

/** `POST /keys`: the key, shown this once, and its record. */
export const KEY_CREATED = object({ key: string().describe('hpo_<id>_<secret>: shown this once, stored only as a scrypt hash.'), record: KEY_VIEW });

/** `GET /audit`: entries newest first. */
export const AUDIT_LIST = list(
  object({
    id: integer({ min: 1 }),
    at: epochMs,
    actor: text().describe('The key name; "open" on a service without keys; "local:<user>" for the CLI.'),
    action: oneOf(AUDIT_ACTIONS),
    target: text(),
    origin: text().describe("The client's address, or cli."),
    detail: nullable(map(anything())),
  }),
);
