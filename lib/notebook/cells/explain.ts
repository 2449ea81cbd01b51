/**
 * The mechanics the log is about, as one markdown cell per notebook, every value read from
 * what actually ran (the resolved config, the evaluation report), never typed: the ArcFace
 * margin, scale and loss (sections 1 and 2) and how the 10-fold threshold is picked (section 0).
 *
 * @module
 */
import { totalSteps, type TrainConfig } from "../../config/mod.ts";
import { accuracyThresholds, type EvalReport } from "../../eval/mod.ts";
import { MARGIN_ACCURACY_SHOWN_ABOVE } from "../display/charts.ts";
import { type Displayable, markdownOutput } from "../display/mod.ts";

const deg = (rad: number) => (rad * 180) / Math.PI;

/**
 * How the head turns embeddings into the loss, with `config`'s margin, scale, sizes, decay and
 * schedule; for a NormHead config, the plain softmax it is instead.
 */
export function arcfaceExplanation(config: TrainConfig): Displayable {
  const steps = totalSteps(config);
  const decay = config.weight_decay_scope === "all"
    ? "every trainable weight"
    : "the embedding layer's kernel (arcface-tf2's choice)";
  const common = `The loss also holds an L2 weight decay of ${config.w_decay} on ${decay}. ` +
    `SGD (momentum ${config.momentum}${config.nesterov ? ", Nesterov" : ""}) starts at ` +
    `learning rate ${config.base_lr} (\`${config.lr_schedule}\` schedule) for ${steps} steps of ` +
    `${config.batch_size} images.`;
  if (config.head_type !== "ArcHead") {
    return markdownOutput(
      `**The head and the loss** (\`${config.sub_name}\`'s resolved config). ` +
        `\`${config.head_type}\`: a plain dense layer maps the ${config.embd_shape}-number ` +
        `embedding to ${config.num_classes} class logits, trained with softmax cross-entropy ` +
        `(no angular margin). ${common}`,
    );
  }
  const m = config.margin, s = config.logit_scale;
  return markdownOutput([
    `**The ArcFace head and its loss** (values from \`${config.sub_name}\`'s resolved config).`,
    "",
    `- The network maps each face to an embedding *x* of ${config.embd_shape} numbers; the head ` +
    `holds one centre *W_j* per identity (${
      config.num_classes.toLocaleString("en-US")
    } of them). Both are L2-normalised, ` +
    `so *x · W_j* = cos θ_j, θ_j being the angle between the face and identity *j*.`,
    `- The logits are *s* · cos(θ_y + *m*) for the face's own identity *y* and *s* · cos θ_j for ` +
    `the others, with margin **m = ${m} rad (${deg(m).toFixed(1)}°)** and scale **s = ${s}**; ` +
    `the loss is their softmax cross-entropy. The own centre must be nearer than every other ` +
    `by ${deg(m).toFixed(1)}° before the loss gets low: that is what pulls each identity's ` +
    `faces together and pushes identities apart. (Where θ_y + m would pass 180°, i.e. ` +
    `cos θ_y ≤ cos(π − m) = ${Math.cos(Math.PI - m).toFixed(3)}, the target logit is ` +
    `*s* · (cos θ_y − ${(m * Math.sin(m)).toFixed(3)}) instead, as in arcface-tf2.)`,
    `- ${common}`,
    `- The charts below follow what the margin moves: the **mean target angle θ_y** (random ` +
    `directions in ${config.embd_shape} dimensions are almost orthogonal, so it starts near ` +
    `90°), and the **batch accuracy of the plain cosines** (is the own centre the nearest?). ` +
    `The accuracy with the margin (nearest by ${deg(m).toFixed(1)}°) is drawn only where it ` +
    `rises above ${100 * MARGIN_ACCURACY_SHOWN_ABOVE}%.`,
  ].join("\n"));
}

/**
 * How section 0's accuracy and threshold are found, with this evaluation's numbers: the
 * threshold grid, the folds, and each set's chosen thresholds.
 */
export function thresholdExplanation(report: EvalReport): Displayable {
  const grid = accuracyThresholds();
  const step = grid[1] - grid[0];
  const rows = report.sets.map((s) => {
    const t = s.metrics.bestThresholds;
    return `| ${s.set} | ${s.pairs} | ${t.length} | ${Math.min(...t).toFixed(2)} – ` +
      `${Math.max(...t).toFixed(2)} | ${s.metrics.meanThreshold.toFixed(3)} | ` +
      `${(100 * s.metrics.accuracy).toFixed(2)} ± ${(100 * s.metrics.std).toFixed(2)} |`;
  });
  const folds = report.sets[0]?.metrics.bestThresholds.length ?? 0;
  return markdownOutput([
    `**How the accuracy and its threshold are found** (insightface's protocol; the numbers are ` +
    `this evaluation's).`,
    "",
    `- Each image${
      report.flip ? " and its mirror image are embedded and summed" : " is embedded"
    }` +
    `, then L2-normalised. A pair's distance is the squared L2 distance of its two embeddings ` +
    `(0: same direction, 2: orthogonal, 4: opposite); the pair is called "same person" when ` +
    `the distance is below a threshold *t*.`,
    `- The pairs are cut into ${folds} folds. For each fold, every one of the ${grid.length} ` +
    `thresholds ${grid[0].toFixed(2)}, ${grid[1].toFixed(2)}, …, ` +
    `${grid.at(-1)!.toFixed(2)} (step ${step.toFixed(2)}) is tried on the other ${folds - 1} ` +
    `folds; the most accurate one (the lowest on a tie) is kept and scored on the held-out ` +
    `fold, which never saw it chosen.`,
    `- The accuracy is the mean of the ${folds} held-out accuracies, ± their standard ` +
    `deviation; "the threshold" is the mean of the ${folds} chosen ones (the line in the ` +
    `histogram below; the band spans the folds' choices).`,
    "",
    "| set | pairs | folds | chosen thresholds | mean threshold | accuracy % |",
    "| --- | ---: | ---: | --- | ---: | --- |",
    ...rows,
  ].join("\n"));
}
