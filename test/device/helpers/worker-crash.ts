/** Fault injection at the inference worker: ends its thread between runs, as a crash or an out-of-memory kill would. */
import type { ModelHost } from '../../../device/inference/model-host.ts';
import type { OnnxSession } from '../../../device/inference/onnx-session.ts';

export async function endIdleInferenceWorker(host: ModelHost): Promise<OnnxSession> {
  const session = await host.withSession(async (s) => s);
  await (session as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
  return session;
}
