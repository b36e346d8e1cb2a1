/**
 * Which file of the folder runs: `auto` or one of the files the folder really has (dtype files with their
 * download size, weights and where they run; other ONNX files by name), and a table that says why each runs
 * where it does.
 */
import { DTYPE_FACTS } from '../../engine/dtypes.ts';
import type { OnnxFileInfo } from '../../engine/modelFiles.ts';
import { useStore } from '../../state/store.ts';
import { useController } from '../controllerContext.ts';
import { formatBytes } from '../../shared/format.ts';
import { weightsOptions, whereItRuns } from './files.ts';

export function WeightsSelect({ files }: { files: OnnxFileInfo[] | undefined }) {
  const controller = useController();
  const choice = useStore((s) => s.choice);
  const dtype = useStore((s) => s.dtype);
  const modelFile = useStore((s) => s.modelFile);
  const options = weightsOptions(files);
  const value = modelFile ? `file:${modelFile}` : dtype;
  // A file from the URL that the listing lacks still shows as chosen (its load error says what is there).
  if (!options.some((o) => o.value === value))
    options.push({ value, label: modelFile ?? dtype, path: modelFile ?? '' });
  const pick = (next: string) => {
    if (!choice) return;
    if (next.startsWith('file:')) void controller.load(choice, { modelFile: next.slice(5) });
    else void controller.load(choice, { dtype: next as typeof dtype });
  };
  const dtypeFiles = options.filter((o) => o.dtype);
  return (
    <>
      <label>
        Weights{' '}
        <select data-testid="model.dtype" value={value} onChange={(e) => pick(e.target.value)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <details className="dtype-table" data-testid="model.dtype-table">
        <summary>
          {files
            ? `This folder's ${files.length} ONNX file${files.length === 1 ? '' : 's'}`
            : 'The eight dtypes'}
          : where each runs, and why
        </summary>
        <table>
          <thead>
            <tr>
              <th>dtype</th>
              <th>file</th>
              <th>size</th>
              <th>weights</th>
              <th>runs on</th>
              <th>why</th>
            </tr>
          </thead>
          <tbody>
            {dtypeFiles.map((o) => (
              <tr key={o.value} data-testid="model.dtype-row" data-dtype={o.dtype}>
                <td>{o.dtype}</td>
                <td>{o.path}</td>
                <td>{o.size !== undefined ? formatBytes(o.size) : '?'}</td>
                <td>{DTYPE_FACTS[o.dtype!].weights}</td>
                <td>{whereItRuns(o.dtype!)}</td>
                <td>{DTYPE_FACTS[o.dtype!].why}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {!files && (
          <p className="hint">
            This folder's file list is not known (it could not be listed): every dtype is offered, and a
            missing one says so when it loads.
          </p>
        )}
      </details>
    </>
  );
}
