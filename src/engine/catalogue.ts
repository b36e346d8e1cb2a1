/**
 * The ALBERTs people load from the hub, with what each is for and its download sizes (the hub's listings, MB).
 * The model panel offers them; the engine uses an entry's sentence pooling for a repo that states it only on its
 * model card (the Xenova exports carry no sentence-transformers files).
 */
import type { Dtype } from './dtypes.ts';
import type { SentencePooling } from './sentenceModel.ts';

export interface CatalogueEntry {
  name: string;
  /** The hub repo with transformers.js-layout ONNX files. */
  repo: string;
  /** One line: what the model is for. */
  purpose: string;
  layers: number;
  hiddenSize: number;
  /** Download size of each dtype's ONNX file, in MB, as the hub lists it. */
  sizesMB: Partial<Record<Dtype, number>>;
  /** Set for models trained to make sentence vectors. */
  sentence?: SentencePooling;
}

/** The paraphrase models' card: mean pooling, inputs up to 100 tokens (sentence-transformers' max_seq_length). */
const paraphrasePooling = (repo: string): SentencePooling => ({
  mode: 'mean',
  normalize: false,
  maxLength: 100,
  source: 'model card',
  from: `the model card of ${repo} (mean pooling; max_seq_length 100 in sentence-transformers/paraphrase-albert-small-v2)`,
});

export const CATALOGUE: CatalogueEntry[] = [
  {
    name: 'albert-base-v2',
    repo: 'Xenova/albert-base-v2',
    purpose:
      'The original ALBERT base, pre-trained on masked words and sentence order: look inside it and fill [MASK]; not trained for sentence similarity.',
    layers: 12,
    hiddenSize: 768,
    sizesMB: { fp32: 45.3, q8: 40.2, fp16: 23.0, int8: 11.8, uint8: 11.8, q4: 20.6, q4f16: 12.4, bnb4: 20.2 },
  },
  {
    name: 'albert-large-v2',
    repo: 'Xenova/albert-large-v2',
    purpose: 'The same pre-training at 24 layers of 1024: more depth to look through, slower to run.',
    layers: 24,
    hiddenSize: 1024,
    sizesMB: { fp32: 67.9, q8: 68.3, fp16: 34.6, int8: 17.9, uint8: 17.9, q4: 24.5, q4f16: 15.9, bnb4: 23.7 },
  },
  {
    name: 'paraphrase-albert-small-v2',
    repo: 'Xenova/paraphrase-albert-small-v2',
    purpose:
      'ALBERT cut to 6 layers and trained on paraphrase pairs (sentence-transformers): mean-pooled vectors for similarity, search and clustering.',
    layers: 6,
    hiddenSize: 768,
    sizesMB: { fp32: 44.6, q8: 39.7, fp16: 22.4 },
    sentence: paraphrasePooling('Xenova/paraphrase-albert-small-v2'),
  },
  {
    name: 'paraphrase-albert-base-v2',
    repo: 'Xenova/paraphrase-albert-base-v2',
    purpose:
      'All 12 layers trained on paraphrase pairs: sentence vectors, a little better and slower than small.',
    layers: 12,
    hiddenSize: 768,
    sizesMB: { fp32: 44.7, q8: 40.0, fp16: 22.7 },
    sentence: paraphrasePooling('Xenova/paraphrase-albert-base-v2'),
  },
];

/** The sentence-embedding model compare mode offers when the loaded model is not one. */
/** The ALBERT a user gets when they name none: the page's hub default, and the CLI's. */
export const DEFAULT_HUB_MODEL = CATALOGUE.find((e) => e.name === 'albert-base-v2')!.repo;

export const SENTENCE_MODEL = CATALOGUE.find((e) => e.name === 'paraphrase-albert-small-v2')!;

/** The catalogue entry of a hub repo id, if it is one. */
export function catalogueEntry(repo: string): CatalogueEntry | undefined {
  return CATALOGUE.find((e) => e.repo.toLowerCase() === repo.toLowerCase());
}
