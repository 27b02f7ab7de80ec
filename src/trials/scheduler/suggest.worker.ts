import { Params } from '../../search/space/space.types';
import { runSuggestTask, SuggestTask } from './suggest-task';

/** The piscina task of the suggestion thread. */
export default function suggest(task: SuggestTask): Params[] {
  return runSuggestTask(task);
}
