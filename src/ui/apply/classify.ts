/** Few-shot examples as the user writes them: `label: text`, one per line. */

export interface ParsedExamples {
  examples: { label: string; text: string }[];
  /** 1-based line numbers that are not `label: text`. */
  badLines: number[];
}

export function parseExamples(text: string): ParsedExamples {
  const examples: { label: string; text: string }[] = [];
  const badLines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const colon = line.indexOf(':');
    const label = colon > 0 ? line.slice(0, colon).trim() : '';
    const body = colon > 0 ? line.slice(colon + 1).trim() : '';
    if (label && body) examples.push({ label, text: body });
    else badLines.push(i + 1);
  });
  return { examples, badLines };
}
