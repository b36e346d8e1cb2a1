/** Seeded texts of whole vocabulary words for the benchmarks, so that every run embeds the same texts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AlbertTokenizer } from '../../src/engine/tokenizer.ts';

export { seeded } from '../../src/engine/random.ts';

/** The whole words of a model folder's vocabulary (pieces `▁word`), without the marker. */
export function vocabularyWords(modelDir: string): string[] {
  const tokenizerJson = JSON.parse(readFileSync(join(modelDir, 'tokenizer.json'), 'utf8')) as {
    model: { vocab: [string, number][] };
  };
  const words = tokenizerJson.model.vocab
    .map(([piece]) => piece)
    .filter((piece) => /^▁[a-z]{2,}$/.test(piece))
    .map((piece) => piece.slice(1));
  if (words.length < 20) throw new Error(`the tokenizer has too few whole words (${words.length})`);
  return words;
}

/** Random words until the text reaches `tokens` tokens ([CLS] and [SEP] included). */
export function textOfTokens(
  tokenizer: AlbertTokenizer,
  words: string[],
  tokens: number,
  random: () => number,
): string {
  const picked: string[] = [];
  while (tokenizer.encode(picked.join(' ')).ids.length < tokens)
    picked.push(words[Math.floor(random() * words.length)]!);
  return picked.join(' ');
}
