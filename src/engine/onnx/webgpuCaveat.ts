/**
 * Graphs whose kernels onnxruntime-web 1.30's WebGPU backend has but runs wrongly or refuses, found by structure
 * and measured, so such a file goes to WASM with the reason instead of failing or showing wrong numbers.
 */
import type { GraphIndex } from './graphIndex.ts';
import { toNumber, type NodeProto } from './proto.ts';

const intAttribute = (node: NodeProto, name: string) =>
  toNumber(node.attribute?.find((a) => a.name === name)?.i);

/** Why the file must not run on WebGPU although its dtype could, or undefined. */
export function webgpuCaveat(g: GraphIndex): string | undefined {
  for (const node of g.nodes) {
    // MatMulNBits computes wrong numbers when K is not a multiple of the block size (the last block is padded):
    // on the bundled model, whose 16-wide projection gives hidden states off by 8.7, while K = 32 matches WASM to
    // 1e-6. Every released ALBERT's K (128, 768, 1024, 3072, 4096) is a multiple of 32.
    if (node.opType === 'MatMulNBits') {
      const [k, block] = [intAttribute(node, 'K'), intAttribute(node, 'block_size')];
      if (k % block !== 0)
        return `its 4-bit MatMuls have K = ${k}, not a multiple of their block size ${block}, which onnxruntime-web 1.30's WebGPU MatMulNBits computes wrongly (measured), so it runs on WASM`;
    }
    // The fused Attention of ORT-optimized exports takes the attention mask as its fourth input, which the WebGPU
    // kernel rejects at the first run ("Mask not supported").
    if (node.opType === 'Attention' && node.input?.[3])
      return 'its fused Attention takes an attention mask, which onnxruntime-web 1.30\'s WebGPU Attention kernel refuses ("Mask not supported"), so it runs on WASM';
  }
  return undefined;
}
