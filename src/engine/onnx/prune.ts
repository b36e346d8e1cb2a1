/**
 * Dead-code elimination: keeps only the nodes the graph's outputs depend on, and the initializers those nodes
 * read. Inputs stay declared (a session still takes `token_type_ids` even when nothing reads it).
 */
import type { GraphProto } from './proto.ts';

export function pruneToOutputs(graph: GraphProto): void {
  const producer = new Map<string, number>();
  graph.node.forEach((node, i) => node.output?.forEach((o) => producer.set(o, i)));
  const keep = new Set<number>();
  const stack = graph.output.map((o) => o.name ?? '');
  while (stack.length) {
    const i = producer.get(stack.pop()!);
    if (i === undefined || keep.has(i)) continue;
    keep.add(i);
    for (const input of graph.node[i]!.input ?? []) if (input) stack.push(input);
  }
  graph.node = graph.node.filter((_, i) => keep.has(i));
  const read = new Set(graph.node.flatMap((n) => n.input ?? []));
  graph.initializer = graph.initializer.filter((t) => read.has(t.name ?? ''));
}
