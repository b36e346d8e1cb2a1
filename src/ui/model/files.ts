/**
 * What the weights menu offers for the folder in view: its own ONNX files when they are known (the loaded
 * model's listing, or the site manifest), else every dtype by name. Pure, so it is tested without React.
 */
import { DTYPE_FACTS, DTYPES, type Dtype } from '../../engine/dtypes.ts';
import type { OnnxFileInfo } from '../../engine/modelFiles.ts';
import { formatBytes } from '../../shared/format.ts';

export interface WeightsOption {
  /** `auto`, a dtype, or `file:<path>` for an ONNX file that is not a dtype's. */
  value: string;
  label: string;
  /** Where it runs and why, for the table under the menu. */
  dtype?: Dtype;
  path: string;
  size?: number;
}

/** Where a dtype runs, in a few words. */
export function whereItRuns(dtype: Dtype): string {
  const webgpu = DTYPE_FACTS[dtype].webgpu;
  return webgpu === 'yes'
    ? 'WebGPU or WASM'
    : webgpu === 'shader-f16'
      ? 'WebGPU with shader-f16, or WASM'
      : 'WASM only';
}

const size = (f: OnnxFileInfo) => (f.size !== undefined ? ` · ${formatBytes(f.size)}` : '');

/** The menu's options: `auto` first, then the folder's dtype files, then its other ONNX files. */
export function weightsOptions(files: OnnxFileInfo[] | undefined): WeightsOption[] {
  const listed: OnnxFileInfo[] = files ?? DTYPES.map((d) => ({ path: DTYPE_FACTS[d].file, dtype: d }));
  return [
    { value: 'auto', label: 'auto (the fastest faithful file for this machine)', path: '' },
    ...listed.map((f) =>
      f.dtype
        ? {
            value: f.dtype,
            label: `${f.dtype}${size(f)} · ${DTYPE_FACTS[f.dtype].weights} · ${whereItRuns(f.dtype)}`,
            dtype: f.dtype,
            path: f.path,
            ...(f.size !== undefined && { size: f.size }),
          }
        : {
            value: `file:${f.path}`,
            label: `${f.path.replace(/^onnx\//, '')}${size(f)}`,
            path: f.path,
            ...(f.size !== undefined && { size: f.size }),
          },
    ),
  ];
}
