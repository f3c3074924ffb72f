// Entry of the kernels module. Memory is managed by the host: it bump-allocates above
// heapBase() and passes byte addresses; nothing here allocates.
export { gemmXW, gemmAW } from "./gemmForward";
export { gemmTX, gemmTA, gemmNT, panelize, colSum } from "./gemmBackward";
export { activationForward, activationBackward, softmaxCrossEntropy } from './elementwise';
export { sgdStep, adamStep, sumSquares } from './optim';
export { bytesToFloat } from './batch';

/** First free byte after the module's static data; the host allocates from here. */
export function heapBase(): usize {
  return __heap_base;
}
