// A small builder for ONNX ModelProto graphs. Lacuna never trains models; it builds graphs to
// make model packs with a known contract (fixture packs for tests and benchmarks, deliberately
// broken packs for the loader's error paths) and to run the shipped tfjs detector on
// onnxruntime's kernels (lite/detect/tfGraphToOnnx.ts converts its graph in memory at load).
// Writing them in TypeScript keeps the project free of a Python toolchain and lets tests
// generate exactly the pack they need.
import { onnx, type OnnxTypes } from './onnxProto';

/** Element types the builder can declare; names match onnxruntime's tensor type strings. */
export type GraphDType = 'float32' | 'float16' | 'float64' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool';

/** A dimension: a fixed size, or a symbolic name that onnxruntime reports back as a string. */
export type GraphDim = number | string;

const DTYPE_CODE: Record<GraphDType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float16: onnx.TensorProto.DataType.FLOAT16,
  float64: onnx.TensorProto.DataType.DOUBLE,
  int64: onnx.TensorProto.DataType.INT64,
  int32: onnx.TensorProto.DataType.INT32,
  int8: onnx.TensorProto.DataType.INT8,
  uint8: onnx.TensorProto.DataType.UINT8,
  bool: onnx.TensorProto.DataType.BOOL,
};

export function dtypeCode(dtype: GraphDType): number {
  return DTYPE_CODE[dtype];
}

/** Typed array that holds initializer data for each element type (float16 as raw IEEE bits). */
export type InitializerData = Float32Array | Float64Array | Uint16Array | BigInt64Array | Int32Array | Int8Array | Uint8Array;

/**
 * An attribute value. Plain numbers and number arrays are INT/INTS when every value is an integer
 * and FLOAT/FLOATS otherwise; use `floatAttr` for a float attribute whose value happens to be whole
 * (alpha = 1), since ONNX checks attribute types strictly.
 */
export type AttrValue =
  | number
  | string
  | readonly number[]
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'tensor'; readonly value: OnnxTypes.ITensorProto };

export const floatAttr = (value: number): AttrValue => ({ kind: 'float', value });
export const floatsAttr = (value: readonly number[]): AttrValue => ({ kind: 'floats', value });

const AttrType = onnx.AttributeProto.AttributeType;

function toAttribute(name: string, value: AttrValue): OnnxTypes.IAttributeProto {
  if (typeof value === 'string') return { name, type: AttrType.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { name, type: AttrType.INT, i: value } : { name, type: AttrType.FLOAT, f: value };
  }
  if (Array.isArray(value)) {
    const ints = (value as readonly number[]).every((v) => Number.isInteger(v));
    return ints
      ? { name, type: AttrType.INTS, ints: [...(value as readonly number[])] }
      : { name, type: AttrType.FLOATS, floats: [...(value as readonly number[])] };
  }
  const tagged = value as Exclude<AttrValue, number | string | readonly number[]>;
  switch (tagged.kind) {
    case 'float':
      return { name, type: AttrType.FLOAT, f: tagged.value };
    case 'floats':
      return { name, type: AttrType.FLOATS, floats: [...tagged.value] };
    case 'tensor':
      return { name, type: AttrType.TENSOR, t: tagged.value };
  }
}

function valueInfo(name: string, dtype: GraphDType, shape: readonly GraphDim[] | undefined): OnnxTypes.IValueInfoProto {
  const tensorType: OnnxTypes.TypeProto.ITensor = { elemType: DTYPE_CODE[dtype] };
  if (shape) {
    tensorType.shape = {
      dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
    };
  }
  return { name, type: { tensorType } };
}

/** Raw little-endian bytes of a typed array (ONNX stores raw_data little-endian, as do x86 and ARM). */
function rawBytes(data: InitializerData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export interface BuildOptions {
  /** Default opset of the ai.onnx domain. Lacuna's packs use 17 (ORT 1.14+; ReduceMean axes as attribute). */
  opset?: number;
  producerName?: string;
  docString?: string;
}

export class GraphBuilder {
  private readonly nodes: OnnxTypes.INodeProto[] = [];
  private readonly inputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly outputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly used = new Set<string>();
  private counter = 0;
  readonly opset: number;

  constructor(
    readonly name: string,
    private readonly options: BuildOptions = {},
  ) {
    this.opset = options.opset ?? 17;
  }

  /** A fresh value name; graph values must be unique (SSA), so every node output gets one. */
  fresh(hint: string): string {
    let candidate: string;
    do candidate = `${hint}_${this.counter++}`;
    while (this.used.has(candidate));
    this.used.add(candidate);
    return candidate;
  }

  private claim(name: string): string {
    if (this.used.has(name)) throw new Error(`graph ${this.name}: value name "${name}" is already used`);
    this.used.add(name);
    return name;
  }

  /** Declares a graph input and returns its value name. */
  input(name: string, dtype: GraphDType, shape: readonly GraphDim[]): string {
    this.inputs.push(valueInfo(this.claim(name), dtype, shape));
    return name;
  }

  /**
   * Declares an input of type `declared` and returns a value of type `compute`, casting in
   * between. Fixture packs use this to make a float16 variant of a float32 graph: the file's
   * interface is float16 while the arithmetic stays float32, so both variants agree numerically.
   */
  inputAs(name: string, declared: GraphDType, shape: readonly GraphDim[], compute: GraphDType = declared): string {
    const value = this.input(name, declared, shape);
    return declared === compute ? value : this.cast(value, compute);
  }

  /**
   * Exposes `value` as graph output `name`. A graph output must be a value some node produces under
   * that exact name, so a differently named value is passed through Identity (or Cast when the
   * declared type differs from the computed one).
   */
  output(value: string, name: string, dtype: GraphDType, shape?: readonly GraphDim[], computed: GraphDType = dtype): void {
    if (value !== name || computed !== dtype) {
      this.claim(name);
      if (computed !== dtype) {
        this.nodes.push({ opType: 'Cast', input: [value], output: [name], name: `${name}_cast`, attribute: [toAttribute('to', DTYPE_CODE[dtype])] });
      } else {
        this.nodes.push({ opType: 'Identity', input: [value], output: [name], name: `${name}_identity` });
      }
    }
    this.outputs.push(valueInfo(name, dtype, shape));
  }

  /** Adds a constant tensor stored in the model file (weights, shape vectors, axes). */
  initializer(dtype: GraphDType, dims: readonly number[], data: InitializerData, name?: string): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (data.length !== count) {
      throw new Error(`graph ${this.name}: initializer ${name ?? ''} has ${data.length} values for dims [${dims.join(',')}]`);
    }
    const tensorName = name ? this.claim(name) : this.fresh('const');
    this.initializers.push({ name: tensorName, dataType: DTYPE_CODE[dtype], dims: [...dims], rawData: rawBytes(data) });
    return tensorName;
  }

  f32(dims: readonly number[], values: ArrayLike<number>, name?: string): string {
    return this.initializer('float32', dims, Float32Array.from(values), name);
  }

  /** A float32 scalar (rank 0), for broadcasting. */
  scalar(value: number, name?: string): string {
    return this.f32([], [value], name);
  }

  /** A 1-D int64 tensor: shapes, axes, starts/ends, as operators take them. */
  i64(values: readonly number[], name?: string): string {
    return this.initializer('int64', [values.length], BigInt64Array.from(values.map((v) => BigInt(v))), name);
  }

  /** Appends a node with one output and returns that output's name. */
  op(opType: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, outputName?: string): string {
    return this.opN(opType, inputs, 1, attrs, outputName ? [outputName] : undefined)[0];
  }

  /** Appends a node with `outputCount` outputs (Split, TopK ...). Empty input names mean "omitted". */
  opN(
    opType: string,
    inputs: readonly string[],
    outputCount: number,
    attrs: Record<string, AttrValue> = {},
    outputNames?: readonly string[],
  ): string[] {
    const outputs = outputNames ? outputNames.map((n) => this.claim(n)) : Array.from({ length: outputCount }, () => this.fresh(opType));
    this.nodes.push({
      opType,
      input: [...inputs],
      output: outputs,
      name: this.fresh(`${opType}_node`),
      attribute: Object.entries(attrs).map(([k, v]) => toAttribute(k, v)),
    });
    return outputs;
  }

  // Operator conveniences: the ones fixture graphs use, with opset-17 argument conventions.

  add(a: string, b: string): string {
    return this.op('Add', [a, b]);
  }

  sub(a: string, b: string): string {
    return this.op('Sub', [a, b]);
  }

  mul(a: string, b: string): string {
    return this.op('Mul', [a, b]);
  }

  matMul(a: string, b: string): string {
    return this.op('MatMul', [a, b]);
  }

  sigmoid(x: string): string {
    return this.op('Sigmoid', [x]);
  }

  tanh(x: string): string {
    return this.op('Tanh', [x]);
  }

  /** x * sigmoid(x): the SiLU activation diffusion U-Nets and VAEs use. */
  silu(x: string): string {
    return this.mul(x, this.sigmoid(x));
  }

  cast(x: string, to: GraphDType): string {
    return this.op('Cast', [x], { to: DTYPE_CODE[to] });
  }

  /** Conv over 1-3 spatial dims; `bias` optional. Attributes as in ONNX (pads, strides, dilations, group). */
  conv(x: string, weight: string, bias?: string, attrs: Record<string, AttrValue> = {}): string {
    return this.op('Conv', bias ? [x, weight, bias] : [x, weight], attrs);
  }

  transpose(x: string, perm: readonly number[]): string {
    return this.op('Transpose', [x], { perm });
  }

  /** Reshape to `shape` (0 copies the input's dim, -1 infers one dim). */
  reshape(x: string, shape: readonly number[] | string): string {
    return this.op('Reshape', [x, typeof shape === 'string' ? shape : this.i64(shape)]);
  }

  gather(data: string, indices: string, axis = 0): string {
    return this.op('Gather', [data, indices], { axis });
  }

  reduceMean(x: string, axes: readonly number[], keepdims = true): string {
    // ReduceMean took `axes` as an attribute up to opset 17 and as an input from opset 18.
    if (this.opset >= 18) return this.op('ReduceMean', [x, this.i64(axes)], { keepdims: keepdims ? 1 : 0 });
    return this.op('ReduceMean', [x], { axes, keepdims: keepdims ? 1 : 0 });
  }

  concat(xs: readonly string[], axis: number): string {
    return this.op('Concat', xs, { axis });
  }

  slice(x: string, starts: readonly number[], ends: readonly number[], axes: readonly number[], steps?: readonly number[]): string {
    const inputs = [x, this.i64(starts), this.i64(ends), this.i64(axes)];
    if (steps) inputs.push(this.i64(steps));
    return this.op('Slice', inputs);
  }

  unsqueeze(x: string, axes: readonly number[]): string {
    return this.op('Unsqueeze', [x, this.i64(axes)]);
  }

  squeeze(x: string, axes: readonly number[]): string {
    return this.op('Squeeze', [x, this.i64(axes)]);
  }

  /**
   * Resize by per-axis scale factors. Nearest mode uses asymmetric coordinates with floor, so
   * output index i reads input index floor(i / scale): a plain pixel-replicating upsample whose
   * result a reference implementation can reproduce exactly.
   */
  resize(x: string, scales: readonly number[], mode: 'nearest' | 'linear' = 'nearest'): string {
    const attrs: Record<string, AttrValue> =
      mode === 'nearest'
        ? { mode, coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }
        : { mode, coordinate_transformation_mode: 'half_pixel' };
    const scaleTensor = this.f32([scales.length], scales);
    return this.op('Resize', [x, '', scaleTensor], attrs);
  }

  averagePool(x: string, kernel: readonly number[], strides: readonly number[] = kernel): string {
    return this.op('AveragePool', [x], { kernel_shape: kernel, strides });
  }

  toModel(): OnnxTypes.ModelProto {
    return onnx.ModelProto.create({
      // IR 8 is the newest onnx-proto 8 knows and the one opset 17 was released with.
      irVersion: 8,
      opsetImport: [{ domain: '', version: this.opset }],
      producerName: this.options.producerName ?? 'lacuna',
      docString: this.options.docString ?? '',
      graph: {
        name: this.name,
        node: this.nodes,
        input: this.inputs,
        output: this.outputs,
        initializer: this.initializers,
      },
    });
  }

  /** The serialized model, ready to write to `<name>.onnx` or hand to InferenceSession.create. */
  toBytes(): Uint8Array {
    return onnx.ModelProto.encode(this.toModel()).finish();
  }

  /**
   * The model with its large initializers moved to a separate external-data file, as exporters
   * must do for models over protobuf's 2 GB limit (the real LGVI U-Net). `location` is the data
   * file's name relative to the model; onnxruntime resolves it beside the model file, so such a
   * model must be loaded from a path, not from bytes. Tensors start on 4 KiB boundaries so
   * onnxruntime can memory-map them.
   */
  toBytesWithExternalData(location: string, minBytes = 1024): { model: Uint8Array; data: Uint8Array } {
    const model = this.toModel();
    const chunks: Uint8Array[] = [];
    let offset = 0;
    for (const tensor of model.graph?.initializer ?? []) {
      const raw = tensor.rawData;
      if (!raw || raw.length < minBytes) continue;
      const padding = (4096 - (offset % 4096)) % 4096;
      if (padding) chunks.push(new Uint8Array(padding));
      offset += padding;
      tensor.externalData = [
        { key: 'location', value: location },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(raw.length) },
      ];
      tensor.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
      tensor.rawData = new Uint8Array(0);
      chunks.push(raw);
      offset += raw.length;
    }
    const data = new Uint8Array(offset);
    let at = 0;
    for (const c of chunks) {
      data.set(c, at);
      at += c.length;
    }
    return { model: onnx.ModelProto.encode(model).finish(), data };
  }
}
