// Checks a loaded ONNX model against what the manifest says it is. The manifest can be wrong (a
// hand-edited file, an export script that renamed a tensor), and onnxruntime's own error for a
// misnamed feed arrives only at the first run, minutes into a job; this catches it when the session
// is created and names the file and the tensor.
import type { InferenceSession } from 'onnxruntime-node';
import { formatShape } from './contract';
import type { ModelVariant, TensorSpec } from './manifest';

/** The parts of an InferenceSession the check reads (all a test double needs to provide). */
export type SessionSignature = Pick<InferenceSession, 'inputNames' | 'outputNames'> &
  Partial<Pick<InferenceSession, 'inputMetadata' | 'outputMetadata'>>;

export interface TensorProblem {
  readonly tensor: string;
  readonly message: string;
}

type Metadata = InferenceSession.ValueMetadata;

function checkMetadata(kind: 'input' | 'output', spec: TensorSpec, meta: Metadata | undefined, problems: TensorProblem[]): void {
  if (!meta) return; // older onnxruntime builds expose names only
  if (!meta.isTensor) {
    problems.push({ tensor: spec.name, message: `${kind} "${spec.name}" is not a tensor in the model` });
    return;
  }
  if (meta.type !== spec.dtype) {
    problems.push({ tensor: spec.name, message: `${kind} "${spec.name}" is ${meta.type} in the model but ${spec.dtype} in the manifest` });
  }
  // onnxruntime reports an unknown shape as []; only a known rank can be compared.
  if (meta.shape.length === 0 && spec.shape.length > 0) return;
  if (meta.shape.length !== spec.shape.length) {
    problems.push({
      tensor: spec.name,
      message: `${kind} "${spec.name}" has rank ${meta.shape.length} ${formatShape(meta.shape)} in the model but rank ${spec.shape.length} ${formatShape(spec.shape)} in the manifest`,
    });
    return;
  }
  spec.shape.forEach((want, i) => {
    const got = meta.shape[i];
    if (typeof got !== 'number') return; // symbolic in the model: accepts whatever the manifest says
    if (typeof want === 'number' && got !== want) {
      problems.push({ tensor: spec.name, message: `${kind} "${spec.name}" dim ${i} is ${got} in the model but ${want} in the manifest` });
    } else if (typeof want === 'string') {
      problems.push({
        tensor: spec.name,
        message: `${kind} "${spec.name}" dim ${i} is fixed at ${got} in the model but the manifest declares it variable (${want}); export it as a dynamic axis or write ${got} in the manifest`,
      });
    }
  });
}

/**
 * Problems between a session and the manifest variant it was loaded for. Inputs must match
 * exactly (onnxruntime requires every input fed); outputs the manifest lists must exist, while
 * extra model outputs (a CLIP export's pooler_output) are harmless because only listed ones are fetched.
 */
export function checkSessionSignature(session: SessionSignature, variant: ModelVariant): TensorProblem[] {
  const problems: TensorProblem[] = [];
  const sides = [
    ['input', variant.inputs, session.inputNames, session.inputMetadata],
    ['output', variant.outputs, session.outputNames, session.outputMetadata],
  ] as const;
  for (const [kind, specs, names, metadata] of sides) {
    for (const spec of specs) {
      if (!names.includes(spec.name)) {
        problems.push({
          tensor: spec.name,
          message: `${kind} "${spec.name}" is not in the model (its ${kind}s: ${names.join(', ') || 'none'})`,
        });
        continue;
      }
      checkMetadata(kind, spec, metadata?.find((m) => m.name === spec.name), problems);
    }
  }
  for (const name of session.inputNames) {
    if (!variant.inputs.some((s) => s.name === name)) {
      problems.push({ tensor: name, message: `the model has an input "${name}" that the manifest does not list` });
    }
  }
  return problems;
}
