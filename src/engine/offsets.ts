/**
 * Character spans of tokens: where in the text the user typed each token comes from. The tokenizer computes them
 * as Hugging Face's Rust tokenizer does (sentencepiece/normalizedString.ts); the UI, the CLI and tagging read them.
 */

/** [start, end) in UTF-16 code units of the original text, or null where there is none. */
export type Span = [number, number] | null;
