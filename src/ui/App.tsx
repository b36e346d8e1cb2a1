/** The playground page. */
import { ExportPanel } from './ExportPanel.tsx';
import { Messages } from './Messages.tsx';
import { ModelPanel } from './ModelPanel.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { TextPanel } from './TextPanel.tsx';
import { TokenChips } from './TokenChips.tsx';
import { LayerControl, VectorPanel } from './VectorPanel.tsx';
import { ViewTabs } from './ViewTabs.tsx';

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
      <ViewTabs />
      <ExportPanel />
    </main>
  );
}
