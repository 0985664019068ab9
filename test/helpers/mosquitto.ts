/** The broker harness lives in cloud-sync/broker (the sync bench uses it too). */
export * from '../../cloud-sync/broker/mosquitto-process.ts';
