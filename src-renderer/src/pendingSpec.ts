import { shallowRef } from 'vue';
import type { SweepSpecInput } from '../../src-shared/sweep';

/** A spec handed to the New experiment form by another view ("clone config into a new experiment"). */
export const pendingSpec = shallowRef<SweepSpecInput | null>(null);
