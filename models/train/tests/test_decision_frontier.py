"""The ordinal decision rule (metrics.decide), the frontier of decision_frontier.py and the probe's prior (pure functions)."""
import unittest

import numpy as np

from loupe_train.decision_frontier import frontier
from loupe_train.metrics import decide
from loupe_train.probe_clarity import prior_report


class OrdinalDecisionTest(unittest.TestCase):
    def test_zero_weight_is_the_argmax(self):
        rng = np.random.default_rng(4)
        p = rng.dirichlet(np.ones(11), size=200)
        np.testing.assert_array_equal(decide(p, 0.0), p.argmax(1))

    def test_a_large_weight_answers_the_middle_of_a_lumped_run(self):
        # FL, IF, VVS1, VVS2 alike: argmax says VVS2, the within-one mass is largest at VVS1.
        p = np.array([[0.03, 0.16, 0.34, 0.47, 0.0, 0, 0, 0, 0, 0, 0]])
        self.assertEqual(int(decide(p, 0.0)[0]), 3)
        self.assertEqual(int(decide(p, 5.0)[0]), 2)

    def test_the_ends_of_the_scale_have_one_neighbour(self):
        p = np.array([[0.5, 0.3, 0.2, 0, 0, 0, 0, 0, 0, 0, 0]])
        self.assertEqual(int(decide(p, 100.0)[0]), 1)  # 1.0 within one of grade 1 vs 0.8 of grade 0

    def test_frontier_counts_far_misses(self):
        p = np.zeros((3, 11))
        p[:, 3] = 1.0  # always VVS2
        rows = frontier(p, np.array([0, 1, 3]), lambdas=(0.0,))
        self.assertEqual(rows[0]["far_misses"], 2)
        self.assertEqual(rows[0]["far_misses_by_true"], {"FL": 1, "IF": 1})
        self.assertAlmostEqual(rows[0]["exact"], 1 / 3)


class PriorTest(unittest.TestCase):
    def test_prior_is_the_commonest_training_grade(self):
        report = prior_report(np.array([3, 3, 3, 2]), np.array([3, 2, 1, 0]))
        self.assertEqual(report["commonest"], "VVS2")
        self.assertAlmostEqual(report["exact"], 0.25)
        self.assertAlmostEqual(report["within_one"], 0.5)
        self.assertAlmostEqual(report["cross_entropy"], float(-(np.log(0.75) + np.log(0.25) + 2 * np.log(1e-12)) / 4))


if __name__ == "__main__":
    unittest.main()
