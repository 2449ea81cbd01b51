/**
 * Section 2.3: sections 1 and 2 side by side, ours and the log's.
 *
 * @module
 */
import { type Displayable, groupedBars, htmlTable, percent } from "../display/mod.ts";
import type { NotebookProfile } from "./profiles.ts";
import { LOG_BASELINE, LOG_KFACE, LOG_REPRODUCE, LOG_SETS } from "./research_log.ts";
import { finalEval, type SectionRun } from "./training.ts";

function accuracyOf(run: SectionRun, spec: string, label: string): number | null {
  const sets = finalEval(run)?.sets ?? [];
  return sets.find((s) => s.set === spec || s.set === label)?.accuracy ?? null;
}

/** A table: one row per set, ours (sections 1 and 2) and the log's (sections 1 and 2). */
export function sectionsTable(
  profile: NotebookProfile,
  s1: SectionRun,
  s2: SectionRun,
): Displayable {
  const p = percent(2);
  const fmt = (x: number | null) => (x === null ? null : p(x));
  const rows = profile.sets.map((set) => ({
    set: set.label,
    "ours: 1 (reproduce) %": fmt(accuracyOf(s1, set.spec, set.label)),
    [`ours: 2 (+ ${profile.secondSet.label}) %`]: fmt(accuracyOf(s2, set.spec, set.label)),
    "log: 1 %": set.logKey ? p(LOG_REPRODUCE[set.logKey]) : null,
    "log: 2 (+ K-Face) %": set.logKey ? p(LOG_KFACE[set.logKey]) : null,
  }));
  const logOnly = LOG_SETS.filter((l) => !profile.sets.some((s) => s.logKey === l.key)).map((
    l,
  ) => ({
    set: `${l.label} (log only)`,
    "ours: 1 (reproduce) %": null,
    [`ours: 2 (+ ${profile.secondSet.label}) %`]: null,
    "log: 1 %": p(LOG_REPRODUCE[l.key]),
    "log: 2 (+ K-Face) %": p(LOG_KFACE[l.key]),
  }));
  return htmlTable([...rows, ...logOnly], {
    caption: "Sections 1 and 2: verification accuracy, ours and the research log's" +
      (profile.name === "paper" ? "" : " (different data and scale: compare within a column pair)"),
  });
}

/** Grouped bars of the same numbers: ours (1, 2) and the log's (1, 2) per set. */
export function sectionsChart(
  profile: NotebookProfile,
  s1: SectionRun,
  s2: SectionRun,
): Displayable {
  const cats = [
    ...profile.sets.map((s) => s.label),
    ...LOG_SETS.filter((l) => !profile.sets.some((s) => s.logKey === l.key)).map((l) =>
      `${l.label} (log only)`
    ),
  ];
  const ours = (run: SectionRun) => [
    ...profile.sets.map((s) => accuracyOf(run, s.spec, s.label)),
    ...cats.slice(profile.sets.length).map(() => null),
  ];
  const logKeys = [
    ...profile.sets.map((s) => s.logKey),
    ...LOG_SETS.filter((l) => !profile.sets.some((s) => s.logKey === l.key)).map((l) => l.key),
  ];
  return groupedBars(cats, [
    { name: "ours: 1 reproduce", values: ours(s1) },
    { name: `ours: 2 + ${profile.secondSet.label}`, values: ours(s2) },
    { name: "log: 1 reproduce", values: logKeys.map((k) => (k ? LOG_REPRODUCE[k] : null)) },
    { name: "log: 2 + K-Face", values: logKeys.map((k) => (k ? LOG_KFACE[k] : null)) },
  ], { title: "Sections 1 and 2 side by side", range: [0.4, 1] });
}

/**
 * The log's result numbers of a section (1.2 / 2.2) and their counterpart: ours at the end of
 * training, beside the log's same section and the one before it (section 1: the downloaded
 * model of section 0; section 2: the re-training of section 1).
 */
export function sectionResultTable(
  profile: NotebookProfile,
  run: SectionRun,
  section: "reproduce" | "kface",
): Displayable {
  const p = percent(2);
  const ev = finalEval(run);
  const [logHere, logBefore, hereName, beforeName] = section === "reproduce"
    ? [LOG_REPRODUCE, LOG_BASELINE, "log: 1 re-trained %", "log: 0 downloaded %"]
    : [LOG_KFACE, LOG_REPRODUCE, "log: 2 + K-Face %", "log: 1 re-trained %"];
  const rows = profile.sets.map((set) => {
    const s = ev?.sets.find((x) => x.set === set.spec || x.set === set.label);
    return {
      set: set.label,
      step: ev?.step ?? null,
      "ours %": s ? `${p(s.accuracy)} ± ${p(s.std)}` : null,
      AUC: s ? s.auc.toFixed(4) : null,
      [hereName]: set.logKey ? p(logHere[set.logKey]) : null,
      [beforeName]: set.logKey ? p(logBefore[set.logKey]) : null,
    };
  });
  return htmlTable(rows, {
    caption: `Section ${section === "reproduce" ? 1 : 2}: verification after training, ours ` +
      `and the log's`,
  });
}
