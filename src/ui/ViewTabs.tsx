/**
 * The views under the token vector, one at a time: only the shown view fetches and draws, which keeps a long
 * text's page responsive. The choice is part of the URL.
 */
import { VIEW_NAMES, useStore, type ViewName } from '../state/store.ts';
import { AttentionView } from './AttentionView.tsx';
import { EmbeddingView } from './EmbeddingView.tsx';
import { ProjectionView } from './ProjectionView.tsx';

const LABELS: Record<ViewName, string> = {
  embeddings: 'Token embeddings',
  attention: 'Attention',
  projection: 'PCA projection',
};

export function ViewTabs() {
  const view = useStore((s) => s.view);
  const setView = useStore((s) => s.setView);
  const hasRun = useStore((s) => s.run !== undefined);
  if (!hasRun) return null;
  return (
    <section className="views">
      <div className="tabs" role="tablist">
        {VIEW_NAMES.map((v) => (
          <button
            key={v}
            type="button"
            role="tab"
            aria-selected={view === v}
            data-testid={`view.tab-${v}`}
            onClick={() => setView(v)}
          >
            {LABELS[v]}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {view === 'embeddings' && <EmbeddingView />}
        {view === 'attention' && <AttentionView />}
        {view === 'projection' && <ProjectionView />}
      </div>
    </section>
  );
}
