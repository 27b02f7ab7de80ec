import { openHttpFrontDoor } from './api/http-server';
import { main } from './cli/main';

/**
 * The process entry of `hpo`: the one module that knows both front doors, so the CLI can start the
 * REST service without importing it (nothing imports `src/api` or `src/cli`).
 */
export function run(argv: string[]): Promise<number> {
  return main(argv, openHttpFrontDoor);
}
