import type { ActivationKind, Backend, Mat } from '../backend';

/**
 * Elementwise nonlinearity a = f(z). Backward is dz = da ⊙ f'(z), with sigmoid's f' = a(1 − a),
 * tanh's 1 − a² and relu's [z > 0].
 */
export class Activation {
  readonly a: Mat;
  readonly dz: Mat;
  private z: Mat | null = null;

  constructor(
    private readonly backend: Backend,
    readonly kind: ActivationKind,
    width: number,
    capacity: number,
  ) {
    this.a = backend.matrix(capacity, width);
    this.dz = backend.matrix(capacity, width);
  }

  forward(z: Mat, rows: number): Mat {
    this.z = z;
    this.backend.activation(this.kind, z, this.a, rows);
    return this.a;
  }

  backward(da: Mat, rows: number): Mat {
    if (!this.z) throw new Error('Activation.backward before forward');
    this.backend.activationBackward(this.kind, this.z, this.a, da, this.dz, rows);
    return this.dz;
  }
}
