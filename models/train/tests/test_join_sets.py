"""loupe_train.join_sets: two render folders read as one training folder."""
from __future__ import annotations

import tempfile
import unittest
from pathlib import Path

from loupe_train.dataset import load_folder
from loupe_train.join_sets import JoinError, join_sets, main
from tests.test_real_data import write_folder


class JoinSetsTest(unittest.TestCase):
    def test_the_joined_folder_loads_every_row_of_both(self):
        with tempfile.TemporaryDirectory() as work:
            work = Path(work)
            write_folder(work / "seed-a")
            write_folder(work / "seed-b")
            a = load_folder(work / "seed-a", 32, quiet=True)
            b = load_folder(work / "seed-b", 32, quiet=True)
            self.assertEqual(join_sets(work / "joined", [work / "seed-a", work / "seed-b"]), len(a) + len(b))
            joined = load_folder(work / "joined", 32, quiet=True)
            self.assertEqual(len(joined), len(a) + len(b))
            self.assertEqual(joined.files[0], f"seed-a/{a.files[0]}")
            self.assertEqual(joined.files[-1], f"seed-b/{b.files[-1]}")
            self.assertTrue((joined.images[len(a)] == b.images[0]).all())
            self.assertTrue((joined.labels[: len(a)] == a.labels).all())
            # Joining again replaces, never appends.
            self.assertEqual(join_sets(work / "joined", [work / "seed-a", work / "seed-b"]), len(a) + len(b))

    def test_refuses_one_source_a_missing_one_and_clashing_names(self):
        with tempfile.TemporaryDirectory() as work:
            work = Path(work)
            write_folder(work / "x" / "set")
            write_folder(work / "y" / "set")
            with self.assertRaisesRegex(JoinError, "at least two"):
                join_sets(work / "out", [work / "x" / "set"])
            with self.assertRaisesRegex(JoinError, "does not exist"):
                join_sets(work / "out", [work / "x" / "set", work / "nowhere"])
            with self.assertRaisesRegex(JoinError, "distinct names"):
                join_sets(work / "out", [work / "x" / "set", work / "y" / "set"])
            other = work / "other"
            write_folder(other)
            labels = (other / "labels.csv").read_text().splitlines()
            (other / "labels.csv").write_text("\n".join([labels[0] + ",extra", *(line + ",1" for line in labels[1:])]) + "\n")
            with self.assertRaisesRegex(JoinError, "columns differ"):
                join_sets(work / "out", [work / "x" / "set", other])
            self.assertEqual(main([str(work / "out"), str(work / "x" / "set")]), 2)


if __name__ == "__main__":
    unittest.main()
