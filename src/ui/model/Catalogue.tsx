/** The ALBERTs people load from the hub: what each is for, its size, and one click to load it. */
import { CATALOGUE, type CatalogueEntry } from '../../engine/catalogue.ts';
import { DTYPES } from '../../engine/dtypes.ts';
import { choiceFromParam } from '../../shared/models.ts';
import { useStore } from '../../state/store.ts';
import { useController } from '../controllerContext.ts';

/** "45.3 MB (fp32) to 11.8 MB (int8)": the largest and the smallest download. */
function sizeRange(entry: CatalogueEntry): string {
  const sizes = DTYPES.flatMap((d) =>
    entry.sizesMB[d] !== undefined ? [[d, entry.sizesMB[d]!] as const] : [],
  );
  const fp32 = sizes.find(([d]) => d === 'fp32');
  const smallest = sizes.toSorted((a, b) => a[1] - b[1])[0];
  if (!fp32 || !smallest) return '';
  return smallest[0] === 'fp32'
    ? `${fp32[1]} MB`
    : `${fp32[1]} MB (fp32) … ${smallest[1]} MB (${smallest[0]})`;
}

export function Catalogue() {
  const controller = useController();
  const current = useStore((s) => s.choice?.param);
  return (
    <details className="catalogue" data-testid="model.catalogue" open={!current}>
      <summary>ALBERT models on the Hugging Face hub</summary>
      <ul>
        {CATALOGUE.map((entry) => (
          <li key={entry.repo} data-testid="model.catalogue-entry" data-repo={entry.repo}>
            <button
              type="button"
              data-testid={`model.catalogue.${entry.name}`}
              disabled={current === entry.repo}
              onClick={() => void controller.load(choiceFromParam(entry.repo))}
            >
              {entry.name}
            </button>{' '}
            <span className="hint">
              {entry.layers} layers × {entry.hiddenSize} · {sizeRange(entry)}
              {entry.sentence ? ' · sentence embeddings' : ''}
            </span>
            <div>{entry.purpose}</div>
          </li>
        ))}
      </ul>
    </details>
  );
}
