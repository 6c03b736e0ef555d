// onnx-proto ships CommonJS (`module.exports = $root`), which Node's ESM loader exposes only as a
// default export; importing it here once keeps that interop detail out of every other file.
import onnxProto from 'onnx-proto';

export const onnx = onnxProto.onnx;
export type { onnx as OnnxTypes } from 'onnx-proto';
