/**
 * Worker entry point: decodes and augments examples posted by {@linkcode WorkerPool}.
 * Protocol (structured clone, buffers transferred both ways):
 * - in `{type: "init", concurrency}` once, then
 *   `{type: "task", id, task: ExampleTask, config: ProcessConfig}` (task.record's buffer
 *   transferred; the config travels with each task so one pool can serve several pipelines);
 * - out `{type: "done", id, label, image}` (image's buffer transferred) or
 *   `{type: "error", id, error: ErrorMessage}`.
 *
 * @module
 */
import { errorToMessage } from "./errors.ts";
import { type ExampleTask, type ProcessConfig, processExample } from "./process_example.ts";

interface TaskMessage {
  type: "task";
  id: number;
  task: ExampleTask;
  config: ProcessConfig;
}

const scope = self as unknown as {
  postMessage(msg: unknown, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent) => void) | null;
};

let concurrency = 2;
let running = 0;
const queue: TaskMessage[] = [];

async function run(msg: TaskMessage): Promise<void> {
  try {
    const { label, image } = await processExample(msg.task, msg.config);
    scope.postMessage({ type: "done", id: msg.id, label, image }, [image.buffer as ArrayBuffer]);
  } catch (e) {
    scope.postMessage({ type: "error", id: msg.id, error: errorToMessage(e) });
  }
}

function pump(): void {
  while (running < concurrency && queue.length > 0) {
    running++;
    run(queue.shift()!).finally(() => {
      running--;
      pump();
    });
  }
}

scope.onmessage = (e: MessageEvent) => {
  const msg = e.data as { type: "init"; concurrency: number } | TaskMessage;
  if (msg.type === "init") {
    concurrency = msg.concurrency;
  } else if (msg.type === "task") {
    queue.push(msg);
    pump();
  }
};
