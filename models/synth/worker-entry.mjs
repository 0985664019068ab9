// Worker threads start without the parent's tsx loader; register it, then load the TS worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
