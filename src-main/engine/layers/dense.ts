import type { Backend, Mat } from '../backend';

/** A parameter tensor, its gradient and its L2 multiplier (λ for weights, 0 for biases). */
export interface ParamGroup {
  readonly name: string;
  readonly param: Mat;
  readonly grad: Mat;
  readonly l2: number;
}

/**
 * Fully connected layer z = x·W + b, W of shape fan_in × fan_out. Backward follows the report:
 * dW = xᵀ·dz, db = Σ dz, dx = dz·Wᵀ (skipped for the first layer, whose input needs no gradient).
 */
export class Dense {
  readonly w: Mat;
  readonly b: Mat;
  readonly dw: Mat;
  readonly db: Mat;
  readonly z: Mat;
  readonly dx: Mat | null;
  private x: Mat | null = null;

  constructor(
    private readonly backend: Backend,
    readonly fanIn: number,
    readonly fanOut: number,
    capacity: number,
    needsInputGrad: boolean,
  ) {
    this.w = backend.weights(fanIn, fanOut);
    this.b = backend.vector(fanOut);
    this.dw = backend.weights(fanIn, fanOut);
    this.db = backend.vector(fanOut);
    this.z = backend.matrix(capacity, fanOut);
    this.dx = needsInputGrad ? backend.matrix(capacity, fanIn) : null;
  }

  forward(x: Mat, rows: number): Mat {
    this.x = x;
    this.backend.linear(x, this.w, this.b, this.z, rows);
    return this.z;
  }

  /** Takes dL/dz, fills dw and db, returns dL/dx (or null for the first layer). */
  backward(dz: Mat, rows: number): Mat | null {
    if (!this.x) throw new Error('Dense.backward before forward');
    this.backend.linearBackward(this.x, this.w, dz, this.dw, this.db, this.dx, rows);
    return this.dx;
  }

  params(index: number, l2: number): ParamGroup[] {
    return [
      { name: `W${index}`, param: this.w, grad: this.dw, l2 },
      { name: `b${index}`, param: this.b, grad: this.db, l2: 0 },
    ];
  }
}
