/** The playground page. */
import { AttentionView } from './AttentionView.tsx';
import { EmbeddingView } from './EmbeddingView.tsx';
import { ExportPanel } from './ExportPanel.tsx';
import { Messages } from './Messages.tsx';
import { ModelPanel } from './ModelPanel.tsx';
import { OnRequest } from './OnRequest.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { TextPanel } from './TextPanel.tsx';
import { TokenChips } from './TokenChips.tsx';
import { LayerControl, VectorPanel } from './VectorPanel.tsx';

export function App() {
  return (
    <main className="app">
      <header>
        <h1>ALBERT Playground</h1>
        <StatusBadge />
      </header>
      <Messages />
      <ModelPanel />
      <TextPanel />
      <TokenChips />
      <LayerControl />
      <VectorPanel />
      <OnRequest label="token-embedding charts" testId="view.embeddings-toggle">
        <EmbeddingView />
      </OnRequest>
      <OnRequest label="attention map" testId="view.attention-toggle">
        <AttentionView />
      </OnRequest>
      <ExportPanel />
    </main>
  );
}
