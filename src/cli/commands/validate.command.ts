import { configBaseDir, readConfigFile } from '../../config/config-loader';
import { validateExperiment } from '../../trials/experiment-validation';
import { CliIO, printJson } from '../cli-output';
import { EXIT, reportError } from '../cli-context';

/** `hpo validate FILE`: checks a config without running it; lists every problem by path. */
export async function validateCommand(file: string, options: { json?: boolean }, io: CliIO): Promise<number> {
  try {
    const spec = validateExperiment(readConfigFile(file), configBaseDir(file));
    if (options.json) printJson(io, { valid: true, problems: [], spec });
    else io.out(`${file}: valid (${Object.keys(spec.space).length} parameters, ${spec.search.algorithm} search, ${spec.budget.maxTrials} trials)`);
    return EXIT.ok;
  } catch (error) {
    if (options.json && (error as { problems?: unknown }).problems) {
      printJson(io, { valid: false, problems: (error as { problems: unknown }).problems });
      return EXIT.badInput;
    }
    return reportError(io, error);
  }
}
