"""The training schedule fitted into a time budget (TrainConfig.schedule_budget_s, --schedule-budget-min)."""
from __future__ import annotations

import unittest

from loupe_train.train_loop import TrainConfig, epochs_within_budget
from tests.tiny_training import train_tiny


class EpochsWithinBudgetTest(unittest.TestCase):
    def test_keeps_the_epochs_that_fit_at_the_first_epochs_pace(self):
        self.assertEqual(epochs_within_budget(24, 75.0, 1800.0), 24)
        self.assertEqual(epochs_within_budget(24, 76.0, 1800.0), 23)  # 23 × 76 s = 1748 s; 24 would be 1824 s
        self.assertEqual(epochs_within_budget(36, 180.0, 1800.0), 10)

    def test_never_more_than_asked_and_never_none(self):
        self.assertEqual(epochs_within_budget(3, 1.0, 1800.0), 3)
        self.assertEqual(epochs_within_budget(24, 5000.0, 1800.0), 1)


class TrainWithinBudgetTest(unittest.TestCase):
    def run_training(self, budget_s):
        lines = []
        config = TrainConfig(input_size=32, epochs=4, batch_size=4, seed=3, bn_images=8, schedule_budget_s=budget_s)
        _, _, history = train_tiny(config, log=lines.append)
        return history, lines

    def test_a_budget_shorter_than_one_epoch_stops_after_it(self):
        history, lines = self.run_training(1e-3)
        self.assertEqual(len(history), 1)
        self.assertTrue(any("schedule: epoch 1 took" in line and "so 1 of 4 epochs fit" in line for line in lines), lines)

    def test_a_budget_with_room_runs_every_epoch_asked_for(self):
        history, lines = self.run_training(3600.0)
        self.assertEqual(len(history), 4)
        self.assertTrue(any("so 4 of 4 epochs fit" in line for line in lines), lines)

    def test_without_a_budget_nothing_is_rescheduled(self):
        history, lines = self.run_training(None)
        self.assertEqual(len(history), 4)
        self.assertFalse(any("schedule:" in line for line in lines))


class ScheduleBudgetFlagTest(unittest.TestCase):
    def test_refuses_a_budget_of_no_time(self):
        from loupe_train.pipeline import parse_args

        base = ["--train", "t", "--val", "v", "--out", "o", "--version", "0.0.1"]
        self.assertEqual(parse_args([*base, "--schedule-budget-min", "30"]).schedule_budget_min, 30.0)
        with self.assertRaises(SystemExit):
            parse_args([*base, "--schedule-budget-min", "0"])


if __name__ == "__main__":
    unittest.main()
