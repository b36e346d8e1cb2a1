/** The tokens as chips: piece, id, segment, specials marked; hover marks the characters, click selects. */
import { useStore } from '../state/store.ts';
import { showPiece } from './format.ts';

export function TokenChips() {
  const run = useStore((s) => s.run);
  const selected = useStore((s) => s.selectedToken);
  const selectToken = useStore((s) => s.selectToken);
  const hoverToken = useStore((s) => s.hoverToken);
  const maxLength = useStore((s) => s.info?.maxLength);
  if (!run) return null;
  return (
    <section className="tokens">
      <h2>
        Tokens <small data-testid="tokens.count">{run.tokens.length}</small>
        {run.padding > 0 && (
          <small data-testid="tokens.padding">
            {' '}
            (the last {run.padding} are padding, masked out as in a batch)
          </small>
        )}
      </h2>
      {run.truncated && (
        <p className="warning" data-testid="tokens.truncated">
          The text is longer than the model's {maxLength} tokens: the last {run.droppedTokens} token
          {run.droppedTokens === 1 ? ' was' : 's were'} dropped.
          {run.pair === undefined && ' Choose "windows" under Long texts to keep every token.'}
        </p>
      )}
      {run.tokens.length - run.padding === 2 && <p className="hint">Empty text: only [CLS] and [SEP].</p>}
      <ol className="chips" onMouseLeave={() => hoverToken(null)}>
        {run.tokens.map((piece, i) => (
          <li key={i}>
            <button
              type="button"
              data-testid="tokens.chip"
              className={`chip segment-${run.tokenTypeIds[i]}${run.special[i] ? ' special' : ''}${i === selected ? ' selected' : ''}`}
              onMouseEnter={() => hoverToken(i)}
              onFocus={() => hoverToken(i)}
              onClick={() => selectToken(i)}
              title={`#${i} · id ${run.ids[i]} · segment ${run.tokenTypeIds[i] === 0 ? 'A' : 'B'}${run.special[i] ? ' · special' : ''}`}
            >
              <span className="piece">{showPiece(piece)}</span>
              <span className="id">{run.ids[i]}</span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
