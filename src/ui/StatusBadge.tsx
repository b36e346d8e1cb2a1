/** The lifecycle and the backend in use: adapter, threads, dtype and, after a fallback, the reason. */
import { useStore } from '../state/store.ts';

const LABEL = {
  idle: 'idle',
  loading: 'loading',
  warming: 'warming up',
  ready: 'ready',
  running: 'running',
  error: 'error',
} as const;

export function StatusBadge() {
  const lifecycle = useStore((s) => s.lifecycle);
  const backend = useStore((s) => s.backend);
  const info = useStore((s) => s.info);
  const dtype = useStore((s) => s.dtype);
  return (
    <div className="status" data-testid="status">
      <span
        className={`lifecycle lifecycle-${lifecycle}`}
        data-testid="status.lifecycle"
        data-state={lifecycle}
      >
        {LABEL[lifecycle]}
      </span>
      {backend && (
        <span className="backend" data-testid="status.backend" data-backend={backend.name}>
          {backend.name === 'webgpu' ? 'WebGPU' : backend.name === 'wasm' ? 'WASM' : backend.name}
          {backend.adapter && backend.name === 'webgpu' && ` · ${backend.adapter}`}
          {backend.threads !== undefined &&
            backend.name !== 'webgpu' &&
            ` · ${backend.threads} thread${backend.threads === 1 ? '' : 's'}`}
          {info &&
            ` · ${dtype}${info.quantized ? ' (int8 weights)' : info.computeType === 'float16' ? ' (half precision)' : ''}`}
        </span>
      )}
      {backend?.fallbackReason && (
        <span className="fallback" data-testid="status.fallback">
          Not on WebGPU: {backend.fallbackReason}
        </span>
      )}
    </div>
  );
}
