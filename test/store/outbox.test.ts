import { GradeStore } from '../../device/store/grade-store.ts';
import { describeOutboxContract } from './outbox-contract.ts';
import { tempDir, TINY_JPEG } from './fixtures.ts';

describeOutboxContract('SQLite GradeStore', () => {
  const temp = tempDir();
  let store = new GradeStore(temp.dir);
  store.open();
  return {
    get outbox() {
      return store.outbox;
    },
    enqueue: (record) => {
      store.save({ record, thumbnailJpeg: TINY_JPEG, frame: { bytes: TINY_JPEG, ext: 'jpg' } });
    },
    reopen: () => {
      store.close();
      store = new GradeStore(temp.dir);
      store.open();
      return store.outbox;
    },
    teardown: () => {
      store.close();
      temp.remove();
    },
  };
});
