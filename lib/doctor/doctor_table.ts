/**
 * The doctor's report as text for people: one titled table per section, then the problems with
 * their fixes and a summary line.
 *
 * @module
 */
import { textTable } from "../format/text_table.ts";
import { CUDA_LIBS } from "../backend/tfjs_node/mod.ts";
import { type DoctorReport, gib } from "./doctor_report.ts";

/** The report's section titles, in order (tests check each is rendered). */
export const DOCTOR_SECTIONS = [
  "Versions",
  "Backends",
  "WebGPU adapters",
  "NVIDIA GPUs",
  "tensorflow backend (tfjs-node)",
  "CUDA / cuDNN libraries libtensorflow 2.9.1 needs",
  "System",
  "Data of each profile",
  "Debian packages",
  "Problems",
] as const;

/** PCI vendor ids WebGPU reports as numbers. */
const VENDORS: Record<number, string> = {
  0x10de: "NVIDIA",
  0x1002: "AMD",
  0x8086: "Intel",
  0x10005: "Mesa",
  0x13b5: "ARM",
  0x5143: "Qualcomm",
};

/** "4318" -> "NVIDIA (0x10de)"; names stay as they are. */
export function vendorName(vendor: string): string {
  if (!/^\d+$/.test(vendor)) return vendor || "-";
  const id = Number(vendor);
  const hex = `0x${id.toString(16)}`;
  return VENDORS[id] ? `${VENDORS[id]} (${hex})` : hex;
}

/** The first sentence of a long message (the table; --json keeps all of it). */
function firstSentence(s: string): string {
  const i = s.indexOf(". ");
  return i > 0 ? s.slice(0, i + 1) : s;
}

/** The summary line: `N problems` (or `no problems`). */
export function doctorSummary(report: DoctorReport): string {
  const n = report.problems.length;
  return n === 0
    ? "doctor: no problems"
    : `doctor: ${n} problem${n === 1 ? "" : "s"} (fixes above)`;
}

/** Renders the report as titled text tables plus the problems and the summary line. */
export function renderDoctorTable(report: DoctorReport): string {
  const out: string[] = [];
  const section = (title: string, body: string) => out.push(`## ${title}\n\n${body}\n`);
  const v = report.versions;
  const ver = (x: string | null) => x ?? "-";
  section(
    "Versions",
    textTable(
      ["component", "installed", "pinned (package.json)"],
      [v.deno, ...v.tfjs].map((p) => [p.name, ver(p.installed), ver(p.pinned)]),
    ),
  );
  section(
    "Backends",
    textTable(
      ["backend", "available", "detail"],
      report.backends.map((b) => [b.name, b.available ? "yes" : "no", firstSentence(b.detail)]),
    ) + `\n\nauto picks ${report.auto.backend}: ${report.auto.why}`,
  );
  const w = report.webgpu;
  section(
    "WebGPU adapters",
    w.adapters.length
      ? textTable(
        ["adapter", "vendor", "architecture", "kind"],
        w.adapters.map((a) => [
          a.name,
          vendorName(a.vendor),
          a.architecture || "-",
          a.software ? "software" : "hardware",
        ]),
      ) + (w.printed ? `\n\nwgpu printed (captured): ${w.printed}` : "")
      : `none: ${w.note ?? "no adapter"}`,
  );
  const nv = report.nvidia;
  section(
    "NVIDIA GPUs",
    nv === null
      ? "none: nvidia-smi is not installed (no NVIDIA driver on this machine)"
      : nv.failed
      ? `nvidia-smi failed (${nv.failed})`
      : [
        textTable(
          ["GPU", "driver", "compute capability", "memory"],
          nv.gpus.map((g) => [
            g.name,
            g.driver,
            `${g.computeCap} (sm_${g.computeCap.replace(".", "")})`,
            Number.isFinite(g.memoryMiB) ? `${g.memoryMiB} MiB` : "?",
          ]),
        ),
        ...nv.notes.map((n) => `note: ${n}`),
      ].join("\n"),
  );
  const tf = report.tensorflow;
  const tfRows: string[][] = [
    ["package", tf.package ? `${tf.package.name} ${tf.package.version}` : "not installed"],
  ];
  if (tf.binding) {
    const expected = tf.binding.expected ?? "(no napi folder fits this runtime)";
    tfRows.push([
      "binding",
      tf.binding.inPlace
        ? `in place (${expected})`
        : tf.binding.found.length
        ? `at ${tf.binding.found.join(", ")}; the loader looks at ${expected}`
        : `absent (the loader looks at ${expected})`,
    ]);
  }
  if (tf.libtensorflow) {
    tfRows.push([
      "libtensorflow",
      tf.libtensorflow.found
        ? tf.libtensorflow.dir
        : `missing from ${tf.libtensorflow.dir}: ${tf.libtensorflow.missing.join(", ")}`,
    ]);
  }
  for (const p of tf.problems) tfRows.push([`${p.kind} (${p.effect})`, p.what]);
  section("tensorflow backend (tfjs-node)", textTable(["part", "state"], tfRows));
  const wheel = new Map(CUDA_LIBS.map((l) => [l.name, l.wheel]));
  section(
    "CUDA / cuDNN libraries libtensorflow 2.9.1 needs",
    report.cudaLibs.length
      ? textTable(
        ["library", "loader finds it", "pip wheel that ships it"],
        report.cudaLibs.map((l) => [
          l.name,
          l.found ? `yes: ${l.path} (${l.via})` : l.path ? `no: at ${l.path}, off the path` : "no",
          wheel.get(l.name) ?? "-",
        ]),
      )
      : "not checked",
  );
  const s = report.system;
  section(
    "System",
    textTable(["what", "value"], [
      ["cores", String(s.cores)],
      [
        "memory",
        s.memory ? `${gib(s.memory.availableBytes)} available of ${gib(s.memory.totalBytes)}` : "?",
      ],
      [
        "free disk",
        s.disk
          ? `${gib(s.disk.availableBytes)} of ${gib(s.disk.totalBytes)} under ${s.disk.path}`
          : "?",
      ],
    ]),
  );
  section(
    "Data of each profile",
    textTable(
      ["profile", "ready", "missing"],
      report.profiles.map((
        p,
      ) => [
        p.name,
        p.ready ? "yes" : "no",
        p.missing.length ? `${p.missing.length} item(s), see Problems` : "-",
      ]),
    ),
  );
  section(
    "Debian packages",
    textTable(
      ["package", "installed", "for"],
      report.packages.map((p) => [p.name, p.version ?? "no", p.why]),
    ),
  );
  section(
    "Problems",
    report.problems.length
      ? report.problems.map((p, i) => `${i + 1}. [${p.section}] ${p.what}\n   fix: ${p.fix}`).join(
        "\n",
      )
      : "none",
  );
  out.push(doctorSummary(report));
  return out.join("\n");
}
