import { configReference } from '../../config/config-reference';
import { experimentJsonSchema } from '../../trials/experiment-validation';
import { CliIO, printJson } from '../cli-output';
import { EXIT } from '../cli-context';

/** `hpo schema [--markdown]`: the experiment config's JSON Schema (for editors and tools), or its reference in Markdown. */
export async function schemaCommand(options: { markdown?: boolean }, io: CliIO): Promise<number> {
  const schema = experimentJsonSchema();
  if (options.markdown) io.out(configReference(schema));
  else printJson(io, schema);
  return EXIT.ok;
}
