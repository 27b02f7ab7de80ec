import { askForKey } from './api';
import { disposeCharts } from './charts';
import { h, showError } from './dom';
import { experimentPage } from './pages/experiment.page';
import { experimentsPage } from './pages/experiments.page';
import { leaderboardPage } from './pages/leaderboard.page';
import { modelPage, modelsPage } from './pages/models.page';
import { trialPage } from './pages/trial.page';

/** What a page leaves behind to stop when the route changes (polling, listeners). */
export type Cleanup = () => void;
type Page = (root: HTMLElement, args: string[], query: URLSearchParams) => Promise<Cleanup | void>;

const routes: [RegExp, Page][] = [
  [/^\/?$/, experimentsPage],
  [/^\/experiments\/(\d+)\/trials\/(\d+)$/, trialPage],
  [/^\/experiments\/(\d+)$/, experimentPage],
  [/^\/leaderboard$/, leaderboardPage],
  [/^\/models$/, modelsPage],
  [/^\/models\/([^/]+)$/, modelPage],
];

let cleanup: Cleanup | void;

async function render(): Promise<void> {
  cleanup?.();
  cleanup = undefined;
  disposeCharts();
  const root = document.getElementById('app')!;
  root.dataset.ready = 'false';
  root.replaceChildren();
  const [path, search] = (location.hash.slice(1) || '/').split('?');
  const match = routes.map(([re, page]) => [path.match(re), page] as const).find(([m]) => m);
  if (!match) {
    root.append(h('p', {}, 'No such page. ', h('a', { href: '#/' }, 'Experiments')));
    return;
  }
  const [m, page] = match;
  root.dataset.page = page.name;
  try {
    cleanup = await page(root, m!.slice(1).map(decodeURIComponent), new URLSearchParams(search ?? ''));
  } catch (error) {
    showError(root, error);
  }
  root.dataset.ready = 'true';
}

window.addEventListener('hashchange', () => void render());
document.getElementById('key-button')!.addEventListener('click', async () => {
  if (await askForKey('The key is kept in this browser and sent as Authorization: Bearer with every request.')) void render();
});
void render();
