/**
 * SGD with (Nesterov) momentum whose per-variable update is one kernel where the backend has it
 * (`ArcfaceMomentumUpdate` on `native`: three passes, see lib/backend/native/momentum_update.ts)
 * and tfjs' own `MomentumOptimizer` everywhere else. Same formulas, slots, slot names and
 * `getWeights` / `setWeights` as the stock optimiser, so checkpoints do not depend on which path
 * ran.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { MOMENTUM_UPDATE, type MomentumUpdateAttrs } from "../backend/native/momentum_update.ts";

/** One named gradient (tfjs-core's `NamedTensor`, not exported from its index). */
type NamedGradient = { name: string; tensor: tf.Tensor };
type VariableGradients = Parameters<tf.MomentumOptimizer["applyGradients"]>[0];

/** The stock optimiser's private state this class shares (tfjs-core 4.x field names). */
interface MomentumFields {
  accumulations: { originalName: string; variable: tf.Variable }[];
  momentum: number;
  useNesterov: boolean;
  learningRate: number;
}

/** tfjs' `MomentumOptimizer`, with the fused update on backends that register it. */
export class FusedMomentumOptimizer extends tf.MomentumOptimizer {
  /** Whether the current backend runs the fused update (else the stock one runs). */
  static fused(): boolean {
    return tf.getKernel(MOMENTUM_UPDATE, tf.getBackend()) !== undefined;
  }

  /** See tfjs' `MomentumOptimizer.applyGradients`; the same update. */
  override applyGradients(
    variableGradients: VariableGradients,
  ): void {
    if (!FusedMomentumOptimizer.fused()) return super.applyGradients(variableGradients);
    const self = this as unknown as MomentumFields;
    const list = Array.isArray(variableGradients);
    const names = list
      ? (variableGradients as NamedGradient[]).map((g) => g.name)
      : Object.keys(variableGradients);
    const attrs: MomentumUpdateAttrs = {
      momentum: self.momentum,
      learningRate: self.learningRate,
      nesterov: self.useNesterov,
    };
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name];
      // Slot i belongs to the i-th variable, as in the stock optimiser (and its checkpoints).
      self.accumulations[i] ??= {
        originalName: `${name}/momentum`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      };
      const accumulation = self.accumulations[i].variable;
      const gradient = list
        ? (variableGradients as NamedGradient[])[i].tensor
        : (variableGradients as Record<string, tf.Tensor>)[name];
      if (gradient == null) return;
      const [newValue, newAccum] = tf.engine().runKernel(
        MOMENTUM_UPDATE,
        { value, accumulation, gradient },
        attrs,
      ) as tf.Tensor[];
      accumulation.assign(newAccum);
      value.assign(newValue);
      tf.dispose([newValue, newAccum]);
    });
    this.incrementIterations();
  }
}
