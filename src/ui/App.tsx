/** The playground page. */
import { useStore } from '../state/store.ts';
import { ClassifyPanel } from './apply/ClassifyPanel.tsx';
import { ComparePanel } from './apply/ComparePanel.tsx';
import { LinesPanel } from './apply/LinesPanel.tsx';
import { ProbePanel } from './apply/ProbePanel.tsx';
import { TagPanel } from './apply/TagPanel.tsx';
import { ExportPanel } from './ExportPanel.tsx';
import { FillMaskPanel } from './FillMaskPanel.tsx';
import { HowAlbertWorks } from './HowAlbertWorks.tsx';
import { Messages } from './Messages.tsx';
import { ModelPanel } from './ModelPanel.tsx';
import { ModeNav } from './ModeNav.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { TextPanel } from './TextPanel.tsx';
import { TokenChips } from './TokenChips.tsx';
import { UpdateNotice } from './UpdateNotice.tsx';
import { LayerControl, VectorPanel } from './VectorPanel.tsx';
import { ViewTabs } from './ViewTabs.tsx';

/** Inspecting one text: its tokens, vectors and the views inside the model. */
function Inspect() {
  return (
    <>
      <HowAlbertWorks />
      <TextPanel />
      <TokenChips />
      <FillMaskPanel />
      <LayerControl />
      <VectorPanel />
      <ViewTabs />
      <ExportPanel />
    </>
  );
}

export function App() {
  const mode = useStore((s) => s.mode);
  return (
    <main className="app">
      <header>
        <h1>ALBERT Playground</h1>
        <StatusBadge />
      </header>
      <UpdateNotice />
      <Messages />
      <ModelPanel />
      <ModeNav />
      {mode === 'inspect' ? (
        <Inspect />
      ) : (
        <>
          <LayerControl />
          {mode === 'compare' && <ComparePanel />}
          {mode === 'lines' && <LinesPanel />}
          {mode === 'classify' && <ClassifyPanel />}
          {mode === 'tag' && <TagPanel />}
          {mode === 'probe' && <ProbePanel />}
        </>
      )}
    </main>
  );
}
