// The same tfjs-core instance the detector loads (tests read its tensor count).
export * as tf from '@tensorflow/tfjs-core';
