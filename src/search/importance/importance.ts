import { fanovaImportance } from './fanova.importance';
import { ImportanceInput, ImportanceMethod, ImportanceResult } from './importance.types';
import { pedAnovaImportance } from './ped-anova.importance';

/** Ranks the parameters of a space by how much they matter to the objective, by `method` (PED-ANOVA unless given). */
export function parameterImportance(input: ImportanceInput, method: ImportanceMethod = 'ped-anova', seed?: number): ImportanceResult {
  return method === 'fanova' ? fanovaImportance(input, seed) : pedAnovaImportance(input);
}
