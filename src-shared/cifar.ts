/** The CIFAR-10 binary format, shared by the reader, the engine and the UI's gallery. */
export const CIFAR = {
  /** 1 label byte + 32×32 pixels × 3 colour planes (R, G, B), rows top to bottom. */
  recordBytes: 3073,
  pixelBytes: 3072,
  planeBytes: 1024,
  channels: 3,
  side: 32,
  classes: 10,
  trainFiles: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  testFile: 'test_batch.bin',
  metaFile: 'batches.meta.txt',
  folder: 'cifar-10-batches-bin',
} as const;

/** Class names in label order, as in batches.meta.txt of the official archive. */
export const CIFAR_CLASS_NAMES = [
  'airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck',
] as const;
