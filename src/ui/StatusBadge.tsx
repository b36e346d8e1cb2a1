/**
 * The lifecycle and what ran: backend (adapter or threads), the file and its precision, why that file (what
 * `auto` weighed), when it is not WebGPU, why, and when the page is not cross-origin isolated, why and what it costs.
 */
import { useStore } from '../state/store.ts';

const LABEL = {
  idle: 'idle',
  loading: 'loading',
  warming: 'warming up',
  ready: 'ready',
  running: 'running',
  error: 'error',
} as const;

/** What running without cross-origin isolation costs: WASM gets one thread instead of the engine's usual number. */
export function isolationCost(reason: string, cores: number): string {
  const threads = Math.min(4, cores);
  const cost =
    threads > 1
      ? `WASM runs on 1 thread instead of ${threads}, up to ${threads}× slower`
      : 'WASM runs on 1 thread, which this one-core device would use anyway';
  return `Not cross-origin isolated: ${reason}. ${cost}.`;
}

export function StatusBadge() {
  const lifecycle = useStore((s) => s.lifecycle);
  const backend = useStore((s) => s.backend);
  const info = useStore((s) => s.info);
  const isolation = useStore((s) => s.isolation);
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
        </span>
      )}
      {info && (
        <span
          className="file"
          data-testid="status.dtype"
          data-dtype={info.precision.kind}
          title={`${info.modelFile}: ${info.precision.summary}`}
        >
          {info.dtype ?? `${info.modelFile.replace(/^onnx\//, '')} (${info.precision.kind})`}
          <small data-testid="status.file-reason"> — {info.fileReason}</small>
        </span>
      )}
      {isolation && !isolation.isolated && (
        <span className="fallback" data-testid="status.isolation">
          {isolationCost(isolation.reason ?? 'unknown reason', navigator.hardwareConcurrency || 1)}
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
