/** File names of a model folder beyond config, tokenizer and ONNX files, shared by the engine and scripts. */

/** The sentence-transformers layout's own files (the Pooling module's config path comes from modules.json). */
export const SENTENCE_LAYOUT_FILES = [
  'modules.json',
  'sentence_bert_config.json',
  'config_sentence_transformers.json',
  '1_Pooling/config.json',
];

/**
 * Written by `npm run models:fetch` into a folder it downloads: `{"repo": "owner/name", "revision": "main"}`,
 * so a copy served from the site or picked from disk is still known as that hub repo (its card's pooling).
 */
export const PROVENANCE_FILE = 'hub.json';
